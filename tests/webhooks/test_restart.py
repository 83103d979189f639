"""A gateway stopped with deliveries pending loses none and repeats none that succeeded."""

from __future__ import annotations

import asyncio
import dataclasses
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from aiohttp import web

from gateway.app import create_app
from gateway.keys import EVENT_RELAY, STORE, WEBHOOK_FANOUT, WEBHOOK_SENDER
from gateway.settings import Settings
from gateway.store import Store
from gateway.webhooks.pending import DELIVERIES
from tests.conftest import Tree
from tests.resources.clients import at, make_user
from tests.webhooks.conftest import Client, Receiver, create_hook, deliver


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # Retries wait long enough that the first gateway stops with them pending.
    return dataclasses.replace(settings, webhooks_retry_base_ms=60_000)


async def test_pending_deliveries_survive_a_restart_and_successes_are_not_repeated(
    client: Client,
    app: web.Application,
    tree: Tree,
    auth_headers: Any,
    receiver: Receiver,
    store: Store,
    settings: Settings,
    aiohttp_client: Callable[..., Any],
) -> None:
    receiver.statuses = [200, 200, 503]
    headers = await auth_headers("customer")
    await create_hook(client, tree.customer, headers, uri=receiver.url, retries=4)
    for _ in range(5):
        response = await client.put(
            at(tree.customer, "/users"), json={"data": make_user()}, headers=headers
        )
        assert response.status == 201
    await app[EVENT_RELAY].drain()
    await app[WEBHOOK_FANOUT].drain()
    for _ in range(100):  # four at a time per hook: the fifth waits its turn (a second)
        await app[WEBHOOK_SENDER].drain()
        if len(receiver.got) == 5:
            break
        await asyncio.sleep(0.05)
    assert len(receiver.got) == 5
    assert len(await store.find(DELIVERIES, {})) == 3
    await client.close()

    receiver.statuses = [200]
    second = create_app(dataclasses.replace(settings, webhooks_retry_base_ms=20), store)
    await aiohttp_client(second)
    await store.update_many(DELIVERIES, {}, {"$set": {"due": 0}})  # the retries come due
    await deliver(second)
    succeeded = Counter(
        got.headers["webhook-id"]
        for got, status in zip(receiver.got, statuses(receiver), strict=True)
        if status == 200
    )
    assert len(succeeded) == 5 and set(succeeded.values()) == {1}
    assert await second[STORE].find(DELIVERIES, {}) == []


def statuses(receiver: Receiver) -> list[int]:
    """What the receiver answered each request (its first script, then 200s)."""
    first = [200, 200, 503, 503, 503]
    return first + [200] * (len(receiver.got) - len(first))

"""A real HTTP receiver for webhook deliveries, and helpers to run delivery to the end."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from gateway.keys import EVENT_RELAY, STORE, WEBHOOK_FANOUT, WEBHOOK_SENDER
from gateway.settings import Settings
from gateway.webhooks.pending import DELIVERIES
from tests.resources.clients import INTAKE_KEY

Client = TestClient[Any, Any]


@dataclass
class Received:
    """One request the receiver got."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Records every request; answers with `statuses` in turn (then the last one)."""

    url: str = ""
    got: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=lambda: [200])

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.got.append(
            Received(
                request.method,
                request.path,
                dict(request.query),
                dict(request.headers),
                body,
            )
        )
        status = self.statuses[min(len(self.got), len(self.statuses)) - 1]
        return web.Response(status=status, text=f"answer {status}")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(
        settings,
        intake_keys=frozenset({INTAKE_KEY}),
        webhooks_allow_private=True,
        webhooks_retry_base_ms=20,
        webhooks_timeout_ms=2000,
        webhooks_disable_after=3,
    )


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """An aiohttp server on loopback that records deliveries."""
    found = Receiver()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", found.handle)
    server = TestServer(app)
    await server.start_server()
    found.url = str(server.make_url("/hook"))
    yield found
    await server.close()


async def deliver(app: web.Application, rounds: int = 200) -> None:
    """Publish, fan out and send until no delivery is pending (retries included)."""
    for _ in range(rounds):
        await app[EVENT_RELAY].drain()
        await app[WEBHOOK_FANOUT].drain()
        await app[WEBHOOK_SENDER].drain()
        if not await app[STORE].find(DELIVERIES, {}):
            return
        await asyncio.sleep(0.02)
    raise AssertionError("deliveries still pending")


async def create_hook(
    client: Client, account: dict[str, Any], headers: dict[str, str], **fields: Any
) -> dict[str, Any]:
    """PUT a webhook; its data (with the secret, shown this once)."""
    body = {"name": "Hook", "hook": "object", **fields}
    response = await client.put(
        f"/v2/accounts/{account['id']}/webhooks", json={"data": body}, headers=headers
    )
    reply = await response.json()
    assert response.status == 201, reply
    return dict(reply["data"])

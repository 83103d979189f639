"""Idempotency-Key on writes: a retry replays the first answer and writes nothing; another
request under the same key is refused; concurrent duplicates run once; keys are per account."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestClient

from gateway.app import EXPIRIES, create_app
from gateway.crossbar.idempotency import IDEMPOTENCY
from gateway.events.retention import Sweeper
from gateway.settings import Settings
from gateway.store import Store
from tests.conftest import Tree
from tests.resources.clients import at, make_user

Client = TestClient[Any, Any]


def keyed(headers: dict[str, str], key: str) -> dict[str, str]:
    """`headers` with an Idempotency-Key."""
    return {**headers, "Idempotency-Key": key}


async def user_ids(client: Client, tree: Tree, headers: dict[str, str]) -> list[str]:
    """The ids of the customer's users."""
    response = await client.get(at(tree.customer, "/users"), headers=headers)
    return [row["id"] for row in (await response.json())["data"]]


async def test_a_retried_create_replays_the_first_answer_and_creates_nothing_more(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    before = await user_ids(client, tree, headers)
    body = {"data": make_user(username="retry-me", password="pw-retry-me")}
    first = await client.put(at(tree.customer, "/users"), json=body, headers=keyed(headers, "k-1"))
    assert first.status == 201
    assert "Idempotent-Replayed" not in first.headers
    again = await client.put(
        at(tree.customer, "/users"),
        json=body,
        headers={**keyed(headers, "k-1"), "X-Request-ID": "retry-request"},
    )
    assert again.status == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["X-Request-ID"] == "retry-request"
    one, two = await first.json(), await again.json()
    assert two["data"] == one["data"]
    assert two["request_id"] == "retry-request"
    assert two["auth_token"] == headers["X-Auth-Token"]
    after = await user_ids(client, tree, headers)
    assert len(after) == len(before) + 1


async def test_the_same_key_with_another_body_is_a_422_naming_the_reason(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    path = at(tree.customer, "/users")
    first = {"data": make_user(username="first-body", password="pw-first-body")}
    assert (await client.put(path, json=first, headers=keyed(headers, "k-2"))).status == 201
    other = {"data": make_user(username="second-body", password="pw-second-body")}
    refused = await client.put(path, json=other, headers=keyed(headers, "k-2"))
    assert refused.status == 422
    body = await refused.json()
    assert body["message"] == "idempotency_key_reused"
    assert body["data"]["cause"] == "k-2"
    assert "different request" in body["data"]["message"]
    usernames = [
        row.get("username")
        for row in (await (await client.get(path, headers=headers)).json())["data"]
    ]
    assert "second-body" not in usernames


async def test_concurrent_duplicates_run_once(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    before = await user_ids(client, tree, headers)
    body = {"data": make_user(username="racer", password="pw-racer")}
    path = at(tree.customer, "/users")
    replies = await asyncio.gather(
        *(client.put(path, json=body, headers=keyed(headers, "k-race")) for _ in range(5))
    )
    assert [reply.status for reply in replies] == [201] * 5
    ids = {(await reply.json())["data"]["id"] for reply in replies}
    assert len(ids) == 1
    replayed = [reply.headers.get("Idempotent-Replayed") for reply in replies]
    assert replayed.count("true") == 4
    assert len(await user_ids(client, tree, headers)) == len(before) + 1


async def test_a_refusal_is_kept_too_and_a_retry_gets_the_same_400(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    path = at(tree.customer, "/users")
    bad = {"data": {"first_name": "No last name"}}
    first = await client.put(path, json=bad, headers=keyed(headers, "k-bad"))
    again = await client.put(path, json=bad, headers=keyed(headers, "k-bad"))
    assert (first.status, again.status) == (400, 400)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert (await again.json())["data"] == (await first.json())["data"]


async def test_a_retried_delete_replays_its_answer_instead_of_a_404(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    path = at(tree.customer, "/users")
    created = await client.put(
        path, json={"data": make_user(username="gone", password="pw-gone")}, headers=headers
    )
    user = f"{path}/{(await created.json())['data']['id']}"
    first = await client.delete(user, headers=keyed(headers, "k-del"))
    again = await client.delete(user, headers=keyed(headers, "k-del"))
    assert (first.status, again.status) == (200, 200)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert (await client.delete(user, headers=headers)).status == 404


async def test_keys_are_scoped_by_the_callers_account(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    customer = await auth_headers("customer")
    other = await auth_headers("other")
    body = {"data": make_user(username="same-key", password="pw-same-key")}
    mine = await client.put(at(tree.customer, "/users"), json=body, headers=keyed(customer, "k-s"))
    theirs = await client.put(at(tree.other, "/users"), json=body, headers=keyed(other, "k-s"))
    assert (mine.status, theirs.status) == (201, 201)
    assert "Idempotent-Replayed" not in theirs.headers
    assert (await mine.json())["data"]["id"] != (await theirs.json())["data"]["id"]


async def test_reads_ignore_the_key_and_a_bad_key_is_a_400(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    path = at(tree.customer, "/users")
    reads = [await client.get(path, headers=keyed(headers, "k-get")) for _ in range(2)]
    assert all("Idempotent-Replayed" not in reply.headers for reply in reads)
    for bad_key in ("x" * 256, "has space", "naïve"):
        refused = await client.put(
            path,
            json={"data": make_user(username="never", password="pw-never")},
            headers=keyed(headers, bad_key),
        )
        assert refused.status == 400
        assert "Idempotency-Key" in (await refused.json())["data"]
    assert "never" not in [
        row.get("username")
        for row in (await (await client.get(path, headers=headers)).json())["data"]
    ]


async def test_a_duplicate_on_another_instance_replays_the_first_answer(
    aiohttp_client: Any,
    client: Client,
    tree: Tree,
    auth_headers: Any,
    settings: Settings,
    store: Store,
) -> None:
    headers = await auth_headers("customer")
    second = await aiohttp_client(create_app(settings, store))
    body = {"data": make_user(username="two-hosts", password="pw-two-hosts")}
    path = at(tree.customer, "/users")
    first = await client.put(path, json=body, headers=keyed(headers, "k-two"))
    again = await second.put(path, json=body, headers=keyed(headers, "k-two"))
    assert again.headers["Idempotent-Replayed"] == "true"
    assert (await again.json())["data"]["id"] == (await first.json())["data"]["id"]


async def test_kept_answers_expire_with_the_retention_sweep(
    client: Client, tree: Tree, auth_headers: Any, settings: Settings, store: Store
) -> None:
    headers = await auth_headers("customer")
    path = at(tree.customer, "/users")
    body = {"data": make_user(username="short-lived", password="pw-short-lived")}
    assert (await client.put(path, json=body, headers=keyed(headers, "k-old"))).status == 201
    kept = await store.find(IDEMPOTENCY, {})
    assert len(kept) == 1
    expires = kept[0]["expires"]
    hours = (expires - datetime.utcnow()) / timedelta(hours=1)
    assert 23.9 < hours <= 24
    await store.replace(IDEMPOTENCY, {**kept[0], "expires": datetime(2000, 1, 1)})
    await Sweeper(store, EXPIRIES).sweep()
    assert await store.find(IDEMPOTENCY, {}) == []
    # The key is free again: the same request now creates (and fails on the taken username).
    again = await client.put(path, json=body, headers=keyed(headers, "k-old"))
    assert "Idempotent-Replayed" not in again.headers
    assert again.status == 400


async def test_retention_is_a_setting(
    aiohttp_client: Any, tree: Tree, settings: Settings, store: Store, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    client = await aiohttp_client(
        create_app(dataclasses.replace(settings, idempotency_hours=2), store)
    )
    body = {"data": make_user(username="two-hours", password="pw-two-hours")}
    assert (
        await client.put(at(tree.customer, "/users"), json=body, headers=keyed(headers, "k-h"))
    ).status == 201
    [kept] = await store.find(IDEMPOTENCY, {})
    hours = (kept["expires"] - datetime.utcnow()) / timedelta(hours=1)
    assert 1.9 < hours <= 2

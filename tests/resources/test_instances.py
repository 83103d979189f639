"""Several gateway instances on one store share tokens, revocations and login throttling;
a lost write race is a 409 that keeps the winner's write."""

from __future__ import annotations

import dataclasses
from typing import Any

from aiohttp.test_utils import TestClient

from gateway.app import create_app
from gateway.settings import Settings
from gateway.store import Store
from tests.conftest import MASTER_PASSWORD, Tree, login, make_tree, md5_credentials


async def second_instance(aiohttp_client: Any, settings: Settings, store: Store) -> Any:
    """Another gateway process on the same database."""
    return await aiohttp_client(create_app(settings, store))


async def test_a_token_from_one_instance_works_on_another_until_revoked(
    aiohttp_client: Any, settings: Settings, store: Store
) -> None:
    # With the in-process caches off, a revocation holds on every instance at once; with them
    # on, within their lifetime (tests/resources/test_auth_caches.py).
    settings = dataclasses.replace(settings, cache_ttl_ms=0)
    client = await second_instance(aiohttp_client, settings, store)
    tree = await make_tree(client.app)
    other = await second_instance(aiohttp_client, settings, store)
    token = await login(client, "admin", MASTER_PASSWORD, "Master")
    headers = {"X-Auth-Token": token}
    path = f"/v2/accounts/{tree.customer['id']}"
    assert (await other.get(path, headers=headers)).status == 200
    assert (await client.delete("/v2/token_auth", headers=headers)).status == 200
    response = await other.get(path, headers=headers)
    assert response.status == 401
    assert (await response.json())["message"] == "invalid credentials"


async def test_login_failures_count_across_instances(
    client: TestClient[Any, Any],
    tree: Tree,
    aiohttp_client: Any,
    settings: Settings,
    store: Store,
) -> None:
    settings = dataclasses.replace(settings, login_failure_limit=2)
    first = await second_instance(aiohttp_client, settings, store)
    second = await second_instance(aiohttp_client, settings, store)
    wrong = {"data": {"credentials": md5_credentials("admin", "nope"), "account_name": "Master"}}
    assert (await first.put("/v2/user_auth", json=wrong)).status == 401
    assert (await second.put("/v2/user_auth", json=wrong)).status == 401
    right = {
        "data": {
            "credentials": md5_credentials("admin", MASTER_PASSWORD),
            "account_name": "Master",
        }
    }
    response = await first.put("/v2/user_auth", json=right)
    assert response.status == 429
    assert (await response.json())["message"] == "too_many_requests"


async def test_a_write_that_lost_a_race_is_409_and_keeps_the_winner(
    client: TestClient[Any, Any],
    tree: Tree,
    auth_headers: Any,
    store: Store,
    monkeypatch: Any,
) -> None:
    headers = await auth_headers("customer")
    user_id = tree.users["customer"]["id"]
    path = f"/v2/accounts/{tree.customer['id']}/users/{user_id}"
    real_get = Store.get

    async def get_then_lose_the_race(self: Store, kind: str, doc_id: str) -> Any:
        doc = await real_get(self, kind, doc_id)
        if kind == "users" and doc is not None:
            await self.replace(kind, {**doc, "timezone": "Europe/Oslo"})
        return doc

    monkeypatch.setattr(Store, "get", get_then_lose_the_race)
    response = await client.patch(path, json={"data": {"timezone": "Asia/Tokyo"}}, headers=headers)
    monkeypatch.undo()
    body = await response.json()
    assert response.status == 409, body
    assert (body["message"], body["data"]) == (
        "datastore_conflict",
        {"message": "conflicting documents"},
    )
    stored = await client.get(path, headers=headers)
    assert (await stored.json())["data"]["timezone"] == "Europe/Oslo"

"""Bearer keys on /v1/pbx: 401 for none, unknown, revoked or expired keys; 403 naming a missing
scope; wildcards; a key reaches its own account only."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from gateway.app import create_app
from gateway.auth.api_keys import API_KEYS, VERIFIED_KEYS
from gateway.keys import EVENT_RELAY
from gateway.settings import Settings
from gateway.store import Store
from tests.conftest import MASTER_PASSWORD, Tree, login, make_tree
from tests.dialects.dodev.helpers import bearer, error_of, mint
from tests.resources.clients import at

Client = TestClient[Any, Any]
SETTINGS = "/v1/pbx/settings"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Basic YWRtaW46c2VjcmV0"},
        {"Authorization": "Bearer "},
        {"Authorization": "Bearer do_live_short"},
        {"Authorization": f"Bearer do_live_{'A' * 43}"},
        {"Authorization": f"Bearer do_prod_{'A' * 43}"},
    ],
)
async def test_no_key_or_an_unknown_key_is_401(
    client: Client, tree: Tree, headers: dict[str, str]
) -> None:
    response = await client.get(SETTINGS, headers=headers)
    error = await error_of(response)
    assert response.status == 401 and error["code"] == "UNAUTHORIZED"
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_a_token_of_the_kazoo_api_is_no_key(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    token = (await auth_headers("customer"))["X-Auth-Token"]
    response = await client.get(SETTINGS, headers={"Authorization": f"Bearer {token}"})
    assert response.status == 401


async def test_a_revoked_key_is_401_on_every_instance(
    aiohttp_client: Any, settings: Settings, store: Store
) -> None:
    # With the caches off a revocation holds everywhere at once; with them on, within
    # GATEWAY_CACHE_TTL_MS on other instances (test_a_revocation_here_is_seen_at_once_here).
    settings = dataclasses.replace(settings, cache_ttl_ms=0)
    first = await aiohttp_client(create_app(settings, store))
    tree = await make_tree(first.app)
    second = await aiohttp_client(create_app(settings, store))
    headers = {"X-Auth-Token": await login(first, "admin", MASTER_PASSWORD, "Master")}
    made = await mint(first, headers, tree.customer)
    assert (await second.get(SETTINGS, headers=bearer(made))).status == 200
    path = at(tree.customer, f"/api_keys/{made['id']}")
    assert (await first.delete(path, headers=headers)).status == 200
    response = await second.get(SETTINGS, headers=bearer(made))
    assert response.status == 401
    assert (await error_of(response))["code"] == "UNAUTHORIZED"


async def test_a_revocation_here_is_seen_at_once_here(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    made = await mint(client, headers, tree.customer)
    assert (await client.get(SETTINGS, headers=bearer(made))).status == 200  # now cached
    assert (await client.delete(at(tree.customer, f"/api_keys/{made['id']}"), headers=headers)).ok
    assert (await client.get(SETTINGS, headers=bearer(made))).status == 401


async def test_an_expired_key_is_401(
    client: Client, tree: Tree, auth_headers: Any, store: Store
) -> None:
    made = await mint(
        client, await auth_headers("customer"), tree.customer, expires_at=int(time.time()) + 60
    )
    doc = await store.get(API_KEYS, made["id"])
    assert doc is not None
    await store.replace(API_KEYS, {**doc, "expires_at": int(time.time()) - 1})
    response = await client.get(SETTINGS, headers=bearer(made))
    error = await error_of(response)
    assert response.status == 401 and "expired" in error["message"]


async def test_a_missing_scope_is_403_naming_it(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    made = await mint(
        client, await auth_headers("customer"), tree.customer, scopes=["pbx:*:write"]
    )
    response = await client.get(SETTINGS, headers=bearer(made))
    error = await error_of(response)
    assert response.status == 403
    assert error["code"] == "INSUFFICIENT_SCOPE" and error["requiredScope"] == "pbx:settings:read"
    assert "pbx:settings:read" in error["message"]
    patched = await client.patch(SETTINGS, json={"language": "fr-fr"}, headers=bearer(made))
    assert patched.status == 200


@pytest.mark.parametrize(
    ("scopes", "read", "write"),
    [
        (["pbx:settings:read"], 200, 403),
        (["pbx:settings:write"], 403, 200),
        (["pbx:*:read"], 200, 403),
        (["pbx:*:read", "pbx:*:write"], 200, 200),
        (["pbx:*"], 200, 200),
        (["pbx:extensions:read", "pbx:extensions:write"], 403, 403),
    ],
)
async def test_scopes_and_wildcards(
    client: Client, tree: Tree, auth_headers: Any, scopes: list[str], read: int, write: int
) -> None:
    made = await mint(client, await auth_headers("customer"), tree.customer, scopes=scopes)
    assert (await client.get(SETTINGS, headers=bearer(made))).status == read
    patched = await client.patch(SETTINGS, json={"language": "de-de"}, headers=bearer(made))
    assert patched.status == write


async def test_a_key_minted_by_the_reseller_reaches_the_customer_only(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    reseller = await auth_headers("reseller")
    made = await mint(client, reseller, tree.customer)
    patched = await client.patch(SETTINGS, json={"timezone": "Europe/Paris"}, headers=bearer(made))
    assert patched.status == 200 and (await patched.json())["timezone"] == "Europe/Paris"
    customer = await (await client.get(at(tree.customer, ""), headers=reseller)).json()
    parent = await (await client.get(at(tree.reseller, ""), headers=reseller)).json()
    sibling = await (await client.get(at(tree.other, ""), headers=reseller)).json()
    assert customer["data"]["timezone"] == "Europe/Paris"
    assert "Europe/Paris" not in (parent["data"]["timezone"], sibling["data"]["timezone"])


async def test_a_key_of_the_master_account_is_no_superuser(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    made = await mint(client, await auth_headers("master"), tree.master)
    response = await client.get(SETTINGS, headers=bearer(made))
    assert response.status == 200
    assert response.headers["X-Request-ID"]


async def test_a_test_key_works_in_a_sandbox_child_account_and_never_on_live_settings(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    admin = await auth_headers("customer")
    made = await mint(client, admin, tree.customer, mode="test")
    assert made["key"].startswith("do_test_")
    changed = await client.patch(SETTINGS, json={"timezone": "Asia/Tokyo"}, headers=bearer(made))
    assert changed.status == 200, await changed.text()
    live = await (await client.get(at(tree.customer, ""), headers=admin)).json()
    assert live["data"].get("timezone") != "Asia/Tokyo"
    children = await client.get(at(tree.customer, "/children"), headers=admin)
    [sandbox] = (await children.json())["data"]
    assert sandbox["name"].startswith("Sandbox ")
    seen = await (await client.get(at(sandbox, ""), headers=admin)).json()
    assert seen["data"]["timezone"] == "Asia/Tokyo"
    # The same key keeps its one sandbox, on this and any other instance.
    again = await client.get(SETTINGS, headers=bearer(made))
    assert (await again.json())["timezone"] == "Asia/Tokyo"
    assert (
        len(
            (await (await client.get(at(tree.customer, "/children"), headers=admin)).json())[
                "data"
            ]
        )
        == 1
    )


async def test_concurrent_first_uses_of_a_test_key_make_one_sandbox(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    admin = await auth_headers("customer")
    made = await mint(client, admin, tree.customer, mode="test")
    replies = await asyncio.gather(*(client.get(SETTINGS, headers=bearer(made)) for _ in range(4)))
    assert [reply.status for reply in replies] == [200] * 4
    children = await client.get(at(tree.customer, "/children"), headers=admin)
    assert len((await children.json())["data"]) == 1


async def test_last_used_is_written_once_a_minute_at_most(
    client: Client, tree: Tree, auth_headers: Any, store: Store
) -> None:
    made = await mint(client, await auth_headers("customer"), tree.customer)
    assert (await client.get(SETTINGS, headers=bearer(made))).status == 200
    first = await store.get(API_KEYS, made["id"])
    assert first is not None and first["pvt_last_used"] >= int(time.time()) - 5
    half_a_minute_ago = first["pvt_last_used"] - 30
    await store.replace(API_KEYS, {**first, "pvt_last_used": half_a_minute_ago})
    client.app[VERIFIED_KEYS].forget(made["id"])
    assert (await client.get(SETTINGS, headers=bearer(made))).status == 200
    second = await store.get(API_KEYS, made["id"])
    assert second is not None and second["pvt_last_used"] == half_a_minute_ago
    await store.replace(API_KEYS, {**second, "pvt_last_used": half_a_minute_ago - 60})
    client.app[VERIFIED_KEYS].forget(made["id"])
    assert (await client.get(SETTINGS, headers=bearer(made))).status == 200
    third = await store.get(API_KEYS, made["id"])
    assert third is not None and third["pvt_last_used"] >= int(time.time()) - 5
    listed = await client.get(
        at(tree.customer, f"/api_keys/{made['id']}"), headers=await auth_headers("customer")
    )
    assert (await listed.json())["data"]["last_used"] == third["pvt_last_used"]


async def test_writes_by_a_key_are_audited_as_that_key(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    made = await mint(client, headers, tree.customer)
    patched = await client.patch(SETTINGS, json={"language": "es-es"}, headers=bearer(made))
    assert patched.status == 200
    await client.app[EVENT_RELAY].drain()
    trail = await client.get(at(tree.customer, "/audit"), headers=headers)
    edit = next(e for e in (await trail.json())["data"] if e["type"] == "accounts")
    assert edit["actor"] == {
        "account_id": tree.customer["id"],
        "method": "api_key",
        "key_id": made["id"],
    }
    assert edit["changed"] == ["language"]

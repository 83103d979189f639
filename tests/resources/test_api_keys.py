"""`/v2/accounts/{A}/api_keys`: admins mint, list, read and revoke /v1/pbx keys; the secret is
shown once and stored only as the keyed hash that is the document's id."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from gateway.auth.api_keys import API_KEYS
from gateway.keys import EVENT_RELAY
from gateway.store import Store
from tests.conftest import Tree
from tests.dialects.dodev.helpers import bearer, mint
from tests.resources.clients import at, user_level_login

Client = TestClient[Any, Any]
ROW_KEYS = {"id", "name", "scopes", "mode", "prefix", "created", "last_used", "expires_at"}


async def test_mint_shows_the_secret_once_and_stores_only_its_hash(
    client: Client, tree: Tree, auth_headers: Any, store: Store
) -> None:
    headers = await auth_headers("customer")
    made = await mint(client, headers, tree.customer, scopes=["pbx:settings:read"])
    secret = made["key"]
    assert secret.startswith("do_live_") and len(secret) == len("do_live_") + 43
    assert made["prefix"] == secret[:12] and made["mode"] == "live"
    assert made["scopes"] == ["pbx:settings:read"] and made["last_used"] is None
    stored = await store.get(API_KEYS, made["id"])
    assert stored is not None and stored["pvt_account_id"] == tree.customer["id"]
    assert secret not in json.dumps(stored) and secret[12:] not in json.dumps(stored)
    assert len(made["id"]) == 32 and made["id"] not in secret
    listing = await client.get(at(tree.customer, "/api_keys"), headers=headers)
    rows = (await listing.json())["data"]
    assert listing.status == 200 and [row["id"] for row in rows] == [made["id"]]
    assert set(rows[0]) == ROW_KEYS
    read = await client.get(at(tree.customer, f"/api_keys/{made['id']}"), headers=headers)
    shown = (await read.json())["data"]
    assert read.status == 200 and "key" not in shown and shown["name"] == "integration"
    assert secret not in json.dumps([rows, shown])


async def test_test_mode_keys_and_expiry_in_iso_or_unix_seconds(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    later = int(time.time()) + 3600
    by_seconds = await mint(client, headers, tree.customer, mode="test", expires_at=later)
    assert by_seconds["key"].startswith("do_test_") and by_seconds["expires_at"] == later
    by_iso = await mint(client, headers, tree.customer, expires_at="2999-01-02T03:04:05Z")
    assert by_iso["expires_at"] == 32472241445


@pytest.mark.parametrize(
    ("data", "field", "rule"),
    [
        ({"scopes": ["pbx:everything"]}, "scopes.0", "enum"),
        ({"scopes": []}, "scopes", "minItems"),
        ({"scopes": ["pbx:phones:write"]}, "scopes.0", "enum"),
        ({"name": ""}, "name", "minLength"),
        ({"mode": "sandbox"}, "mode", "enum"),
        ({"expires_at": 1}, "expires_at", "minimum"),
        ({"expires_at": "tomorrow"}, "expires_at", "type"),
    ],
)
async def test_a_bad_key_is_refused_with_400(
    client: Client, tree: Tree, auth_headers: Any, data: dict[str, Any], field: str, rule: str
) -> None:
    headers = await auth_headers("customer")
    body = {"data": {"name": "k", "scopes": ["pbx:*"], **data}}
    response = await client.put(at(tree.customer, "/api_keys"), json=body, headers=headers)
    reply = await response.json()
    assert response.status == 400, reply
    assert rule in reply["data"][field]


async def test_revoke_removes_the_key_and_later_requests_are_401(
    client: Client, tree: Tree, auth_headers: Any, store: Store
) -> None:
    headers = await auth_headers("customer")
    made = await mint(client, headers, tree.customer)
    assert (await client.get("/v1/pbx/settings", headers=bearer(made))).status == 200
    path = at(tree.customer, f"/api_keys/{made['id']}")
    deleted = await client.delete(path, headers=headers)
    assert deleted.status == 200
    assert (await deleted.json())["data"]["_read_only"] == {"deleted": True}
    assert await store.get(API_KEYS, made["id"]) is None
    assert (await client.get(path, headers=headers)).status == 404
    assert (await client.get("/v1/pbx/settings", headers=bearer(made))).status == 401


async def test_keys_are_not_edited(client: Client, tree: Tree, auth_headers: Any) -> None:
    headers = await auth_headers("customer")
    made = await mint(client, headers, tree.customer)
    path = at(tree.customer, f"/api_keys/{made['id']}")
    patched = await client.patch(path, json={"data": {"name": "x"}}, headers=headers)
    assert patched.status == 405


async def test_a_user_login_gets_403_on_every_verb(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    made = await mint(client, await auth_headers("customer"), tree.customer)
    _, headers = await user_level_login(client, tree, auth_headers)
    keys = at(tree.customer, "/api_keys")
    body = {"data": {"name": "mine", "scopes": ["pbx:*"]}}
    replies = [
        await client.get(keys, headers=headers),
        await client.put(keys, json=body, headers=headers),
        await client.get(f"{keys}/{made['id']}", headers=headers),
        await client.delete(f"{keys}/{made['id']}", headers=headers),
    ]
    assert [reply.status for reply in replies] == [403, 403, 403, 403]


async def test_ancestors_manage_keys_and_siblings_get_403(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    reseller = await auth_headers("reseller")
    made = await mint(client, reseller, tree.customer)
    sibling = await auth_headers("other")
    keys = at(tree.customer, "/api_keys")
    assert (await client.get(keys, headers=sibling)).status == 403
    assert (await client.get(f"{keys}/{made['id']}", headers=sibling)).status == 403
    refused = await client.put(
        keys, json={"data": {"name": "k", "scopes": ["pbx:*"]}}, headers=sibling
    )
    assert refused.status == 403
    assert (await client.get(keys, headers=await auth_headers("customer"))).status == 200
    assert (await client.delete(f"{keys}/{made['id']}", headers=reseller)).status == 200


async def test_the_audit_trail_shows_mint_and_revoke_without_key_material(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    made = await mint(client, headers, tree.customer)
    path = at(tree.customer, f"/api_keys/{made['id']}")
    assert (await client.delete(path, headers=headers)).status == 200
    await app[EVENT_RELAY].drain()
    trail = await client.get(at(tree.customer, "/audit"), headers=headers)
    entries = [e for e in (await trail.json())["data"] if e["type"] == API_KEYS]
    assert [e["action"] for e in entries] == ["deleted", "created"]
    assert entries[1]["after"]["scopes"] == ["pbx:*"] and entries[1]["doc_id"] == made["id"]
    assert made["key"] not in json.dumps(entries) and made["key"][12:] not in json.dumps(entries)


async def test_a_mint_takes_no_idempotency_key_so_no_secret_is_kept(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = {**await auth_headers("customer"), "Idempotency-Key": "mint-1"}
    body = {"data": {"name": "k", "scopes": ["pbx:*"]}}
    response = await client.put(at(tree.customer, "/api_keys"), json=body, headers=headers)
    reply = await response.json()
    assert response.status == 400 and "not_allowed" in reply["data"]["Idempotency-Key"]
    listing = await client.get(at(tree.customer, "/api_keys"), headers=headers)
    assert (await listing.json())["data"] == []

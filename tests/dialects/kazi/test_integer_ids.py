"""Kazi's integer ids: assigned once per document from a store sequence, never twice, even when
requests (or instances) assign at once; and the audit trail of /api writes."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from gateway.crossbar.context import Context
from gateway.dialects.kazi.aliases import EXTENSION, TENANT, aliases_of, parse_id, target_of
from gateway.keys import EVENT_RELAY, TOKENS
from gateway.store.ids import new_id
from tests.conftest import Tree
from tests.dialects.kazi.helpers import TENANTS, Client, bearer, kazi_login
from tests.resources.clients import at


def _ctx(app: web.Application) -> Context:
    return Context(app=app, request_id="test", verb="GET")


async def test_concurrent_assignments_give_each_document_one_distinct_id(
    app: web.Application,
) -> None:
    targets = [new_id() for _ in range(30)]
    ctx = _ctx(app)
    # Ten overlapping requests name the same documents at once.
    answers = await asyncio.gather(
        *(aliases_of(ctx, EXTENSION, targets[start : start + 12]) for start in range(0, 30, 3))
    )
    chosen: dict[str, int] = {}
    for answer in answers:
        for target, number in answer.items():
            assert chosen.setdefault(target, number) == number, target
    assert set(chosen) == set(targets)
    assert len(set(chosen.values())) == len(targets)
    again = await aliases_of(ctx, EXTENSION, targets)
    assert again == chosen
    for target, number in chosen.items():
        assert await target_of(ctx, EXTENSION, number) == target


async def test_kinds_have_their_own_sequences_and_unknown_ids_name_nothing(
    app: web.Application,
) -> None:
    ctx = _ctx(app)
    target = new_id()
    number = (await aliases_of(ctx, TENANT, [target]))[target]
    assert await target_of(ctx, TENANT, number) == target
    assert await target_of(ctx, EXTENSION, number) != target
    assert await target_of(ctx, TENANT, 10**12) is None
    assert await target_of(ctx, TENANT, 0) is None
    assert await target_of(ctx, TENANT, 2**63) is None


def test_path_ids_are_plain_decimal_integers() -> None:
    assert parse_id("12") == 12
    for text in ("", "-1", "1.5", "12a", "１２", "9" * 20, " 1"):
        assert parse_id(text) is None, text


async def test_an_expired_session_is_401(
    client: Client, app: web.Application, tree: Tree, monkeypatch: Any
) -> None:
    monkeypatch.setattr(app[TOKENS], "ttl", -60)
    data = await kazi_login(client, "reseller-admin", "reseller-secret")
    client.session.cookie_jar.clear()
    response = await client.get(TENANTS, headers=bearer(data["token"]))
    assert response.status == 401
    assert await response.json() == {"message": "Unauthenticated."}


async def test_api_writes_are_in_the_audit_trail_with_the_kazi_session_as_actor(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any
) -> None:
    data = await kazi_login(client, "reseller-admin", "reseller-secret")
    headers = bearer(data["token"])
    client.session.cookie_jar.clear()
    tenants = await (await client.get(TENANTS, headers=headers)).json()
    tenant = next(t for t in tenants["data"] if t["account_id"] == tree.customer["id"])
    fields = {
        "tenant_id": tenant["id"],
        "extension_number": "2101",
        "display_name": "Audit Trail",
        "secret": "audit-secret-1",
        "status": "active",
        "voicemail_enabled": True,
    }
    created = await client.post("/api/extensions", json=fields, headers=headers)
    assert created.status == 201, await created.text()
    user_id = (await created.json())["data"]["user_id"]
    await app[EVENT_RELAY].drain()
    response = await client.get(
        at(tree.customer, "/audit"), headers=await auth_headers("reseller")
    )
    entries = (await response.json())["data"]
    kinds = {entry["type"] for entry in entries if entry["action"] == "created"}
    assert {"users", "devices", "vmboxes", "callflows"} <= kinds, kinds
    mine = next(entry for entry in entries if entry["doc_id"] == user_id)
    assert mine["actor"]["method"] == "kazi_admin_login"
    assert mine["actor"]["user_id"] == tree.users["reseller"]["id"]
    device = next(entry for entry in entries if entry["type"] == "devices")
    assert "audit-secret-1" not in str(device)

"""The audit trail over HTTP: what each write leaves, who may read it, how it is listed."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from gateway.audit.changes import MASK, changes
from gateway.audit.entries import AUDIT, write_entries
from gateway.audit.expiry import EXPIRY
from gateway.crossbar.clock import gregorian_now
from gateway.events.outbox import Outbox, document_intent
from gateway.events.relay import Relay, RelayConfig
from gateway.events.retention import Sweeper
from gateway.events.stream import EventStream
from gateway.keys import EVENT_RELAY
from gateway.settings import Settings, SettingsError
from gateway.store import Store
from gateway.store.ids import next_revision
from tests.conftest import Tree, login
from tests.resources.clients import at, make_user, user_level_login

Client = TestClient[Any, Any]
Entry = dict[str, Any]


async def trail(
    client: Client, app: web.Application, account: dict[str, Any], headers: Any, query: str = ""
) -> list[Entry]:
    """The account's audit listing once the relay has written what happened."""
    await app[EVENT_RELAY].drain()
    response = await client.get(at(account, f"/audit{query}"), headers=headers)
    body = await response.json()
    assert response.status == 200, body
    return list(body["data"])


def about(entries: list[Entry], doc_id: str) -> list[Entry]:
    return [entry for entry in entries if entry["doc_id"] == doc_id]


async def test_a_users_create_edit_and_delete_leave_three_entries_newest_first(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    users = at(tree.customer, "/users")
    created = await client.put(
        users,
        json={"data": make_user(username="ann", password="first-pass-1")},
        headers={**headers, "X-Request-ID": "req-create-1"},
    )
    assert created.status == 201
    user_id = (await created.json())["data"]["id"]
    patched = await client.patch(
        f"{users}/{user_id}",
        json={"data": {"first_name": "Bea", "password": "second-pass-2"}},
        headers={**headers, "X-Request-ID": "req-edit-1"},
    )
    assert patched.status == 200
    deleted = await client.delete(
        f"{users}/{user_id}", headers={**headers, "X-Request-ID": "req-delete-1"}
    )
    assert deleted.status == 200
    entries = about(await trail(client, app, tree.customer, headers), user_id)
    assert [entry["action"] for entry in entries] == ["deleted", "edited", "created"]
    assert [entry["request_id"] for entry in entries] == [
        "req-delete-1",
        "req-edit-1",
        "req-create-1",
    ]
    assert {(entry["type"], entry["account_id"]) for entry in entries} == {
        ("users", tree.customer["id"])
    }
    actor = entries[0]["actor"]
    assert actor["account_id"] == tree.customer["id"]
    assert actor["user_id"] == tree.users["customer"]["id"]
    assert actor["method"] == "cb_user_auth" and actor["session_id"]
    removed, edited, made = entries
    assert made["before"] == {} and made["after"]["first_name"] == "Ann"
    assert made["after"]["pvt_md5_hash"] == MASK and made["after"]["username"] == "ann"
    assert {"first_name", "pvt_md5_hash", "pvt_sha_hash"} <= set(edited["changed"])
    assert edited["before"]["first_name"] == "Ann" and edited["after"]["first_name"] == "Bea"
    assert edited["before"]["pvt_md5_hash"] == edited["after"]["pvt_md5_hash"] == MASK
    assert "last_name" not in edited["after"]
    assert removed["after"] == {} and removed["before"]["first_name"] == "Bea"
    text = json.dumps(entries)
    assert "first-pass-1" not in text and "second-pass-2" not in text and "$2b$" not in text
    assert made["created"] <= edited["created"] <= removed["created"] <= gregorian_now()


async def test_a_refused_write_leaves_no_entry(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    users = at(tree.customer, "/users")
    body = {"data": make_user(username="ann", password="pa55word")}
    assert (await client.put(users, json=body, headers=headers)).status == 201
    before = await trail(client, app, tree.customer, headers)
    invalid = await client.put(users, json={"data": {"first_name": "X"}}, headers=headers)
    assert invalid.status == 400
    clash = await client.put(users, json=body, headers=headers)
    assert clash.status == 400
    assert await trail(client, app, tree.customer, headers) == before


async def test_account_changes_and_api_key_regeneration_are_audited(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any
) -> None:
    reseller = await auth_headers("reseller")
    customer = await auth_headers("customer")
    renamed = await client.patch(
        at(tree.customer), json={"data": {"name": "Customer Renamed"}}, headers=reseller
    )
    assert renamed.status == 200
    old_key = await (await client.get(at(tree.customer, "/api_key"), headers=customer)).json()
    regenerated = await client.put(at(tree.customer, "/api_key"), headers=customer)
    new_key = (await regenerated.json())["data"]["api_key"]
    entries = about(await trail(client, app, tree.customer, customer), tree.customer["id"])
    regeneration, rename = entries[0], entries[1]
    assert (rename["type"], rename["action"]) == ("accounts", "edited")
    assert "name" in rename["changed"]
    assert rename["after"]["name"] == "Customer Renamed"
    assert rename["actor"]["account_id"] == tree.reseller["id"]
    assert regeneration["changed"] == ["pvt_api_key"]
    assert regeneration["before"] == regeneration["after"] == {"pvt_api_key": MASK}
    text = json.dumps(entries)
    assert old_key["data"]["api_key"] not in text and new_key not in text


async def test_logins_and_token_revocation_are_audited(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any
) -> None:
    token = await login(client, "customer-admin", "customer-secret", "Customer One")
    revoked = await client.delete("/v2/token_auth", headers={"X-Auth-Token": token})
    assert revoked.status == 200
    headers = await auth_headers("customer")
    entries = await trail(client, app, tree.customer, headers, "?filter_type=auth_sessions")
    [revocation] = [entry for entry in entries if entry["action"] == "token_revoked"]
    [login_entry] = about(entries, revocation["doc_id"])[1:]
    assert login_entry["action"] == "login" and entries.index(login_entry) > 0
    assert revocation["doc_id"] == revocation["actor"]["session_id"]
    assert revocation["actor"]["user_id"] == tree.users["customer"]["id"]
    assert login_entry["actor"]["method"] == "cb_user_auth"
    assert token not in json.dumps(entries)


async def test_the_reseller_sees_its_customers_entries_only_with_descendants(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any
) -> None:
    customer = await auth_headers("customer")
    created = await client.put(
        at(tree.customer, "/devices"), json={"data": {"name": "Desk"}}, headers=customer
    )
    device_id = (await created.json())["data"]["id"]
    reseller = await auth_headers("reseller")
    own = await trail(client, app, tree.reseller, reseller)
    assert about(own, device_id) == []
    assert {entry["account_id"] for entry in own} == {tree.reseller["id"]}
    subtree = await trail(client, app, tree.reseller, reseller, "?descendants=true")
    [entry] = about(subtree, device_id)
    assert entry["account_id"] == tree.customer["id"] and entry["action"] == "created"
    assert {tree.reseller["id"], tree.customer["id"], tree.other["id"]} <= {
        row["account_id"] for row in subtree
    }
    master = await auth_headers("master")
    deep = await trail(client, app, tree.master, master, "?descendants=true&filter_type=devices")
    assert [row["id"] for row in deep] == [entry["id"]]
    assert about(await trail(client, app, tree.customer, customer), device_id) == [entry]


async def test_only_admins_within_the_tree_read_the_trail_and_only_with_get(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    other = await client.get(at(tree.customer, "/audit"), headers=await auth_headers("other"))
    assert other.status == 403
    _, user_headers = await user_level_login(client, tree, auth_headers)
    user = await client.get(at(tree.customer, "/audit"), headers=user_headers)
    assert user.status == 403
    admin = await auth_headers("customer")
    for verb in ("PUT", "POST", "PATCH", "DELETE"):
        response = await client.request(verb, at(tree.customer, "/audit"), headers=admin)
        assert response.status == 405, verb


async def test_pages_walk_every_entry_once_newest_first(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    made = []
    for number in range(7):
        response = await client.put(
            at(tree.customer, "/devices"), json={"data": {"name": f"D{number}"}}, headers=headers
        )
        made.append((await response.json())["data"]["id"])
    await app[EVENT_RELAY].drain()
    seen: list[str] = []
    query = "?filter_type=devices&page_size=3"
    while True:
        response = await client.get(at(tree.customer, f"/audit{query}"), headers=headers)
        body = await response.json()
        assert len(body["data"]) <= 3 and body["page_size"] == len(body["data"])
        seen += [entry["doc_id"] for entry in body["data"]]
        if "next_start_key" not in body:
            break
        query = f"?filter_type=devices&page_size=3&start_key={body['next_start_key']}"
    assert seen == made[::-1]
    oldest_first = await trail(
        client, app, tree.customer, headers, "?filter_type=devices&ascending=true"
    )
    assert [entry["doc_id"] for entry in oldest_first] == made


async def test_filters_and_the_created_range_narrow_the_listing(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    created = await client.put(
        at(tree.customer, "/devices"), json={"data": {"name": "Desk"}}, headers=headers
    )
    device_id = (await created.json())["data"]["id"]
    await client.delete(at(tree.customer, f"/devices/{device_id}"), headers=headers)
    [deleted] = await trail(client, app, tree.customer, headers, "?filter_action=deleted")
    assert deleted["doc_id"] == device_id
    not_logins = await trail(client, app, tree.customer, headers, "?filter_not_action=login")
    assert not_logins and all(entry["action"] != "login" for entry in not_logins)
    now = gregorian_now()
    window = f"?filter_doc_id={device_id}&created_from={now - 60}&created_to={now}"
    assert len(await trail(client, app, tree.customer, headers, window)) == 2
    assert await trail(client, app, tree.customer, headers, f"?created_from={now + 60}") == []
    assert await trail(client, app, tree.customer, headers, f"?created_to={now - 3600}") == []
    reversed_range = await client.get(
        at(tree.customer, f"/audit?created_from={now}&created_to={now - 1}"), headers=headers
    )
    body = await reversed_range.json()
    assert reversed_range.status == 400 and "date_range" in body["data"]["created_from"]


async def test_the_trail_is_served_as_csv(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    await app[EVENT_RELAY].drain()
    for asked in ({"Accept": "text/csv"}, {}):
        query = "" if asked else "?accept=text/csv"
        response = await client.get(
            at(tree.customer, f"/audit{query}"), headers={**headers, **asked}
        )
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/csv")
        lines = (await response.text()).splitlines()
        assert '"ID"' in lines[0] and '"action"' in lines[0] and '"actor_method"' in lines[0]
        assert len(lines) > 1


async def test_device_passwords_and_webhook_secrets_are_masked_but_seen_to_change(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    device = await client.put(
        at(tree.customer, "/devices"),
        json={"data": {"name": "Desk", "sip": {"username": "desk", "password": "sip-pass-1"}}},
        headers=headers,
    )
    device_id = (await device.json())["data"]["id"]
    await client.patch(
        at(tree.customer, f"/devices/{device_id}"),
        json={"data": {"sip": {"password": "sip-pass-2"}}},
        headers=headers,
    )
    hook = await client.put(
        at(tree.customer, "/webhooks"),
        json={
            "data": {
                "name": "H",
                "uri": "https://example.com/h",
                "hook": "channel_create",
                "custom_data": {"auth": "Bearer hook-token-1"},
            }
        },
        headers=headers,
    )
    created_hook = (await hook.json())["data"]
    rotated = await client.post(
        at(tree.customer, f"/webhooks/{created_hook['id']}/secret"), headers=headers
    )
    new_secret = (await rotated.json())["data"]["secret"]
    entries = await trail(client, app, tree.customer, headers)
    device_edit = about(entries, device_id)[0]
    assert device_edit["changed"] == ["sip.password"]
    assert device_edit["before"] == device_edit["after"] == {"sip": {"password": MASK}}
    rotation, hook_made = about(entries, created_hook["id"])
    assert hook_made["after"]["custom_data"] == {"auth": MASK}
    assert hook_made["after"]["pvt_secret"] == MASK
    assert set(rotation["changed"]) >= {"pvt_secret", "pvt_secret_previous"}
    text = json.dumps(entries)
    for secret in ("sip-pass-1", "sip-pass-2", "hook-token-1", created_hook["secret"], new_secret):
        assert secret not in text


def test_changes_mask_secrets_at_any_depth_and_keep_flags() -> None:
    before = {
        "name": "A",
        "require_pin": False,
        "pin": "1234",
        "servers": [{"auth": {"auth_password": "p1", "auth_user": "u"}}],
        "member": {"pins": ["1111"]},
    }
    after = {
        **before,
        "require_pin": True,
        "pin": "5678",
        "servers": [{"auth": {"auth_password": "p2", "auth_user": "u"}}],
        "pvt_md5_auth": "abc",
    }
    old, new, changed = changes(before, after)
    assert changed == ["require_pin", "pin", "servers", "pvt_md5_auth"]
    assert old == {
        "require_pin": False,
        "pin": MASK,
        "servers": [{"auth": {"auth_password": MASK, "auth_user": "u"}}],
    }
    assert new["pvt_md5_auth"] == MASK and new["require_pin"] is True
    assert changes({"member": {"pins": ["1"]}}, {"member": {"pins": ["2"]}})[1] == {
        "member": {"pins": MASK}
    }


async def test_a_relay_that_died_before_clearing_the_outbox_writes_no_entry_twice(
    store: Store,
) -> None:
    facts = {"actor": {"method": "system"}, "request_id": "r1", "tree": ["m" * 32], "keep_days": 1}
    revision = next_revision(None)
    intent = document_intent("things", "c" * 32, "d1", None, revision, audit=facts)
    await Outbox(store).announce(intent)
    await store.insert("things", {"id": "d1", "pvt_account_id": "c" * 32}, revision=revision)
    config = RelayConfig(applied_kind="intake_events")
    assert await Relay(store, config).drain() == 1
    await Outbox(store).announce(intent)  # as if the outbox had not been cleared
    await store.update_many("system", {"id": "lease:events_relay"}, {"$set": {"until": 0}})
    await Relay(store, config).drain()
    kept = sorted(doc["id"] for doc in await store.find(AUDIT, {}))
    assert kept == [intent["id"], f"{intent['id']}-{'m' * 32}"]
    [event] = await EventStream(store).read()
    assert "audit" not in event


async def test_the_sweep_removes_entries_past_their_retention(store: Store) -> None:
    account, ancestor = "c" * 32, "m" * 32

    def entry(entry_id: str, age_days: float) -> Entry:
        made = time.time() - age_days * 86_400
        return {"id": entry_id, "at": made, "account_id": account, "type": "users", "doc_id": "u"}

    await write_entries(
        store, [(entry("a" * 32, 3), [ancestor], 2), (entry("b" * 32, 1), [ancestor], 2)]
    )
    sweeper = Sweeper(store, [EXPIRY])
    await sweeper.prepare()
    assert await sweeper.sweep() == 2
    kept = await store.find(AUDIT, {})
    assert sorted(doc["id"] for doc in kept) == ["b" * 32, f"{'b' * 32}-{ancestor}"]


@pytest.mark.parametrize(("raw", "days"), [(None, 365), ("1", 1), ("3650", 3650)])
def test_audit_retention_days_come_from_the_environment(raw: str | None, days: int) -> None:
    env = {} if raw is None else {"GATEWAY_AUDIT_RETENTION_DAYS": raw}
    assert Settings.from_env(env).audit_retention_days == days


@pytest.mark.parametrize("raw", ["0", "3651", "x"])
def test_audit_retention_days_out_of_bounds_stop_the_start(raw: str) -> None:
    with pytest.raises(SettingsError):
        Settings.from_env({"GATEWAY_AUDIT_RETENTION_DAYS": raw})


async def test_an_upload_shows_its_new_attachment_in_the_diff(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    made = await client.put(
        at(tree.customer, "/media"), json={"data": {"name": "Greeting"}}, headers=headers
    )
    media_id = (await made.json())["data"]["id"]
    uploaded = await client.post(
        at(tree.customer, f"/media/{media_id}/raw"),
        data=b"ID3 audio",
        headers={**headers, "Content-Type": "audio/mpeg"},
    )
    assert uploaded.status == 200, await uploaded.text()
    [upload, create] = about(await trail(client, app, tree.customer, headers), media_id)
    assert (upload["action"], create["action"]) == ("edited", "created")
    assert "pvt_attachment" in upload["changed"]
    assert {"content_type", "content_length"} <= set(upload["changed"])

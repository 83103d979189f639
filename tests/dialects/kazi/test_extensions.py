"""/api/extensions: create, list, show, change and delete; the tenant, live devices, queue agents
and call records of one extension; who reaches which extension; ids, idempotency, sessions."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote

import pytest
from aiohttp import web

from gateway.crossbar.clock import gregorian_now
from gateway.provision import create_account
from gateway.settings import Settings
from tests.conftest import Tree
from tests.dialects.kazi.helpers import (
    EXTENSIONS,
    LOGOUT,
    XHR,
    Client,
    KaziAdmin,
    Kazoo,
    bearer,
    extension_fields,
    is_hex32,
    is_int,
    kazi_admin,
    kazi_login,
    laravel,
)
from tests.resources.clients import INTAKE_KEY, send_events, user_level_login

AuthHeaders = Callable[[str], Awaitable[dict[str, str]]]
Body = dict[str, Any]
EXTENSION_KEYS = {
    "id",
    "user_id",
    "tenant_id",
    "extension_number",
    "display_name",
    "email",
    "status",
    "voicemail_enabled",
    "created_at",
    "updated_at",
    "tenant",
    "devices",
}
NOT_FOUND = {"message": "Extension not found."}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, intake_keys=frozenset({INTAKE_KEY}))


@pytest.fixture
async def reseller(client: Client, tree: Tree) -> KaziAdmin:
    """The reseller admin on /api: its tenants are Customer One and Customer Two."""
    return await kazi_admin(client, "reseller-admin", "reseller-secret")


@pytest.fixture
async def kazoo(client: Client, tree: Tree, auth_headers: AuthHeaders) -> Kazoo:
    """The reseller admin on /v2 (it reaches both customers)."""
    return Kazoo(client, await auth_headers("reseller"))


def utc_moment(value: Any) -> datetime:
    """An ISO-8601 UTC time written with a trailing Z."""
    assert isinstance(value, str) and value.endswith("Z"), value
    return datetime.fromisoformat(value)


def extension_part(shown: Body) -> Body:
    """What GET /api/extensions/{id} shows of the extension itself (no relations)."""
    return {key: value for key, value in shown.items() if key not in ("queueAgents", "cdrs")}


async def register(
    client: Client, account: Body, device_id: str, username: str, **kw: Any
) -> None:
    """Report a registration of `device_id` through the intake."""
    event = {
        "event_id": f"reg-{device_id}-{kw.get('action', 'register')}",
        "type": "registration",
        "account_id": account["id"],
        "action": "register",
        "username": username,
        "realm": account["realm"],
        "authorizing_type": "device",
        "authorizing_id": device_id,
        "contact": f"sip:{username}@192.0.2.10:5060",
        "user_agent": "Yealink SIP-T46S",
        "expires": 300,
        **kw,
    }
    status, body = await send_events(client, [event])
    assert status == 200 and not body["data"]["rejected"], body


# --- tenants ----------------------------------------------------------------------------------


async def test_tenants_carry_a_stable_integer_id_and_the_account_id(
    reseller: KaziAdmin, tree: Tree
) -> None:
    first = await reseller.tenants()
    assert set(first) == {tree.customer["id"], tree.other["id"]}
    for account in (tree.customer, tree.other):
        item = first[account["id"]]
        assert set(item) == {"id", "account_id", "name", "slug", "domain"}, item
        assert is_int(item["id"]) and item["domain"] == account["realm"]
    assert (first[tree.customer["id"]]["name"], first[tree.customer["id"]]["slug"]) == (
        "Customer One",
        "customer-one",
    )
    assert first[tree.customer["id"]]["id"] != first[tree.other["id"]]["id"]
    assert await reseller.tenants() == first


# --- create and show --------------------------------------------------------------------------


async def test_create_answers_201_with_the_extension_its_tenant_and_no_secret(
    reseller: KaziAdmin, tree: Tree
) -> None:
    tenants = await reseller.tenants()
    tenant = tenants[tree.customer["id"]]
    fields = extension_fields(tenant["id"])
    response = await reseller.send("POST", EXTENSIONS, fields)
    text = await response.text()
    body = laravel(json.loads(text))
    assert response.status == 201, body
    assert set(body) == {"message", "data"}
    assert body["message"] == "Extension created successfully."
    made = body["data"]
    assert set(made) == EXTENSION_KEYS, made
    assert is_int(made["id"]) and is_hex32(made["user_id"])
    assert made["tenant_id"] == tenant["id"] and made["tenant"] == tenant
    assert (made["extension_number"], made["display_name"]) == ("101", "Front Desk")
    assert (made["email"], made["status"]) == ("front.desk@example.com", "active")
    assert made["voicemail_enabled"] is True and made["devices"] == []
    assert utc_moment(made["updated_at"]) >= utc_moment(made["created_at"])
    assert fields["secret"] not in text and "secret" not in made
    shown = await reseller.show(made["id"])
    assert set(shown) == EXTENSION_KEYS | {"queueAgents", "cdrs"}, shown
    assert extension_part(shown) == made
    assert (shown["queueAgents"], shown["cdrs"]) == ([], [])


async def test_tenant_id_may_be_the_32_hex_account_id(reseller: KaziAdmin, tree: Tree) -> None:
    status, body = await reseller.call("POST", EXTENSIONS, extension_fields(tree.other["id"]))
    assert status == 201, body
    tenant = (await reseller.tenants())[tree.other["id"]]
    assert body["data"]["tenant_id"] == tenant["id"] and body["data"]["tenant"] == tenant


async def test_show_lists_only_devices_with_a_live_registration(
    reseller: KaziAdmin, kazoo: Kazoo, client: Client, tree: Tree
) -> None:
    made = await reseller.create(tree.customer)
    [device] = await kazoo.owned_devices(tree.customer, made["user_id"])
    await kazoo.data(
        "PUT",
        f"/v2/accounts/{tree.customer['id']}/devices",
        {"name": "Softphone", "owner_id": made["user_id"]},
    )
    assert (await reseller.show(made["id"]))["devices"] == []
    await register(client, tree.customer, device["id"], device["sip"]["username"])
    shown = await reseller.show(made["id"])
    [entry] = shown["devices"]
    expected_keys = {"id", "name", "user_agent", "contact", "ip_address", "port", "expires_at"}
    assert expected_keys <= set(entry), entry
    assert (entry["id"], entry["name"]) == (device["id"], device["name"])
    assert entry["user_agent"] == "Yealink SIP-T46S"
    [listed] = (await reseller.listing())["data"]
    assert [item["id"] for item in listed["devices"]] == [device["id"]]
    await register(
        client, tree.customer, device["id"], device["sip"]["username"], action="unregister"
    )
    assert (await reseller.show(made["id"]))["devices"] == []


async def test_show_names_the_queues_whose_roster_lists_the_user(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree
) -> None:
    ann = await reseller.create(tree.customer, extension_number="101", display_name="Ann Lee")
    bob = await reseller.create(tree.customer, extension_number="102", display_name="Bob Roe")
    queues = f"/v2/accounts/{tree.customer['id']}/queues"
    made = {name: await kazoo.data("PUT", queues, {"name": name}) for name in ("Support", "Sales")}
    await kazoo.data("PUT", queues, {"name": "Empty"})
    await kazoo.data("POST", f"{queues}/{made['Support']['id']}/roster", [ann["user_id"]])
    await kazoo.data(
        "POST", f"{queues}/{made['Sales']['id']}/roster", [bob["user_id"], ann["user_id"]]
    )
    for extension, names in ((ann, ["Sales", "Support"]), (bob, ["Sales"])):
        agents = (await reseller.show(extension["id"]))["queueAgents"]
        trimmed = [
            {key: agent[key] for key in ("queue_id", "queue_name", "extension_id")}
            for agent in agents
        ]
        expected = [
            {"queue_id": made[name]["id"], "queue_name": name, "extension_id": extension["id"]}
            for name in names
        ]
        assert sorted(trimmed, key=lambda a: str(a["queue_name"])) == expected, agents


async def test_show_lists_the_users_twenty_newest_call_records(
    reseller: KaziAdmin, client: Client, tree: Tree
) -> None:
    made = await reseller.create(tree.customer)
    quiet = await reseller.create(tree.customer, extension_number="102", display_name="No Calls")
    now = gregorian_now()

    def cdr(number: int, owner: str) -> Body:
        return {
            "event_id": f"cdr-{owner[:6]}-{number}",
            "type": "cdr",
            "account_id": tree.customer["id"],
            "call_id": f"call-{owner[:6]}-{number}",
            "call_direction": "inbound",
            "request": "101@acme.sip.test",
            "from": "+15551230000@acme.sip.test",
            "to": "101@acme.sip.test",
            "duration_seconds": 61,
            "billing_seconds": 55,
            "hangup_cause": "NORMAL_CLEARING",
            "timestamp": now - 3000 + 60 * number,
            "custom_channel_vars": {"owner_id": owner},
        }

    events = [cdr(n, made["user_id"]) for n in range(22)]
    events.append(cdr(30, tree.users["customer"]["id"]))
    status, body = await send_events(client, events)
    assert status == 200 and not body["data"]["rejected"], body
    records = (await reseller.show(made["id"]))["cdrs"]
    prefix = made["user_id"][:6]
    assert [row["call_id"] for row in records] == [f"call-{prefix}-{n}" for n in range(21, 1, -1)]
    for row in records:
        assert {"call_id", "direction", "duration_seconds", "started_at"} <= set(row), row
        assert (row["direction"], row["duration_seconds"]) == ("inbound", 61)
    assert (await reseller.show(quiet["id"]))["cdrs"] == []


# --- listing ----------------------------------------------------------------------------------


async def test_listing_is_newest_first_across_every_tenant_with_meta(
    reseller: KaziAdmin, tree: Tree
) -> None:
    first = await reseller.create(tree.customer, extension_number="101")
    second = await reseller.create(tree.other, extension_number="201", display_name="Other One")
    third = await reseller.create(tree.customer, extension_number="102", display_name="Two")
    body = await reseller.listing()
    assert set(body) == {"message", "data", "meta"}
    assert [item["id"] for item in body["data"]] == [third["id"], second["id"], first["id"]]
    assert body["meta"] == {"current_page": 1, "last_page": 1, "per_page": 100, "total": 3}
    tenants = await reseller.tenants()
    accounts = [item["tenant"]["account_id"] for item in body["data"]]
    assert accounts == [tree.customer["id"], tree.other["id"], tree.customer["id"]]
    assert body["data"][1]["tenant_id"] == tenants[tree.other["id"]]["id"]
    assert body["data"][1] == second
    assert all("secret" not in item for item in body["data"])


async def test_listing_leaves_out_unnumbered_users_and_accounts_that_are_no_tenant(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree
) -> None:
    empty = await reseller.listing()
    assert empty["data"] == [] and empty["meta"]["total"] == 0
    users = "/v2/accounts/{}/users"
    person = {"first_name": "Nia", "last_name": "Novak"}
    await kazoo.data("PUT", users.format(tree.reseller["id"]), {**person, "presence_id": "900"})
    await kazoo.data("PUT", users.format(tree.customer["id"]), person)
    assert (await reseller.listing())["data"] == []
    await kazoo.data("PUT", users.format(tree.customer["id"]), {**person, "presence_id": "901"})
    assert await reseller.numbers() == ["901"]


async def test_pages_split_the_listing_and_report_meta(reseller: KaziAdmin, tree: Tree) -> None:
    numbers = [str(number) for number in range(101, 109)]
    for number in numbers:
        await reseller.create(tree.customer, extension_number=number)
    newest_first = numbers[::-1]
    assert await reseller.numbers("?per_page=1000") == newest_first
    pages = {}
    for page in (1, 2, 3, 4):
        body = await reseller.listing(f"?per_page=3&page={page}")
        pages[page] = [item["extension_number"] for item in body["data"]]
        assert body["meta"] == {"current_page": page, "last_page": 3, "per_page": 3, "total": 8}
    assert pages == {1: newest_first[:3], 2: newest_first[3:6], 3: newest_first[6:], 4: []}


@pytest.mark.parametrize(
    ("search", "numbers"),
    [
        ("desk", ["101"]),
        ("FRONT", ["101"]),
        ("20", ["202"]),
        ("Beta.EXAMPLE", ["202"]),
        ("o", ["303", "202", "101"]),
        ("sales floor", ["303"]),
        ("zzz", []),
    ],
)
async def test_search_matches_number_name_or_email_ignoring_case(
    reseller: KaziAdmin, tree: Tree, search: str, numbers: list[str]
) -> None:
    await reseller.create(
        tree.customer, extension_number="101", display_name="Front Desk", email="f@acme.example"
    )
    await reseller.create(
        tree.other, extension_number="202", display_name="Back Office", email="ops@beta.example"
    )
    await reseller.create(
        tree.customer, extension_number="303", display_name="Sales Floor", email=None
    )
    body = await reseller.listing(f"?search={quote(search)}")
    assert [item["extension_number"] for item in body["data"]] == numbers
    assert body["meta"]["total"] == len(numbers)


# --- change -----------------------------------------------------------------------------------


async def test_patch_changes_only_the_fields_given(reseller: KaziAdmin, tree: Tree) -> None:
    made = await reseller.create(tree.customer)
    status, body = await reseller.call(
        "PATCH", f"{EXTENSIONS}/{made['id']}", {"display_name": "Lobby Phone"}
    )
    assert status == 200, body
    assert body["message"] == "Extension updated successfully."
    changed = body["data"]
    assert changed["display_name"] == "Lobby Phone"
    unchanged = ("id", "user_id", "tenant_id", "extension_number", "email", "status", "created_at")
    assert {k: changed[k] for k in unchanged} == {k: made[k] for k in unchanged}
    assert changed["voicemail_enabled"] is True and "secret" not in changed
    assert utc_moment(changed["updated_at"]) >= utc_moment(made["updated_at"])
    assert extension_part(await reseller.show(made["id"])) == changed


async def test_patch_email_shows_in_the_view(reseller: KaziAdmin, tree: Tree) -> None:
    made = await reseller.create(tree.customer, email=None)
    assert made["email"] is None
    path = f"{EXTENSIONS}/{made['id']}"
    status, body = await reseller.call("PATCH", path, {"email": "desk@acme.example"})
    assert status == 200 and body["data"]["email"] == "desk@acme.example", body
    assert (await reseller.show(made["id"]))["email"] == "desk@acme.example"
    status, body = await reseller.call("PATCH", path, {"email": None})
    assert status == 200 and body["data"]["email"] is None, body
    assert (await reseller.show(made["id"]))["email"] is None


async def test_put_replaces_every_field(reseller: KaziAdmin, tree: Tree) -> None:
    made = await reseller.create(tree.customer)
    replacement = extension_fields(
        made["tenant_id"],
        extension_number="150",
        display_name="Back Office",
        email="back@acme.example",
        secret="An0ther-Secret",
        status="disabled",
        voicemail_enabled=False,
    )
    status, body = await reseller.call("PUT", f"{EXTENSIONS}/{made['id']}", replacement)
    assert status == 200, body
    assert body["message"] == "Extension updated successfully."
    put = body["data"]
    assert (put["id"], put["user_id"], put["tenant_id"]) == (
        made["id"],
        made["user_id"],
        made["tenant_id"],
    )
    assert {k: put[k] for k in ("extension_number", "display_name", "email", "status")} == {
        "extension_number": "150",
        "display_name": "Back Office",
        "email": "back@acme.example",
        "status": "disabled",
    }
    assert put["voicemail_enabled"] is False and "secret" not in put
    assert extension_part(await reseller.show(made["id"])) == put


# --- delete and ids ---------------------------------------------------------------------------


async def test_delete_answers_200_then_the_id_is_404_and_ids_are_never_reused(
    reseller: KaziAdmin, tree: Tree
) -> None:
    first = await reseller.create(tree.customer, extension_number="101")
    second = await reseller.create(tree.customer, extension_number="102")
    assert first["id"] != second["id"]
    status, body = await reseller.call("DELETE", f"{EXTENSIONS}/{second['id']}")
    assert (status, body) == (200, {"message": "Extension deleted successfully."})
    for verb in ("GET", "DELETE"):
        status, body = await reseller.call(verb, f"{EXTENSIONS}/{second['id']}")
        assert (status, body) == (404, NOT_FOUND), verb
    used = {first["id"], second["id"]}
    third = await reseller.create(tree.customer, extension_number="102")
    assert third["id"] not in used
    used.add(third["id"])
    await reseller.call("DELETE", f"{EXTENSIONS}/{third['id']}")
    await reseller.call("DELETE", f"{EXTENSIONS}/{first['id']}")
    fourth = await reseller.create(tree.other, extension_number="101")
    assert is_int(fourth["id"]) and fourth["id"] not in used
    assert [item["id"] for item in (await reseller.listing())["data"]] == [fourth["id"]]


@pytest.mark.parametrize("wrong", ["999999", "0", "-1", "abc", "1.5", "user_id"])
async def test_an_unknown_or_non_integer_id_is_404(
    reseller: KaziAdmin, tree: Tree, wrong: str
) -> None:
    made = await reseller.create(tree.customer)
    wrong = made["user_id"] if wrong == "user_id" else wrong
    full = extension_fields(made["tenant_id"])
    for verb, body in (("GET", None), ("PATCH", {"display_name": "X"}), ("PUT", full)):
        status, reply = await reseller.call(verb, f"{EXTENSIONS}/{wrong}", body)
        assert (status, reply) == (404, NOT_FOUND), verb
    status, reply = await reseller.call("DELETE", f"{EXTENSIONS}/{wrong}")
    assert (status, reply) == (404, NOT_FOUND)
    assert extension_part(await reseller.show(made["id"])) == made


# --- who reaches what -------------------------------------------------------------------------


async def test_an_extension_below_a_customer_is_reached_from_above_but_not_from_aside(
    client: Client, app: web.Application, tree: Tree, reseller: KaziAdmin
) -> None:
    branch = await create_account(app, {"name": "Branch Office"}, tree.customer["id"])
    customer = await kazi_admin(client, "customer-admin", "customer-secret")
    assert set(await customer.tenants()) == {branch["id"]}
    made = await customer.create(branch, extension_number="501")
    assert made["tenant"]["account_id"] == branch["id"]
    shown = await reseller.show(made["id"])
    assert shown["tenant"]["account_id"] == branch["id"]
    assert [item["id"] for item in (await reseller.listing())["data"]] == [made["id"]]
    other = await kazi_admin(client, "other-admin", "other-secret")
    assert await other.call("GET", f"{EXTENSIONS}/{made['id']}") == (404, NOT_FOUND)
    assert (await other.listing())["data"] == []


async def test_a_customer_admin_cannot_reach_the_other_customers_extension(
    client: Client, tree: Tree, reseller: KaziAdmin, kazoo: Kazoo
) -> None:
    made = await reseller.create(tree.other, extension_number="201")
    before = await kazoo.parts(tree.other)
    customer = await kazi_admin(client, "customer-admin", "customer-secret")
    path = f"{EXTENSIONS}/{made['id']}"
    full = extension_fields(made["tenant_id"], display_name="Taken Over")
    for verb, body in (
        ("GET", None),
        ("PATCH", {"display_name": "Taken Over"}),
        ("PUT", full),
        ("DELETE", None),
    ):
        assert await customer.call(verb, path, body) == (404, NOT_FOUND), verb
    assert (await customer.listing())["data"] == []
    assert extension_part(await reseller.show(made["id"])) == made
    assert await kazoo.parts(tree.other) == before


# --- idempotency ------------------------------------------------------------------------------


async def test_an_idempotency_key_replays_the_create_and_makes_one_extension(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree
) -> None:
    fields = extension_fields(await reseller.tenant_id(tree.customer))
    once = {"Idempotency-Key": "extension-101"}
    first = await reseller.send("POST", EXTENSIONS, fields, once)
    first_body = laravel(await first.json())
    assert first.status == 201, first_body
    assert first.headers.get("Idempotent-Replayed") != "true"
    again = await reseller.send("POST", EXTENSIONS, fields, once)
    assert again.status == 201
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert await again.json() == first_body
    assert (await reseller.listing())["meta"]["total"] == 1
    numbered = [u for u in await kazoo.rows(tree.customer, "users") if u.get("presence_id")]
    assert [user["id"] for user in numbered] == [first_body["data"]["user_id"]]
    other = await reseller.send("POST", EXTENSIONS, {**fields, "extension_number": "102"})
    assert other.status == 201 and "Idempotent-Replayed" not in other.headers


# --- sessions ---------------------------------------------------------------------------------


async def test_without_a_session_extensions_are_401(client: Client, tree: Tree) -> None:
    for verb, path in (("GET", EXTENSIONS), ("POST", EXTENSIONS), ("GET", f"{EXTENSIONS}/1")):
        response = await client.request(verb, path, json={} if verb == "POST" else None)
        assert response.status == 401, path
        assert await response.json() == {"message": "Unauthenticated."}


async def test_a_logged_out_token_is_401_and_writes_nothing(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree
) -> None:
    made = await reseller.create(tree.customer)
    tenant_id = made["tenant_id"]
    status, body = await reseller.call("POST", LOGOUT)
    assert status == 200, body
    before = await kazoo.parts(tree.customer)
    path = f"{EXTENSIONS}/{made['id']}"
    for verb, target, fields in (
        ("GET", EXTENSIONS, None),
        ("GET", path, None),
        ("POST", EXTENSIONS, extension_fields(tenant_id, extension_number="102")),
        ("PATCH", path, {"display_name": "After Logout"}),
        ("DELETE", path, None),
    ):
        assert await reseller.call(verb, target, fields) == (
            401,
            {"message": "Unauthenticated."},
        ), (verb, target)
    assert await kazoo.parts(tree.customer) == before


async def test_a_user_level_session_is_403(
    client: Client, tree: Tree, auth_headers: AuthHeaders, reseller: KaziAdmin
) -> None:
    made = await reseller.create(tree.customer)
    _, headers = await user_level_login(client, tree, auth_headers)
    token = bearer(headers["X-Auth-Token"])
    for verb, path, fields in (
        ("GET", EXTENSIONS, None),
        ("GET", f"{EXTENSIONS}/{made['id']}", None),
        ("POST", EXTENSIONS, extension_fields(made["tenant_id"], extension_number="102")),
    ):
        response = await client.request(verb, path, json=fields, headers=token)
        assert response.status == 403, (verb, path)
        assert await response.json() == {"message": "This action is unauthorized."}
    assert await reseller.numbers() == ["101"]


async def test_cookie_session_writes_need_the_xhr_header(client: Client, tree: Tree) -> None:
    await kazi_login(client, "reseller-admin", "reseller-secret")
    tenants = await client.get("/api/tenants")
    items = (await tenants.json())["data"]
    [tenant_id] = [item["id"] for item in items if item["account_id"] == tree.customer["id"]]
    fields = extension_fields(tenant_id)
    refused = await client.post(EXTENSIONS, json=fields)
    assert refused.status == 419
    assert await refused.json() == {"message": "CSRF token mismatch."}
    listed = await client.get(EXTENSIONS)
    assert listed.status == 200 and (await listed.json())["data"] == []
    made = await client.post(EXTENSIONS, json=fields, headers=XHR)
    body = await made.json()
    assert made.status == 201, body
    path = f"{EXTENSIONS}/{body['data']['id']}"
    for verb, change in (("PATCH", {"display_name": "X"}), ("DELETE", None)):
        response = await client.request(verb, path, json=change)
        assert response.status == 419, verb
    shown = await client.get(path)
    assert (await shown.json())["data"]["display_name"] == "Front Desk"
    patched = await client.patch(path, json={"display_name": "Via Cookie"}, headers=XHR)
    assert patched.status == 200 and (await patched.json())["data"]["display_name"] == "Via Cookie"
    deleted = await client.delete(path, headers=XHR)
    assert deleted.status == 200

"""The event intake and registrations: keys, partial rejection, idempotency, expiry, reads."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from gateway.keys import INTAKE_KEYS
from gateway.settings import Settings
from tests.conftest import Tree
from tests.resources.clients import INTAKE_KEY as KEY
from tests.resources.clients import at, create_device
from tests.resources.clients import send_events as send

Client = TestClient[Any, Any]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, intake_keys=frozenset({KEY}), intake_batch_max=5)


def registration(account: dict[str, Any], event_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "type": "registration",
        "account_id": account["id"],
        "action": "register",
        "username": "user_1001",
        "realm": account["realm"],
        "contact": "sip:user_1001@192.0.2.10:5060",
        "user_agent": "Yealink SIP-T46S",
        "expires": 300,
        **fields,
    }


async def registrations(client: Client, tree: Tree, headers: dict[str, str]) -> list[Any]:
    response = await client.get(at(tree.customer, "/registrations"), headers=headers)
    body = await response.json()
    assert response.status == 200, body
    return list(body["data"])


async def test_a_registration_is_listed_with_kazoos_row_keys(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    status, body = await send(client, [registration(tree.customer, "e1")])
    assert status == 200, body
    assert body["data"] == {"accepted": ["e1"], "rejected": []}
    assert "auth_token" not in body
    [row] = await registrations(client, tree, await auth_headers("customer"))
    assert row["username"] == "user_1001" and row["realm"] == tree.customer["realm"]
    assert row["contact"] == "sip:user_1001@192.0.2.10:5060"
    assert (row["user_agent"], row["expires"]) == ("Yealink SIP-T46S", 300)
    assert (row["account_name"], row["proxy_ip"]) == ("Customer One", "undefined")


@pytest.mark.parametrize("key", [None, "ik_wrong-key-of-at-least-32-characters!!"])
async def test_the_intake_refuses_a_missing_or_unknown_key_and_stores_nothing(
    client: Client, tree: Tree, auth_headers: Any, key: str | None
) -> None:
    status, body = await send(client, [registration(tree.customer, "e1")], key)
    assert status == 401, body
    assert await registrations(client, tree, await auth_headers("customer")) == []


async def test_a_user_token_is_refused_at_the_intake_and_an_intake_key_elsewhere(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("master")
    status, _ = await send(client, [registration(tree.customer, "e1")], headers["X-Auth-Token"])
    assert status == 401
    response = await client.get(at(tree.customer), headers={"X-Auth-Token": KEY})
    assert response.status == 401
    response = await client.get(at(tree.customer), headers={"Authorization": f"Bearer {KEY}"})
    assert response.status == 401


async def test_bad_events_are_rejected_one_by_one_while_good_ones_land(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    events = [
        registration(tree.customer, "good"),
        {**registration(tree.customer, "typo"), "type": "registrashun"},
        {k: v for k, v in registration(tree.customer, "no-user").items() if k != "username"},
        registration({"id": "f" * 32, "realm": "x.test"}, "no-account"),
        "not an object",
    ]
    status, body = await send(client, events)
    assert status == 200, body
    assert body["data"]["accepted"] == ["good"]
    reasons = {item["event_id"]: item["reason"] for item in body["data"]["rejected"]}
    assert reasons == {
        "typo": "invalid event: type",
        "no-user": "invalid event: username",
        "no-account": "unknown account",
        None: "an event must be an object",
    }
    assert len(await registrations(client, tree, await auth_headers("customer"))) == 1


async def test_a_replayed_event_is_accepted_and_changes_nothing(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    await send(client, [registration(tree.customer, "e1")])
    again = registration(tree.customer, "e1", contact="sip:elsewhere@192.0.2.99")
    status, body = await send(client, [again, again])
    assert status == 200 and body["data"]["accepted"] == ["e1", "e1"]
    [row] = await registrations(client, tree, await auth_headers("customer"))
    assert row["contact"] == "sip:user_1001@192.0.2.10:5060"


@pytest.mark.parametrize("ending", [{"action": "unregister"}, {"expires": 0}])
async def test_an_unregister_or_zero_expiry_removes_the_registration(
    client: Client, tree: Tree, auth_headers: Any, ending: dict[str, Any]
) -> None:
    await send(client, [registration(tree.customer, "e1")])
    await send(client, [registration(tree.customer, "e2", **ending)])
    assert await registrations(client, tree, await auth_headers("customer")) == []


async def test_an_expired_registration_is_never_shown(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    await send(client, [registration(tree.customer, "e1", expires=1)])
    await asyncio.sleep(1.05)
    assert await registrations(client, tree, await auth_headers("customer")) == []


@pytest.mark.parametrize(
    ("data", "path"), [([{}] * 6, "data.maxItems"), ({"event_id": "x"}, "data.type")]
)
async def test_a_batch_too_large_or_not_a_list_is_400_and_stores_nothing(
    client: Client, tree: Tree, auth_headers: Any, data: Any, path: str
) -> None:
    status, body = await send(client, data)
    field, rule = path.split(".")
    assert status == 400 and rule in body["data"][field], body


async def test_the_count_is_for_the_master_account_only(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    await send(
        client,
        [registration(tree.customer, "e1"), registration(tree.customer, "e2", username="u2")],
    )
    path = at(tree.customer, "/registrations/count")
    response = await client.get(path, headers=await auth_headers("master"))
    assert response.status == 200 and (await response.json())["data"] == {"count": 2}
    response = await client.get(path, headers=await auth_headers("customer"))
    assert response.status == 403


async def test_flush_one_username_or_all(client: Client, tree: Tree, auth_headers: Any) -> None:
    headers = await auth_headers("customer")
    await send(
        client,
        [registration(tree.customer, "e1"), registration(tree.customer, "e2", username="u2")],
    )
    response = await client.delete(at(tree.customer, "/registrations/USER_1001"), headers=headers)
    assert response.status == 200 and (await response.json())["data"] == "ok"
    assert [row["username"] for row in await registrations(client, tree, headers)] == ["u2"]
    response = await client.delete(at(tree.customer, "/registrations"), headers=headers)
    assert response.status == 200
    assert await registrations(client, tree, headers) == []


async def test_registrations_stay_in_their_account(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    await send(client, [registration(tree.other, "e1")])
    assert await registrations(client, tree, await auth_headers("customer")) == []
    response = await client.get(
        at(tree.other, "/registrations"), headers=await auth_headers("customer")
    )
    assert response.status == 403


async def test_device_status_lists_registered_devices(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    device = await create_device(client, tree.customer, headers)
    event = registration(tree.customer, "e1", authorizing_id=device, authorizing_type="device")
    await send(client, [event])
    response = await client.get(at(tree.customer, "/devices/status"), headers=headers)
    assert (await response.json())["data"] == [{"device_id": device, "registered": True}]


async def test_a_stored_key_works_until_revoked(
    client: Client, tree: Tree, app: web.Application
) -> None:
    key, record = await app[INTAKE_KEYS].create("edge")
    assert record["id"] != key and key not in str(record)
    assert (await send(client, [registration(tree.customer, "e1")], key))[0] == 200
    assert await app[INTAKE_KEYS].revoke(record["id"][:12])
    assert (await send(client, [registration(tree.customer, "e2")], key))[0] == 401

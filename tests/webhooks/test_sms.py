"""sms: queued durably, taken by the carrier side from its feed, status reported back."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from gateway.keys import STORE
from gateway.resources.sms import DUE, SMS
from tests.conftest import Tree
from tests.resources.clients import INTAKE_KEY, at, send_events
from tests.webhooks.conftest import Client, Receiver, create_hook, deliver

FEED = "/v2/intake/sms"


async def send_sms(client: Client, tree: Tree, headers: dict[str, str], **fields: Any) -> Any:
    body = {"to": "+15552221111", "from": "+15551112222", "body": "wave if you got this"}
    response = await client.put(
        at(tree.customer, "/sms"), json={"data": {**body, **fields}}, headers=headers
    )
    return response.status, await response.json()


async def feed(client: Client, key: str | None = INTAKE_KEY, query: str = "") -> Any:
    headers = {"X-Auth-Token": key} if key else {}
    response = await client.get(FEED + query, headers=headers)
    return response.status, await response.json()


def status(tree: Tree, message_id: str, value: str, event_id: str, **fields: Any) -> Any:
    return {
        "event_id": event_id,
        "type": "sms_status",
        "account_id": tree.customer["id"],
        "message_id": message_id,
        "status": value,
        **fields,
    }


async def test_a_message_is_queued_with_kazoos_fields_and_listed(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    code, body = await send_sms(client, tree, headers)
    assert code == 201, body
    data = body["data"]
    assert data["status"] == "queued" and data["message_id"] == data["id"]
    assert data["route_type"] == "offnet" and data["from"] == "+15551112222"
    assert data["custom_vars"]["account_id"] == tree.customer["id"]
    listing = await client.get(at(tree.customer, "/sms"), headers=headers)
    [row] = (await listing.json())["data"]
    assert row["id"] == data["id"] and row["status"] == "queued"


async def test_bad_messages_are_400_and_nothing_is_queued(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    for fields in ({"body": ""}, {"body": "x" * 701}, {"to": None}):
        code, body = await send_sms(client, tree, headers, **fields)
        assert code == 400, body
    code, body = await send_sms(client, tree, headers, **{"from": None})
    assert code == 400 and "from" in body["data"]  # no caller id to fall back on
    assert await app[STORE].find(SMS, {}) == []


async def test_the_carrier_takes_each_message_once_per_lease_and_reports_it(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    _, first = await send_sms(client, tree, headers)
    await send_sms(client, tree, headers, body="second")
    assert (await feed(client, key=None))[0] == 401
    code, taken = await feed(client, query="?limit=1")
    assert code == 200 and len(taken["data"]) == 1
    code, rest = await feed(client)
    assert len(rest["data"]) == 1
    assert (await feed(client))[1]["data"] == []  # both leased
    message = taken["data"][0]
    assert message["account_id"] == tree.customer["id"] and message["body"]
    message_id = first["data"]["id"]
    await send_events(client, [status(tree, message_id, "delivered", "s1")])
    await send_events(client, [status(tree, message_id, "sent", "s2")])  # late: ignored
    read = await client.get(at(tree.customer, f"/sms/{message_id}"), headers=headers)
    assert (await read.json())["data"]["status"] == "delivered"
    stored = await app[STORE].get(SMS, message_id)
    assert stored is not None and DUE not in stored


async def test_an_unreported_message_is_offered_again_after_its_lease(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any
) -> None:
    _, sent = await send_sms(client, tree, await auth_headers("customer"))
    assert len((await feed(client))[1]["data"]) == 1
    await app[STORE].update_many(SMS, {"id": sent["data"]["id"]}, {"$set": {DUE: 0}})
    [again] = (await feed(client))[1]["data"]
    assert again["message_id"] == sent["data"]["id"]


async def test_a_report_for_an_unknown_message_is_rejected(client: Client, tree: Tree) -> None:
    code, body = await send_events(client, [status(tree, "f" * 32, "sent", "s9")])
    assert body["data"]["rejected"][0]["reason"] == "unknown message"


async def test_status_changes_fire_object_webhooks(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any, receiver: Receiver
) -> None:
    headers = await auth_headers("customer")
    await create_hook(
        client,
        tree.customer,
        headers,
        uri=receiver.url,
        format="json",
        custom_data={"type": "sms"},
    )
    _, sent = await send_sms(client, tree, headers)
    await send_events(
        client, [status(tree, sent["data"]["id"], "failed", "s1", reason="no route")]
    )
    await deliver(app)
    actions = [json.loads(got.body)["action"] for got in receiver.got]
    assert actions == ["doc_created", "doc_edited"]
    read = await client.get(at(tree.customer, f"/sms/{sent['data']['id']}"), headers=headers)
    data = (await read.json())["data"]
    assert data["status"] == "failed" and data["reason"] == "no route"

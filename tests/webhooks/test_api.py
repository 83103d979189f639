"""The webhooks API around delivery: hook list, samples, the pull feed, refusals, subtree."""

from __future__ import annotations

import base64
import dataclasses
import json
from typing import Any

import pytest
from aiohttp import web

from gateway.settings import Settings
from tests.conftest import Tree
from tests.resources.clients import at, make_user, send_events
from tests.webhooks.conftest import Client, Receiver, create_hook, deliver


async def test_the_hook_list_needs_no_login(client: Client) -> None:
    response = await client.get("/v2/webhooks")
    body = await response.json()
    assert response.status == 200, body
    ids = {row["id"] for row in body["data"]}
    assert {
        "object",
        "channel_create",
        "channel_answer",
        "channel_bridge",
        "channel_destroy",
        "notifications",
    } <= ids
    assert (await client.get("/v2/webhooks/object")).status == 404


async def test_samples_are_listed_and_read(client: Client, tree: Tree, auth_headers: Any) -> None:
    headers = await auth_headers("customer")
    response = await client.get(at(tree.customer, "/webhooks/samples"), headers=headers)
    names = (await response.json())["data"]
    assert "webhooks_channel_create" in names
    response = await client.get(
        at(tree.customer, "/webhooks/samples/webhooks_channel_create"), headers=headers
    )
    [sample, *_] = (await response.json())["data"]
    assert sample["hook_event"] == "channel_create"
    missing = at(tree.customer, "/webhooks/samples/nope")
    assert (await client.get(missing, headers=headers)).status == 404


async def test_the_feed_lists_the_accounts_events_oldest_first_after_since(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any, receiver: Receiver
) -> None:
    headers = await auth_headers("customer")
    await create_hook(client, tree.customer, headers, uri=receiver.url)
    for _ in range(3):
        await client.put(at(tree.customer, "/users"), json={"data": make_user()}, headers=headers)
    await deliver(app)
    response = await client.get(at(tree.customer, "/events?page_size=2"), headers=headers)
    body = await response.json()
    assert response.status == 200, body
    first = body["data"]
    assert len(first) == 2 and body["next_start_key"] == first[-1]["id"]
    assert all(row["account_id"] == tree.customer["id"] for row in first)
    everything = await client.get(at(tree.customer, "/events?page_size=100"), headers=headers)
    rows = (await everything.json())["data"]
    seqs = [row["seq"] for row in rows]
    assert seqs == sorted(seqs)
    delivered = {got.headers["webhook-id"] for got in receiver.got}
    assert delivered <= {row["id"] for row in rows} and len(delivered) == 3
    after = await client.get(
        at(tree.customer, f"/events?since={first[-1]['id']}&page_size=100"), headers=headers
    )
    assert [row["id"] for row in (await after.json())["data"]] == [row["id"] for row in rows[2:]]
    other = await client.get(
        at(tree.other, f"/events?since={first[-1]['id']}"), headers=await auth_headers("other")
    )
    assert other.status == 400
    assert (await client.get(at(tree.other, "/events"), headers=headers)).status == 403


async def test_a_voicemail_fires_the_notifications_hook(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any, receiver: Receiver
) -> None:
    headers = await auth_headers("customer")
    box = await client.put(
        at(tree.customer, "/vmboxes"),
        json={"data": {"name": "Desk", "mailbox": "3001"}},
        headers=headers,
    )
    box_id = (await box.json())["data"]["id"]
    await create_hook(
        client,
        tree.customer,
        headers,
        uri=receiver.url,
        hook="notifications",
        format="json",
        custom_data={"type": "voicemail_new"},
    )
    event = {
        "event_id": "vm-1",
        "type": "voicemail",
        "account_id": tree.customer["id"],
        "vmbox_id": box_id,
        "caller_id_number": "+15551230000",
        "length": 4000,
        "audio": base64.b64encode(b"ID3 audio").decode(),
        "content_type": "audio/mpeg",
    }
    status, body = await send_events(client, [event])
    assert body["data"]["accepted"] == ["vm-1"], body
    await deliver(app)
    [got] = receiver.got
    payload = json.loads(got.body)
    assert payload["event_name"] == "voicemail_new" and payload["voicemail_box"] == box_id
    assert payload["voicemail_length"] == 4000


async def test_re_enable_across_descendants(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any, receiver: Receiver
) -> None:
    customer = await auth_headers("customer")
    hook = await create_hook(client, tree.customer, customer, uri=receiver.url)
    path = at(tree.customer, f"/webhooks/{hook['id']}")
    await client.patch(path, json={"data": {"enabled": False}}, headers=customer)
    reseller = await auth_headers("reseller")
    response = await client.patch(
        at(tree.reseller, "/descendants/webhooks"),
        json={"data": {"re-enable": True}},
        headers=reseller,
    )
    assert response.status == 200, await response.json()
    read = await client.get(path, headers=customer)
    assert (await read.json())["data"]["enabled"] is True


class TestPrivateAddresses:
    """Without GATEWAY_WEBHOOKS_ALLOW_PRIVATE, hooks never point inside the network."""

    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return dataclasses.replace(settings, webhooks_allow_private=False)

    @pytest.mark.parametrize(
        "uri",
        [
            "http://127.0.0.1:8080/hook",
            "http://169.254.169.254/latest",
            "http://10.0.0.5/x",
            "http://[::1]/x",
            "http://localhost/x",
        ],
    )
    async def test_a_private_uri_is_refused_and_nothing_is_stored(
        self, client: Client, tree: Tree, auth_headers: Any, uri: str
    ) -> None:
        headers = await auth_headers("customer")
        response = await client.put(
            at(tree.customer, "/webhooks"),
            json={"data": {"name": "Bad", "hook": "object", "uri": uri}},
            headers=headers,
        )
        body = await response.json()
        assert response.status == 400, body
        assert "uri" in body["data"]
        listing = await client.get(at(tree.customer, "/webhooks"), headers=headers)
        assert (await listing.json())["data"] == []


async def test_an_unanswered_inbound_call_is_a_missed_call_notification(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any, receiver: Receiver
) -> None:
    headers = await auth_headers("customer")
    await create_hook(
        client,
        tree.customer,
        headers,
        uri=receiver.url,
        hook="notifications",
        format="json",
        custom_data={"type": "missed_call"},
    )
    base = {
        "type": "channel",
        "account_id": tree.customer["id"],
        "action": "destroy",
        "direction": "inbound",
        "caller_id_number": "+15551230000",
    }
    events = [
        {**base, "event_id": "d1", "call_id": "missed", "hangup_cause": "ORIGINATOR_CANCEL"},
        {**base, "event_id": "d2", "call_id": "talked", "hangup_cause": "NORMAL_CLEARING"},
        {
            **base,
            "event_id": "d3",
            "call_id": "to-vm",
            "hangup_cause": "NO_ANSWER",
            "message_left": True,
        },
    ]
    status, body = await send_events(client, events)
    assert len(body["data"]["accepted"]) == 3, body
    await deliver(app)
    [got] = receiver.got
    payload = json.loads(got.body)
    assert payload["event_name"] == "missed_call" and payload["call_id"] == "missed"
    assert payload["call_bridged"] is False and payload["message_left"] is False


async def test_a_phone_going_away_is_a_deregister_notification(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any, receiver: Receiver
) -> None:
    headers = await auth_headers("customer")
    await create_hook(
        client, tree.customer, headers, uri=receiver.url, hook="notifications", format="json"
    )
    registration = {
        "type": "registration",
        "account_id": tree.customer["id"],
        "username": "user_1001",
        "realm": tree.customer["realm"],
        "contact": "sip:user_1001@192.0.2.10:5060",
    }
    events = [
        {
            **registration,
            "event_id": "r1",
            "action": "register",
            "expires": 300,
            "first_registration": True,
        },
        {**registration, "event_id": "r2", "action": "register", "expires": 300},
        {**registration, "event_id": "r3", "action": "unregister"},
    ]
    status, body = await send_events(client, events)
    assert len(body["data"]["accepted"]) == 3, body
    await deliver(app)
    names = sorted(json.loads(got.body)["event_name"] for got in receiver.got)
    assert names == ["deregister", "register"]  # a refresh is not a new registration

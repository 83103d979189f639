"""The event stream seen from the API: every change and intake event, once, in order."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from gateway.events.outbox import OUTBOX
from gateway.events.stream import EventStream
from gateway.keys import EVENT_RELAY, STORE
from gateway.settings import Settings
from tests.conftest import Tree
from tests.resources.clients import INTAKE_KEY, at, make_user, send_events

Client = TestClient[Any, Any]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, intake_keys=frozenset({INTAKE_KEY}))


async def published(app: web.Application, **match: Any) -> list[dict[str, Any]]:
    """Every event on the stream (after the relay has run) with these fields."""
    await app[EVENT_RELAY].drain()
    events = await EventStream(app[STORE]).read(limit=10_000)
    return [event for event in events if all(event.get(k) == v for k, v in match.items())]


async def test_a_documents_create_edit_and_delete_are_published_once_in_order(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    users = at(tree.customer, "/users")
    created = await client.put(users, json={"data": make_user()}, headers=headers)
    body = await created.json()
    user_id = body["data"]["id"]
    patched = await client.patch(
        f"{users}/{user_id}", json={"data": {"first_name": "Bea"}}, headers=headers
    )
    assert patched.status == 200
    edited_rev = (await patched.json())["revision"]
    assert (await client.delete(f"{users}/{user_id}", headers=headers)).status == 200
    assert (await client.delete(f"{users}/{user_id}", headers=headers)).status == 404
    events = await published(app, doc_id=user_id)
    assert [event["action"] for event in events] == ["created", "edited", "deleted"]
    assert [event["rev"] for event in events] == [body["revision"], edited_rev, None]
    assert {(event["type"], event["account_id"]) for event in events} == {
        ("users", tree.customer["id"])
    }
    seqs = [event["seq"] for event in events]
    assert seqs == sorted(seqs) and len(set(seqs)) == 3
    assert await app[STORE].find(OUTBOX, {}) == []


async def test_a_refused_write_publishes_nothing(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    users = at(tree.customer, "/users")
    body = {"data": make_user(username="ann", password="pa55word")}
    first = await client.put(users, json=body, headers=headers)
    assert first.status == 201
    before = await published(app)
    again = await client.put(users, json=body, headers=headers)
    assert again.status == 400
    assert await app[STORE].find(OUTBOX, {}) == []
    assert await published(app) == before


async def test_an_intake_event_is_published_once_however_often_it_is_sent(
    client: Client, app: web.Application, tree: Tree
) -> None:
    event = {
        "event_id": "ch-1",
        "type": "channel",
        "account_id": tree.customer["id"],
        "action": "create",
        "call_id": "call-1",
        "direction": "inbound",
        "caller_id_number": "+15551230000",
    }
    for _ in range(2):
        status, body = await send_events(client, [event])
        assert (status, body["data"]["accepted"]) == (200, ["ch-1"])
        await published(app)
    bad = {**event, "event_id": "ch-2", "account_id": "f" * 32}
    status, body = await send_events(client, [bad])
    assert body["data"]["rejected"][0]["event_id"] == "ch-2"
    [published_event] = await published(app, source="intake")
    assert published_event["event_id"] == "ch-1" and published_event["type"] == "channel"
    assert published_event["action"] == "create"
    assert published_event["data"]["call_id"] == "call-1"
    assert published_event["account_id"] == tree.customer["id"]


async def test_a_voicemail_is_published_without_its_audio_beside_its_new_message(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any
) -> None:
    created = await client.put(
        at(tree.customer, "/vmboxes"),
        json={"data": {"name": "Front desk", "mailbox": "3001"}},
        headers=await auth_headers("customer"),
    )
    box = (await created.json())["data"]["id"]
    event = {
        "event_id": "vm-1",
        "type": "voicemail",
        "account_id": tree.customer["id"],
        "vmbox_id": box,
        "caller_id_number": "+15551230000",
        "length": 1000,
        "audio": base64.b64encode(b"ID3 not really audio").decode(),
        "content_type": "audio/mpeg",
    }
    status, body = await send_events(client, [event])
    assert body["data"]["accepted"] == ["vm-1"], body
    [voicemail] = await published(app, source="intake")
    assert voicemail["data"]["vmbox_id"] == box and "audio" not in voicemail["data"]
    # The message is created, then edited as its audio is attached.
    messages = await published(app, type="vm_messages")
    assert [message["action"] for message in messages] == ["created", "edited"]
    assert messages[0]["account_id"] == tree.customer["id"]


async def test_the_relay_publishes_in_the_background_without_being_asked(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    created = await client.put(
        at(tree.customer, "/users"), json={"data": make_user()}, headers=headers
    )
    user_id = (await created.json())["data"]["id"]
    stream = EventStream(app[STORE])
    for _ in range(100):
        if any(event.get("doc_id") == user_id for event in await stream.read(limit=10_000)):
            return
        await asyncio.sleep(0.05)
    pytest.fail("the user's event was not published within 5 s")

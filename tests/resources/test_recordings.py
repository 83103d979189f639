"""Call recordings through the intake and on `/v2/accounts/{A}/recordings`: Kazoo's documents,
newest first, JSON or audio by Accept, signed download links, delete with the audio."""

from __future__ import annotations

import base64
import dataclasses
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from gateway.settings import Settings
from gateway.store import Store
from tests.conftest import Tree
from tests.resources.clients import INTAKE_KEY, at, send_events
from tests.resources.test_audit import about, trail

Client = TestClient[Any, Any]
AUDIO = b"ID3\x03\x00recorded call frames" * 50
START = 63_940_000_000


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, intake_keys=frozenset({INTAKE_KEY}))


def recording(tree: Tree, event_id: str = "rec-1", **fields: Any) -> dict[str, Any]:
    """A recording event of the customer's admin's call."""
    return {
        "event_id": event_id,
        "type": "recording",
        "account_id": tree.customer["id"],
        "call_id": f"call-{event_id}",
        "owner_id": tree.users["customer"]["id"],
        "duration_ms": 61_500,
        "caller_id_number": "+14155550142",
        "caller_id_name": "Ann Smith",
        "callee_id_number": "2001",
        "from": "+14155550142@customer.sip.test",
        "to": "2001@customer.sip.test",
        "direction": "inbound",
        "start": START,
        "audio": base64.b64encode(AUDIO).decode(),
        **fields,
    }


async def recorded(client: Client, *events: dict[str, Any]) -> None:
    status, body = await send_events(client, list(events))
    wanted = [event["event_id"] for event in events]
    assert status == 200 and body["data"]["accepted"] == wanted, body


async def listed(client: Client, tree: Tree, headers: dict[str, str], query: str = "") -> Any:
    response = await client.get(at(tree.customer, f"/recordings{query}"), headers=headers)
    body = await response.json()
    assert response.status == 200, body
    return body


async def test_a_recording_event_is_a_kazoo_recording_listed_newest_first(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    await recorded(client, recording(tree), recording(tree, "rec-2", start=START + 60))
    rows = (await listed(client, tree, headers))["data"]
    assert [row["call_id"] for row in rows] == ["call-rec-2", "call-rec-1"]
    assert rows[1]["duration_ms"] == 61_500 and rows[1]["media_source"] == "recorded"
    response = await client.get(at(tree.customer, f"/recordings/{rows[1]['id']}"), headers=headers)
    doc = (await response.json())["data"]
    assert doc["owner_id"] == tree.users["customer"]["id"]
    assert (doc["duration"], doc["content_type"], doc["start"]) == (62, "audio/mpeg", START)
    assert doc["name"] == "call_recording_call-rec-1.mp3"
    assert (doc["from"], doc["callee_id_number"]) == ("+14155550142@customer.sip.test", "2001")
    assert not any(key.startswith("pvt_") for key in doc)


async def test_created_from_and_to_bound_the_listing_by_start(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    await recorded(client, recording(tree), recording(tree, "rec-2", start=START + 600))
    window = f"?created_from={START + 300}&created_to={START + 900}"
    assert [row["call_id"] for row in (await listed(client, tree, headers, window))["data"]] == [
        "call-rec-2"
    ]
    reversed_window = f"?created_from={START}&created_to={START - 1}"
    response = await client.get(
        at(tree.customer, f"/recordings{reversed_window}"), headers=headers
    )
    assert response.status == 400


@pytest.mark.parametrize(
    ("accept", "query"),
    [
        ({}, "?accept=audio/mpeg"),
        ({"Accept": "audio/mpeg, application/json;q=0.5"}, ""),
        ({"Accept": "application/octet-stream"}, ""),
    ],
)
async def test_asking_for_audio_downloads_the_recording(
    client: Client, tree: Tree, auth_headers: Any, accept: dict[str, str], query: str
) -> None:
    headers = await auth_headers("customer")
    await recorded(client, recording(tree))
    [row] = (await listed(client, tree, headers))["data"]
    path = at(tree.customer, f"/recordings/{row['id']}{query}")
    response = await client.get(path, headers={**headers, **accept})
    assert response.status == 200 and await response.read() == AUDIO
    assert response.content_type == "audio/mpeg"
    assert "call_recording_call-rec-1.mp3" in response.headers["Content-Disposition"]
    ranged = await client.get(path, headers={**headers, **accept, "Range": "bytes=0-9"})
    assert ranged.status == 206 and await ranged.read() == AUDIO[:10]


async def test_delete_removes_the_recording_and_its_audio(
    client: Client, tree: Tree, auth_headers: Any, store: Store
) -> None:
    headers = await auth_headers("customer")
    await recorded(client, recording(tree))
    [row] = (await listed(client, tree, headers))["data"]
    files = await store.files.find_count()
    path = at(tree.customer, f"/recordings/{row['id']}")
    deleted = await client.delete(path, headers=headers)
    assert deleted.status == 200
    assert (await deleted.json())["data"]["_read_only"] == {"deleted": True}
    assert await store.files.find_count() == files - 1
    assert (await client.get(path, headers=headers)).status == 404
    assert (await listed(client, tree, headers))["data"] == []


async def test_another_accounts_recording_is_404(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    await recorded(client, recording(tree))
    [row] = (await listed(client, tree, await auth_headers("customer")))["data"]
    other = await auth_headers("other")
    response = await client.get(at(tree.other, f"/recordings/{row['id']}"), headers=other)
    assert response.status == 404
    response = await client.delete(at(tree.other, f"/recordings/{row['id']}"), headers=other)
    assert response.status == 404


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"owner_id": "0" * 32}, "unknown owner"),
        ({"audio": "not base64!"}, "audio is not base64"),
        ({"content_type": "text/plain"}, "invalid event: content_type"),
        ({"call_id": None}, "invalid event: call_id"),
    ],
)
async def test_a_bad_recording_event_is_refused_and_stores_nothing(
    client: Client,
    tree: Tree,
    auth_headers: Any,
    store: Store,
    fields: dict[str, Any],
    reason: str,
) -> None:
    event = {key: value for key, value in recording(tree, **fields).items() if value is not None}
    status, body = await send_events(client, [event])
    assert status == 200 and body["data"]["accepted"] == []
    assert body["data"]["rejected"][0]["reason"] == reason
    assert (await listed(client, tree, await auth_headers("customer")))["data"] == []
    assert await store.files.find_count() == 0


async def test_a_replayed_recording_event_leaves_one_recording(
    client: Client, tree: Tree, auth_headers: Any, store: Store
) -> None:
    await recorded(client, recording(tree))
    await recorded(client, recording(tree))
    assert len((await listed(client, tree, await auth_headers("customer")))["data"]) == 1
    assert await store.files.find_count() == 1


async def test_a_recording_of_another_users_account_is_refused(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    event = recording(tree, owner_id=tree.users["other"]["id"])
    status, body = await send_events(client, [event])
    assert body["data"]["rejected"][0]["reason"] == "unknown owner"


async def test_the_recording_is_audited_as_the_intakes_and_its_delete_as_the_callers(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    await recorded(client, recording(tree))
    [row] = (await listed(client, tree, headers))["data"]
    assert (await client.delete(at(tree.customer, f"/recordings/{row['id']}"), headers=headers)).ok
    deleted, created = about(await trail(client, app, tree.customer, headers), row["id"])
    assert (created["type"], created["action"]) == ("recordings", "created")
    assert created["actor"] == {"method": "intake_key"}
    assert created["after"]["call_id"] == "call-rec-1"
    assert (deleted["action"], deleted["actor"]["method"]) == ("deleted", "cb_user_auth")

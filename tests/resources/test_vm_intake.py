"""Voicemail through the intake: a message in its box with its audio, listed and downloaded."""

from __future__ import annotations

import base64
import dataclasses
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from gateway.settings import Settings
from tests.conftest import Tree
from tests.resources.clients import INTAKE_KEY, at, send_events

Client = TestClient[Any, Any]
AUDIO = b"ID3\x03\x00fake mp3 frames" * 20


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, intake_keys=frozenset({INTAKE_KEY}))


@pytest.fixture
async def box(client: Client, tree: Tree, auth_headers: Any) -> str:
    response = await client.put(
        at(tree.customer, "/vmboxes"),
        json={"data": {"name": "Front desk", "mailbox": "3001"}},
        headers=await auth_headers("customer"),
    )
    assert response.status == 201
    return str((await response.json())["data"]["id"])


def voicemail(tree: Tree, box: str, event_id: str = "vm-1", **fields: Any) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "type": "voicemail",
        "account_id": tree.customer["id"],
        "vmbox_id": box,
        "caller_id_number": "+15551230000",
        "caller_id_name": "Ann Smith",
        "length": 12000,
        "audio": base64.b64encode(AUDIO).decode(),
        "content_type": "audio/mpeg",
        **fields,
    }


async def test_a_voicemail_lands_new_in_its_box_with_its_audio(
    client: Client, tree: Tree, auth_headers: Any, box: str
) -> None:
    headers = await auth_headers("customer")
    status, body = await send_events(client, [voicemail(tree, box)])
    assert status == 200 and body["data"]["accepted"] == ["vm-1"], body
    response = await client.get(at(tree.customer, f"/vmboxes/{box}/messages"), headers=headers)
    [message] = (await response.json())["data"]
    assert (message["folder"], message["caller_id_name"], message["length"]) == (
        "new",
        "Ann Smith",
        12000,
    )
    response = await client.get(at(tree.customer, "/vmboxes"), headers=headers)
    assert (await response.json())["data"][0]["messages"] == 1
    raw = at(tree.customer, f"/vmboxes/{box}/messages/{message['media_id']}/raw")
    response = await client.get(raw, headers=headers)
    assert response.status == 200 and await response.read() == AUDIO


async def test_a_replayed_voicemail_leaves_one_message(
    client: Client, tree: Tree, auth_headers: Any, box: str
) -> None:
    await send_events(client, [voicemail(tree, box)])
    status, body = await send_events(client, [voicemail(tree, box)])
    assert body["data"]["accepted"] == ["vm-1"]
    response = await client.get(
        at(tree.customer, f"/vmboxes/{box}/messages"), headers=await auth_headers("customer")
    )
    assert len((await response.json())["data"]) == 1


async def test_an_unknown_box_or_undecodable_audio_is_refused(
    client: Client, tree: Tree, auth_headers: Any, box: str
) -> None:
    events = [
        voicemail(tree, "0" * 32, "vm-a"),
        voicemail(tree, box, "vm-b", audio="not base64 at all!"),
        voicemail(tree, box, "vm-c", content_type="text/html"),
    ]
    status, body = await send_events(client, events)
    assert status == 200 and body["data"]["accepted"] == []
    reasons = [item["reason"] for item in body["data"]["rejected"]]
    assert reasons == [
        "unknown voicemail box",
        "audio is not base64",
        "invalid event: content_type",
    ]
    response = await client.get(
        at(tree.customer, f"/vmboxes/{box}/messages"), headers=await auth_headers("customer")
    )
    assert (await response.json())["data"] == []

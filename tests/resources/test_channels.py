"""Channels from the intake: live state per account, user and device; gone once destroyed."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from gateway.settings import Settings
from tests.conftest import Tree
from tests.resources.clients import INTAKE_KEY as KEY
from tests.resources.clients import at, create_device
from tests.resources.clients import send_events as send

Client = TestClient[Any, Any]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, intake_keys=frozenset({KEY}))


def channel(tree: Tree, event_id: str, action: str, call_id: str = "call-1", **fields: Any) -> Any:
    return {
        "event_id": event_id,
        "type": "channel",
        "account_id": tree.customer["id"],
        "action": action,
        "call_id": call_id,
        **fields,
    }


async def rows(client: Client, path: str, headers: dict[str, str]) -> Any:
    response = await client.get(path, headers=headers)
    body = await response.json()
    return response.status, body["data"]


async def test_a_call_is_listed_while_it_lasts_and_gone_once_destroyed(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    owner = tree.users["customer"]["id"]
    created = channel(
        tree, "c1", "create", direction="inbound", destination="1001", owner_id=owner
    )
    status, body = await send(client, [created, channel(tree, "c2", "answer")])
    assert status == 200 and body["data"]["accepted"] == ["c1", "c2"], body
    status, data = await rows(client, at(tree.customer, "/channels"), headers)
    assert status == 200 and len(data) == 1
    assert set(data[0]) == {
        "uuid", "answered", "direction", "destination", "username", "presence_id",
        "owner_id", "authorizing_id", "authorizing_type", "other_leg", "timestamp",
    }  # fmt: skip
    assert (data[0]["uuid"], data[0]["answered"], data[0]["owner_id"]) == ("call-1", True, owner)
    status, one = await rows(client, at(tree.customer, "/channels/call-1"), headers)
    assert status == 200 and one["direction"] == "inbound"
    status, mine = await rows(client, at(tree.customer, f"/users/{owner}/channels"), headers)
    assert status == 200 and [row["uuid"] for row in mine] == ["call-1"]

    await send(client, [channel(tree, "c3", "destroy"), channel(tree, "c4", "answer")])
    assert (await rows(client, at(tree.customer, "/channels"), headers))[1] == []
    response = await client.get(at(tree.customer, "/channels/call-1"), headers=headers)
    assert response.status == 404


async def test_device_channels_are_those_the_device_authorized(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    device = await create_device(client, tree.customer, headers)
    await send(
        client,
        [
            channel(tree, "c1", "create", "a", authorizing_type="device", authorizing_id=device),
            channel(tree, "c2", "create", "b"),
        ],
    )
    status, data = await rows(client, at(tree.customer, f"/devices/{device}/channels"), headers)
    assert status == 200 and [row["uuid"] for row in data] == ["a"]
    response = await client.get(
        at(tree.customer, f"/devices/{'0' * 32}/channels"), headers=headers
    )
    assert response.status == 404


async def test_channels_stay_in_their_account(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    await send(client, [channel(tree, "c1", "create")])
    status, data = await rows(client, at(tree.other, "/channels"), await auth_headers("other"))
    assert status == 200 and data == []
    response = await client.get(
        at(tree.other, "/channels/call-1"), headers=await auth_headers("other")
    )
    assert response.status == 404


async def test_a_channel_event_without_a_call_id_or_with_a_bad_action_is_refused(
    client: Client, tree: Tree
) -> None:
    bad = [
        {k: v for k, v in channel(tree, "c1", "create").items() if k != "call_id"},
        channel(tree, "c2", "hold"),
    ]
    status, body = await send(client, bad)
    assert status == 200 and body["data"]["accepted"] == []
    assert [item["reason"] for item in body["data"]["rejected"]] == [
        "invalid event: call_id",
        "invalid event: action",
    ]

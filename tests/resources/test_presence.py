"""Presence from registrations, channels and do-not-disturb, and states set by hand."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from gateway.settings import Settings
from tests.conftest import Tree
from tests.resources.clients import INTAKE_KEY, at, create_device, send_events

Client = TestClient[Any, Any]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, intake_keys=frozenset({INTAKE_KEY}))


class Line:
    """The customer admin's user and one device it owns."""

    def __init__(self, client: Client, tree: Tree, headers: dict[str, str], device: str) -> None:
        self.client, self.tree, self.headers, self.device = client, tree, headers, device
        self.user = tree.users["customer"]["id"]

    def event(self, event_id: str, kind: str, **fields: Any) -> dict[str, Any]:
        return {
            "event_id": event_id,
            "type": kind,
            "account_id": self.tree.customer["id"],
            "authorizing_type": "device",
            "authorizing_id": self.device,
            **fields,
        }

    async def report(self, *events: dict[str, Any]) -> None:
        status, body = await send_events(self.client, list(events))
        assert status == 200 and not body["data"]["rejected"], body

    async def state(self, path: str) -> str:
        response = await self.client.get(at(self.tree.customer, path), headers=self.headers)
        body = await response.json()
        assert response.status == 200, body
        return str(body["data"]["state"])

    async def states(self) -> tuple[str, str]:
        user = await self.state(f"/users/{self.user}/presence")
        return user, await self.state(f"/devices/{self.device}/presence")

    async def change(self, path: str, data: dict[str, Any]) -> Any:
        response = await self.client.post(
            at(self.tree.customer, path), json={"data": data}, headers=self.headers
        )
        return response.status, await response.json()


@pytest.fixture
async def line(client: Client, tree: Tree, auth_headers: Any) -> Line:
    headers = await auth_headers("customer")
    owner = tree.users["customer"]["id"]
    return Line(
        client, tree, headers, await create_device(client, tree.customer, headers, owner_id=owner)
    )


async def test_presence_follows_registration_and_calls(line: Line) -> None:
    assert await line.states() == ("offline", "offline")
    register = {"action": "register", "username": "desk", "realm": line.tree.customer["realm"]}
    await line.report(line.event("r1", "registration", **register))
    assert await line.states() == ("available", "available")
    await line.report(line.event("c1", "channel", action="create", call_id="k1"))
    assert await line.states() == ("busy", "busy")
    await line.report(line.event("c2", "channel", action="destroy", call_id="k1"))
    assert await line.states() == ("available", "available")
    await line.report(line.event("r2", "registration", **{**register, "action": "unregister"}))
    assert await line.states() == ("offline", "offline")


async def test_do_not_disturb_wins_and_a_manual_state_holds_until_reset(line: Line) -> None:
    status, body = await line.change(
        f"/users/{line.user}/presence", {"action": "set", "state": "away"}
    )
    assert status == 200 and body["data"] == {"state": "away"}
    response = await line.client.patch(
        at(line.tree.customer, f"/users/{line.user}"),
        json={"data": {"do_not_disturb": {"enabled": True}}},
        headers=line.headers,
    )
    assert response.status == 200
    assert (await line.states())[0] == "dnd"
    response = await line.client.patch(
        at(line.tree.customer, f"/users/{line.user}"),
        json={"data": {"do_not_disturb": {"enabled": False}}},
        headers=line.headers,
    )
    assert (await line.states())[0] == "away"
    status, body = await line.change(f"/users/{line.user}/presence", {"action": "reset"})
    assert status == 200 and body["data"] == {"state": "offline"}


async def test_the_account_lists_every_user_with_its_state(line: Line) -> None:
    await line.change(f"/users/{line.user}/presence", {"action": "set", "state": "busy"})
    response = await line.client.get(at(line.tree.customer, "/presence"), headers=line.headers)
    body = await response.json()
    assert response.status == 200
    assert {"id": line.user, "state": "busy"} in body["data"]


@pytest.mark.parametrize(
    ("data", "path"),
    [({"action": "set", "state": "napping"}, "state"), ({"action": "nap"}, "action")],
)
async def test_a_bad_action_or_state_is_400_and_changes_nothing(
    line: Line, data: dict[str, Any], path: str
) -> None:
    status, body = await line.change(f"/devices/{line.device}/presence", data)
    assert status == 400 and "enum" in body["data"][path], body
    assert (await line.states())[1] == "offline"


async def test_setting_presence_needs_a_user_or_a_device(line: Line) -> None:
    status, body = await line.change("/presence", {"action": "set", "state": "away"})
    assert status == 400 and "required" in body["data"]["presence"], body

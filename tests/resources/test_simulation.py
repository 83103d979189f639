"""The switch simulator against the demo fixtures: phones register and expire, presence
moves, CDRs are listed and exported, voicemail arrives."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from gateway.calls.simulation import Simulation
from gateway.keys import STORE
from gateway.provision import load_fixtures
from gateway.settings import Settings
from gateway.simulate import lines_of
from tests.conftest import login
from tests.resources.clients import INTAKE_KEY, send_events

Client = TestClient[Any, Any]
FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, intake_keys=frozenset({INTAKE_KEY}))


async def report(client: Client, events: list[dict[str, Any]]) -> None:
    status, body = await send_events(client, events)
    assert status == 200 and body["data"]["rejected"] == [], body


async def test_the_simulator_moves_the_demo_pbx(client: Client, app: web.Application) -> None:
    await load_fixtures(app, FIXTURES)
    lines = await lines_of(app[STORE], ["Acme Corp"])
    assert len(lines) >= 2 and all(line.vmbox_id for line in lines[:1])
    sim = Simulation(lines, registration_expires=60, seed=7, voicemail_share=1.0)
    headers = {"X-Auth-Token": await login(client, "alice", "acme-demo", "Acme Corp")}
    base = f"/v2/accounts/{lines[0].account_id}"
    line = lines[0]

    async def data(path: str) -> Any:
        response = await client.get(base + path, headers=headers)
        body = await response.json()
        assert response.status == 200, body
        return body["data"]

    async def presence() -> str:
        return str((await data(f"/users/{line.owner_id}/presence"))["state"])

    await report(client, [sim.register(each) for each in lines])
    assert len(await data("/registrations")) == len(lines)
    assert await presence() == "available"

    await report(client, [sim.start_call(line)])
    assert await presence() == "busy"
    assert [row["uuid"] for row in await data("/channels")] == [sim.calls[0].call_id]

    await report(client, sim.end_call(sim.calls[0]))
    [row] = await data("/cdrs")
    assert row["hangup_cause"] == "NO_ANSWER" and row["owner_id"] == line.owner_id
    response = await client.get(base + "/cdrs?accept=csv", headers=headers)
    assert (await response.text()).count("\r\n") == 2
    [message] = await data(f"/vmboxes/{line.vmbox_id}/messages")
    assert message["folder"] == "new"

    for _ in range(20):
        await report(client, list(sim.tick(calls_per_tick=1.0)))
    # Every phone refreshes with a one-second registration, then lets it lapse.
    sim.registration_expires = 1
    await report(client, [sim.register(each) for each in lines])
    await asyncio.sleep(1.05)
    assert await data("/registrations") == []
    on_a_call = any(call.line.owner_id == line.owner_id for call in sim.calls)
    assert await presence() == ("busy" if on_a_call else "offline")

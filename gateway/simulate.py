"""`python -m gateway simulate`: drive a running gateway's intake with a pretend switch."""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Any

import aiohttp

from gateway.auth.tree import ACCOUNTS
from gateway.calls.simulation import Line, Simulation
from gateway.crossbar.documents import BY_ACCOUNT, Listing
from gateway.resources.accounts import name_key
from gateway.settings import Settings
from gateway.store import Store
from gateway.store.connect import open_store

MOST_LINES = 1000


async def lines_of(store: Store, accounts: list[str]) -> list[Line]:
    """The SIP devices of the named (or id'd) accounts, with their owners' boxes."""
    lines: list[Line] = []
    for wanted in accounts:
        account = await store.get(ACCOUNTS, wanted) or await store.find_one(
            ACCOUNTS, {"pvt_name_key": name_key(wanted)}
        )
        if account is None:
            raise SystemExit(f"no account {wanted!r}")
        scope = {BY_ACCOUNT.field: Listing.bounds(account["id"])}
        boxes = {
            box.get("owner_id"): box["id"]
            for box in await store.find("vmboxes", scope, limit=MOST_LINES)
            if box.get("owner_id")
        }
        for device in await store.find("devices", scope, limit=MOST_LINES):
            username = (device.get("sip") or {}).get("username")
            if username:
                owner = device.get("owner_id")
                lines.append(
                    Line(
                        account["id"],
                        account["realm"],
                        device["id"],
                        username,
                        owner,
                        boxes.get(owner),
                    )
                )
    return lines


async def simulate(
    settings: Settings, url: str, key: str, accounts: list[str], rate: float, duration: float
) -> int:
    """Send a second's events each second for `duration` seconds; stop on the first refusal."""
    async with open_store(settings) as store:
        lines = await lines_of(store, accounts)
    if not lines:
        print("those accounts have no SIP devices to simulate", file=sys.stderr)
        return 1
    simulation = Simulation(lines)
    sent = 0
    deadline = time.monotonic() + duration
    async with aiohttp.ClientSession(headers={"X-Auth-Token": key}) as session:
        while time.monotonic() < deadline:
            events = list(simulation.tick(calls_per_tick=rate))
            if events:
                answer = await _post(session, url, events)
                if answer.get("rejected"):
                    print(f"refused: {answer['rejected'][:3]}", file=sys.stderr)
                    return 1
                sent += len(events)
            await asyncio.sleep(1)
    print(f"sent {sent} events for {len(lines)} phones in {duration:.0f} s")
    return 0


async def _post(session: aiohttp.ClientSession, url: str, events: list[Any]) -> dict[str, Any]:
    async with session.post(f"{url.rstrip('/')}/v2/intake", json={"data": events}) as response:
        body = await response.json()
        if response.status != 200:
            raise SystemExit(f"the intake answered {response.status}: {body.get('message')}")
        result: dict[str, Any] = body["data"]
        return result

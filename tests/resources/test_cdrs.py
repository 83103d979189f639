"""CDRs from the intake: Kazoo's rows, the time window rules, pages, per user, CSV."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from gateway.crossbar.clock import gregorian_now
from gateway.settings import Settings
from tests.conftest import Tree
from tests.resources.clients import INTAKE_KEY, at, send_events

Client = TestClient[Any, Any]
DAY = 86_400


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, intake_keys=frozenset({INTAKE_KEY}), page_size_max=100)


def cdr(tree: Tree, number: int, timestamp: int, **fields: Any) -> dict[str, Any]:
    return {
        "event_id": f"cdr-{number}",
        "type": "cdr",
        "account_id": tree.customer["id"],
        "call_id": f"call-{number}",
        "call_direction": "inbound",
        "request": "1001@acme.sip.test",
        "from": "+15551230000@acme.sip.test",
        "to": "1001@acme.sip.test",
        "duration_seconds": 61,
        "billing_seconds": 55,
        "hangup_cause": "NORMAL_CLEARING",
        "timestamp": timestamp,
        **fields,
    }


async def get(client: Client, path: str, headers: dict[str, str]) -> tuple[int, Any]:
    response = await client.get(path, headers=headers)
    return response.status, await response.json()


async def test_a_cdr_is_listed_with_kazoos_columns_and_read_whole(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    now = gregorian_now()
    owner = tree.users["customer"]["id"]
    event = cdr(tree, 1, now - 60, custom_channel_vars={"owner_id": owner})
    status, body = await send_events(client, [event])
    assert body["data"]["accepted"] == ["cdr-1"], body
    status, body = await get(client, at(tree.customer, "/cdrs"), headers)
    assert status == 200, body
    [row] = body["data"]
    assert row["id"].endswith("-call-1") and len(row["id"].split("-", 1)[0]) == 6
    assert (row["direction"], row["owner_id"], row["dialed_number"]) == ("inbound", owner, "1001")
    assert row["calling_from"] == "+15551230000" and row["cost"] == ""
    assert row["unix_timestamp"] == now - 60 - 62167219200
    assert len(row["datetime"]) == 19 and row["datetime"][10] == "_"
    status, whole = await get(client, at(tree.customer, f"/cdrs/{row['id']}"), headers)
    assert status == 200 and whole["data"]["hangup_cause"] == "NORMAL_CLEARING"
    assert not any(key.startswith("pvt_") for key in whole["data"])
    status, mine = await get(client, at(tree.customer, f"/users/{owner}/cdrs"), headers)
    assert status == 200 and [r["id"] for r in mine["data"]] == [row["id"]]


async def test_the_default_window_is_the_last_day(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    now = gregorian_now()
    await send_events(client, [cdr(tree, 1, now - 100), cdr(tree, 2, now - 2 * DAY)])
    status, body = await get(client, at(tree.customer, "/cdrs"), await auth_headers("customer"))
    assert status == 200 and [row["call_id"] for row in body["data"]] == ["call-1"]
    window = f"?created_from={now - 3 * DAY}&created_to={now}"
    status, body = await get(
        client, at(tree.customer, "/cdrs" + window), await auth_headers("customer")
    )
    assert [row["call_id"] for row in body["data"]] == ["call-1", "call-2"]


@pytest.mark.parametrize(("width", "ok"), [(2_682_000, True), (2_682_001, False), (-10, False)])
async def test_a_window_wider_than_the_maximum_or_reversed_is_400(
    client: Client, tree: Tree, auth_headers: Any, width: int, ok: bool
) -> None:
    start = gregorian_now() - 3_000_000
    query = f"/cdrs?created_from={start}&created_to={start + width}"
    status, body = await get(client, at(tree.customer, query), await auth_headers("customer"))
    if ok:
        assert status == 200, body
        return
    assert status == 400 and "date_range" in body["data"]["created_from"], body
    detail = body["data"]["created_from"]["date_range"]
    assert detail["cause"] == (start + width if width > 0 else start)


async def test_pages_follow_time_newest_first_without_repeats(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    now = gregorian_now()
    await send_events(client, [cdr(tree, n, now - 1000 + n) for n in range(7)])
    seen: list[str] = []
    query = "?page_size=3"
    for _ in range(3):
        status, body = await get(client, at(tree.customer, "/cdrs" + query), headers)
        assert status == 200, body
        seen += [row["call_id"] for row in body["data"]]
        if "next_start_key" not in body:
            break
        query = f"?page_size=3&start_key={body['next_start_key']}"
    assert seen == [f"call-{n}" for n in range(6, -1, -1)]


async def test_cdrs_export_as_kazoos_csv(client: Client, tree: Tree, auth_headers: Any) -> None:
    now = gregorian_now()
    await send_events(client, [cdr(tree, 1, now - 10, caller_id_name="Smith, Ann")])
    response = await client.get(
        at(tree.customer, "/cdrs?accept=csv"), headers=await auth_headers("customer")
    )
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    text = await response.text()
    lines = text.split("\r\n")
    assert lines[0].startswith("id,call_id,caller_id_number,caller_id_name,")
    assert lines[0].endswith(",call_priority,interaction_id")
    assert '"Smith, Ann"' in lines[1] and lines[2] == ""


async def test_cdrs_stay_in_their_account(client: Client, tree: Tree, auth_headers: Any) -> None:
    await send_events(client, [cdr(tree, 1, gregorian_now() - 10)])
    other = await auth_headers("other")
    status, body = await get(client, at(tree.other, "/cdrs"), other)
    assert status == 200 and body["data"] == []
    _, mine = await get(client, at(tree.customer, "/cdrs"), await auth_headers("customer"))
    cdr_id = mine["data"][0]["id"]
    status, _ = await get(client, at(tree.other, f"/cdrs/{cdr_id}"), other)
    assert status == 404


async def test_interactions_list_their_heads_and_legs_list_every_leg(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    now = gregorian_now()
    top = {"interaction_is_top": True}
    await send_events(
        client,
        [
            cdr(tree, 1, now - 30, interaction_id="i-1", custom_channel_vars=top),
            cdr(tree, 2, now - 29, interaction_id="i-1", call_direction="outbound"),
            cdr(tree, 3, now - 20),
        ],
    )
    status, body = await get(client, at(tree.customer, "/cdrs/interaction"), headers)
    assert status == 200 and [row["call_id"] for row in body["data"]] == ["call-3", "call-1"]
    status, body = await get(client, at(tree.customer, "/cdrs/legs/i-1"), headers)
    assert status == 200 and [row["call_id"] for row in body["data"]] == ["call-2", "call-1"]
    status, body = await get(client, at(tree.customer, "/cdrs/legs/i-unknown"), headers)
    assert status == 200 and body["data"] == []


async def test_the_summary_totals_carrier_legs_by_direction_domain_and_class(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    now = gregorian_now()
    carrier = {"resource_id": "r1"}
    events = [
        cdr(tree, 1, now - 60, to="+18005551234@acme.sip.test", custom_channel_vars={}),
        cdr(
            tree,
            2,
            now - 50,
            billing_seconds=5,
            to="+18885550000@acme.sip.test",
            custom_channel_vars={},
        ),
        # An inbound leg from a registered phone is internal: not counted.
        cdr(tree, 3, now - 40, custom_channel_vars={"authorizing_id": "d" * 32}),
        cdr(
            tree,
            4,
            now - 30,
            call_direction="outbound",
            to="+442071234567@carrier.test",
            billing_seconds=30,
            custom_channel_vars={**carrier, "rate_name": "uk"},
        ),
        # An outbound leg that used no carrier is not counted either.
        cdr(
            tree,
            5,
            now - 20,
            call_direction="outbound",
            to="2125551234@acme.sip.test",
            custom_channel_vars={},
        ),
        cdr(
            tree,
            6,
            now - 10,
            call_direction="outbound",
            to="911@carrier.test",
            billing_seconds=2,
            custom_channel_vars=carrier,
        ),
        # Outside the window.
        cdr(tree, 7, now - 3 * DAY, to="+18005551234@acme.sip.test", custom_channel_vars={}),
    ]
    status, body = await send_events(client, events)
    assert len(body["data"]["accepted"]) == 7, body
    status, body = await get(
        client, at(tree.customer, "/cdrs/summary"), await auth_headers("customer")
    )
    assert status == 200, body
    assert body["data"] == {
        "inbound": {"acme.sip.test": {"tollfree_us": {"total": 60}}},
        "outbound": {
            "carrier.test": {
                "international": {"total": 30, "uk": 30},
                "emergency": {"total": 2},
            }
        },
    }


async def test_the_summary_keeps_to_the_account_and_the_window_rules(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    now = gregorian_now()
    await send_events(
        client, [cdr(tree, 1, now - 60, to="+18005551234@a.test", custom_channel_vars={})]
    )
    status, body = await get(client, at(tree.other, "/cdrs/summary"), await auth_headers("other"))
    assert (status, body["data"]) == (200, {"inbound": {}, "outbound": {}})
    status, body = await get(
        client, at(tree.other, "/cdrs/summary"), await auth_headers("customer")
    )
    assert status == 403
    wide = f"/cdrs/summary?created_from={now - 2_682_001}&created_to={now}"
    status, body = await get(client, at(tree.customer, wide), await auth_headers("customer"))
    assert status == 400 and "date_range" in body["data"]["created_from"]

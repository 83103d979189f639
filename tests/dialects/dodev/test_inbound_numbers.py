"""`/v1/pbx/inbound-numbers` over Kazoo phone_numbers and the callflows carrying them: provision
and release as /v2 does, routing by moving the number between callflows (never in two, all
or nothing), stats, pages, scopes and other accounts."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from gateway.crossbar import write
from gateway.crossbar.errors import DatastoreConflict, InvalidData
from gateway.dialects.dodev.endpoints import inbound_numbers, number_moves
from tests.conftest import Tree
from tests.dialects.dodev.helpers import bearer, error_of, mint
from tests.dialects.dodev.test_call_flows import PLAY, hex_of, v2_get, v2_put
from tests.resources.clients import at

Client = TestClient[Any, Any]
NUMBERS = "/v1/pbx/inbound-numbers"
NUMBER = "+12395551234"
DID = "did_12395551234"
KEYS = {"id", "number", "status", "routing", "createdAt"}
UNROUTED = {"type": None, "targetId": None, "callFlowId": None}


class Pbx:
    """The customer's /v1/pbx key and /v2 token, and the calls the tests make."""

    def __init__(self, client: Client, tree: Tree, headers: dict[str, str], key: Any) -> None:
        self.client, self.tree, self.headers, self.key = client, tree, headers, bearer(key)

    async def provision(self, number: str = NUMBER, **body: Any) -> dict[str, Any]:
        response = await self.client.post(
            NUMBERS, json={"number": number, **body}, headers=self.key
        )
        shown = await response.json()
        assert response.status == 201, shown
        return dict(shown)

    async def route(self, routing: Any, did: str = DID) -> dict[str, Any]:
        response = await self.client.patch(
            f"{NUMBERS}/{did}", json={"routing": routing}, headers=self.key
        )
        shown = await response.json()
        assert response.status == 200, shown
        return dict(shown["routing"])

    async def put(self, kind: str, **data: Any) -> dict[str, Any]:
        return await v2_put(self.client, self.headers, self.tree.customer, kind, **data)

    async def callflows(self) -> list[dict[str, Any]]:
        """The customer's callflows as /v2 lists them."""
        status, rows = await v2_get(self.client, self.headers, self.tree.customer, "/callflows")
        assert status == 200
        return list(rows)

    async def carriers(self, number: str = NUMBER) -> list[dict[str, Any]]:
        """Every /v2 callflow listing `number` (never more than one)."""
        found = [row for row in await self.callflows() if number in row["numbers"]]
        assert len(found) <= 1, found
        return found

    async def callflow(self, flow_id: str) -> dict[str, Any]:
        status, doc = await v2_get(
            self.client, self.headers, self.tree.customer, f"/callflows/{hex_of(flow_id)}"
        )
        assert status == 200, doc
        return dict(doc)


@pytest.fixture
async def pbx(client: Client, tree: Tree, auth_headers: Any) -> Pbx:
    headers = await auth_headers("customer")
    return Pbx(client, tree, headers, await mint(client, headers, tree.customer))


async def test_a_provisioned_number_is_the_accounts_phone_number_on_v2(pbx: Pbx) -> None:
    shown = await pbx.provision("2395551234")
    assert set(shown) == KEYS and shown["id"] == DID and shown["number"] == NUMBER
    assert shown["status"] == "in_service" and shown["routing"] == UNROUTED
    assert shown["createdAt"].endswith("Z")
    status, stored = await v2_get(
        pbx.client, pbx.headers, pbx.tree.customer, "/phone_numbers/%2B12395551234"
    )
    assert status == 200 and stored["state"] == "in_service"
    reserved = await pbx.provision("+12395551235", status="reserved")
    assert reserved["status"] == "reserved" and reserved["id"] == "did_12395551235"
    added = await pbx.client.put(
        at(pbx.tree.customer, "/phone_numbers/%2B12395551236"), headers=pbx.headers
    )
    assert added.status == 201
    read = await (await pbx.client.get(f"{NUMBERS}/did_12395551236", headers=pbx.key)).json()
    assert (read["id"], read["number"]) == ("did_12395551236", "+12395551236")
    assert read["status"] == "reserved" and read["routing"] == UNROUTED
    listed = await (await pbx.client.get(NUMBERS, headers=pbx.key)).json()
    assert [item["id"] for item in listed["inboundNumbers"]] == [
        DID,
        "did_12395551235",
        "did_12395551236",
    ]


async def test_a_number_held_anywhere_is_409_and_bad_bodies_are_400(
    pbx: Pbx, auth_headers: Any
) -> None:
    await pbx.provision()
    again = await pbx.client.post(NUMBERS, json={"number": NUMBER}, headers=pbx.key)
    assert again.status == 409 and (await error_of(again))["code"] == "NUMBER_EXISTS"
    other = bearer(await mint(pbx.client, await auth_headers("other"), pbx.tree.other))
    theirs = await pbx.client.post(NUMBERS, json={"number": NUMBER}, headers=other)
    assert theirs.status == 409 and (await error_of(theirs))["code"] == "NUMBER_EXISTS"
    for body, field in (
        ({}, ("number", "required")),
        ({"number": "12ab"}, ("number", "pattern")),
        ({"number": "+12395550001", "status": "available"}, ("status", "enum")),
        ({"number": "+12395550001", "label": "x"}, ("label", "unknown")),
        ({"number": "+12395550001", "routing": {"type": "fax"}}, ("routing.type", "enum")),
    ):
        response = await pbx.client.post(NUMBERS, json=body, headers=pbx.key)
        error = await error_of(response)
        assert response.status == 400 and error["code"] == "VALIDATION_ERROR", error
        assert [(item["field"], item["rule"]) for item in error["fields"]] == [field]
    status, _ = await v2_get(
        pbx.client, pbx.headers, pbx.tree.customer, "/phone_numbers/%2B12395550001"
    )
    assert status == 404


async def test_routing_to_a_user_makes_its_callflow_seen_on_v2(pbx: Pbx) -> None:
    await pbx.provision()
    user = await pbx.put("users", first_name="Ann", last_name="Lee")
    box = await pbx.put("vmboxes", name="Ann", mailbox="1001", owner_id=user["id"])
    routed = await pbx.route({"type": "extension", "targetId": f"ext_{user['id']}"})
    assert routed["type"] == "extension" and routed["targetId"] == f"ext_{user['id']}"
    [row] = await pbx.carriers()
    assert routed["callFlowId"] == f"flow_{row['id']}" and row["numbers"] == [NUMBER]
    stored = await pbx.callflow(routed["callFlowId"])
    assert stored["flow"]["module"] == "user" and stored["flow"]["data"]["id"] == user["id"]
    assert stored["flow"]["children"]["_"] == {
        "module": "voicemail",
        "data": {"id": box["id"]},
    }
    status, number = await v2_get(
        pbx.client, pbx.headers, pbx.tree.customer, "/phone_numbers/%2B12395551234"
    )
    assert status == 200 and number["used_by"] == "callflow"
    listed = await (await pbx.client.get(NUMBERS, headers=pbx.key)).json()
    assert listed["inboundNumbers"][0]["routing"] == routed


async def test_a_user_with_a_callflow_gets_the_number_in_it(pbx: Pbx) -> None:
    await pbx.provision()
    user = await pbx.put("users", first_name="Bo", last_name="Ek")
    own = await pbx.put(
        "callflows", numbers=["101"], flow={"module": "user", "data": {"id": user["id"]}}
    )
    routed = await pbx.route({"type": "extension", "targetId": f"ext_{user['id']}"})
    assert routed["callFlowId"] == f"flow_{own['id']}"
    assert (await pbx.callflow(routed["callFlowId"]))["numbers"] == ["101", NUMBER]
    unrouted = await pbx.route(None)
    assert unrouted == UNROUTED
    assert (await pbx.callflow(f"flow_{own['id']}"))["numbers"] == ["101"]


async def test_a_callflow_made_on_v2_routes_a_number_provisioned_here(pbx: Pbx) -> None:
    box = await pbx.put("vmboxes", name="Main", mailbox="2000")
    made = await pbx.put(
        "callflows",
        numbers=["2395551234"],
        flow={"module": "voicemail", "data": {"id": box["id"]}},
    )
    shown = await pbx.provision()
    assert shown["routing"] == {
        "type": "voicemail",
        "targetId": f"vm_{box['id']}",
        "callFlowId": f"flow_{made['id']}",
    }
    status, number = await v2_get(
        pbx.client, pbx.headers, pbx.tree.customer, "/phone_numbers/%2B12395551234"
    )
    assert status == 200 and number["used_by"] == "callflow"
    path = at(pbx.tree.customer, f"/callflows/{made['id']}")
    assert (await pbx.client.delete(path, headers=pbx.headers)).status == 200
    read = await (await pbx.client.get(f"{NUMBERS}/{DID}", headers=pbx.key)).json()
    assert read["routing"] == UNROUTED


async def test_each_target_reads_back_as_routed(pbx: Pbx) -> None:
    await pbx.provision()
    user = await pbx.put("users", first_name="Cy", last_name="Ode")
    box = await pbx.put("vmboxes", name="Main", mailbox="2000")
    queue = await pbx.put("queues", name="Support")
    group = await pbx.put("groups", name="Sales", endpoints={user["id"]: {"type": "user"}})
    conference = await pbx.put("conferences", name="Bridge")
    bridge = await pbx.put(
        "callflows",
        numbers=["800"],
        flow={"module": "conference", "data": {"id": conference["id"]}},
    )
    ring = await pbx.put(
        "callflows",
        numbers=["900"],
        flow={
            "module": "ring_group",
            "data": {"endpoints": [{"id": user["id"], "endpoint_type": "user"}]},
        },
    )
    menu = await pbx.put("callflows", numbers=["700"], flow=PLAY)
    for target, module in (
        ({"type": "voicemail", "targetId": f"vm_{box['id']}"}, "voicemail"),
        ({"type": "call-queue", "targetId": f"q_{queue['id']}"}, "acdc_member"),
        ({"type": "ring-group", "targetId": f"rg_{group['id']}"}, "ring_group"),
        ({"type": "ring-group", "targetId": f"flow_{ring['id']}"}, "ring_group"),
        ({"type": "extension", "targetId": f"ext_{bridge['id']}"}, "conference"),
        ({"type": "call-flow", "targetId": f"flow_{menu['id']}"}, "tts"),
        ({"type": "external", "externalNumber": "4155550100"}, "resources"),
    ):
        routed = await pbx.route(target)
        expected: dict[str, Any] = dict(target)
        if target["type"] == "external":
            expected = {"type": "external", "targetId": None, "externalNumber": "+14155550100"}
        assert {k: routed[k] for k in expected} == expected, routed
        [row] = await pbx.carriers()
        assert routed["callFlowId"] == f"flow_{row['id']}"
        assert (await pbx.callflow(routed["callFlowId"]))["flow"]["module"] == module
    assert (await pbx.callflow(f"flow_{bridge['id']}"))["numbers"] == ["800"]
    assert (await pbx.callflow(f"flow_{menu['id']}"))["numbers"] == ["700"]
    assert (await pbx.callflow(f"flow_{ring['id']}"))["numbers"] == ["900"]


async def test_moving_a_number_leaves_it_in_exactly_one_callflow(pbx: Pbx) -> None:
    await pbx.provision()
    user = await pbx.put("users", first_name="Di", last_name="Fay")
    box = await pbx.put("vmboxes", name="Main", mailbox="2000")
    shared = await pbx.put("callflows", numbers=["700", "701"], flow=PLAY)
    first = await pbx.route({"type": "extension", "targetId": f"ext_{user['id']}"})
    # The number's own callflow changes its flow in place.
    in_place = await pbx.route({"type": "voicemail", "targetId": f"vm_{box['id']}"})
    assert in_place["callFlowId"] == first["callFlowId"]
    assert (await pbx.callflow(first["callFlowId"]))["flow"]["module"] == "voicemail"
    # Joining another callflow deletes the one that carried only this number.
    joined = await pbx.route({"type": "call-flow", "targetId": f"flow_{shared['id']}"})
    assert joined["callFlowId"] == f"flow_{shared['id']}"
    assert [row["id"] for row in await pbx.carriers()] == [shared["id"]]
    status, _ = await v2_get(
        pbx.client, pbx.headers, pbx.tree.customer, f"/callflows/{hex_of(first['callFlowId'])}"
    )
    assert status == 404
    # Leaving a shared callflow takes the number out of it and keeps the rest.
    own = await pbx.route({"type": "voicemail", "targetId": f"vm_{box['id']}"})
    assert own["callFlowId"] not in (joined["callFlowId"], first["callFlowId"])
    assert (await pbx.callflow(joined["callFlowId"]))["numbers"] == ["700", "701"]
    assert len(await pbx.carriers()) == 1
    same = await pbx.route({"type": "voicemail", "targetId": f"vm_{box['id']}"})
    assert same == own
    assert await pbx.route({"type": None}) == UNROUTED
    assert await pbx.carriers() == []
    assert len(await pbx.callflows()) == 1


async def test_a_failed_join_puts_the_number_back_where_it_was(
    pbx: Pbx, monkeypatch: pytest.MonkeyPatch
) -> None:
    await pbx.provision()
    shared = await pbx.put("callflows", numbers=["700", NUMBER, "701"], flow=PLAY)
    target = await pbx.put("callflows", numbers=["900"], flow=PLAY)
    real = write.save

    async def refuse_target(ctx: Any, docs: Any, data: Any, old: Any, **kw: Any) -> Any:
        if old is not None and old["id"] == target["id"]:
            raise InvalidData({"flow": {"invalid": {"message": "refused"}}})
        return await real(ctx, docs, data, old, **kw)

    monkeypatch.setattr(number_moves, "save", refuse_target)
    response = await pbx.client.patch(
        f"{NUMBERS}/{DID}",
        json={"routing": {"type": "call-flow", "targetId": f"flow_{target['id']}"}},
        headers=pbx.key,
    )
    error = await error_of(response)
    assert response.status == 400 and error["fields"][0]["field"] == "flow"
    assert (await pbx.callflow(f"flow_{shared['id']}"))["numbers"] == ["700", NUMBER, "701"]
    box = await pbx.put("vmboxes", name="Main", mailbox="2000")
    own = await pbx.route({"type": "voicemail", "targetId": f"vm_{box['id']}"})
    response = await pbx.client.patch(
        f"{NUMBERS}/{DID}",
        json={"routing": {"type": "call-flow", "targetId": f"flow_{target['id']}"}},
        headers=pbx.key,
    )
    assert response.status == 400
    [row] = await pbx.carriers()
    assert f"flow_{row['id']}" == own["callFlowId"]
    assert (await pbx.callflow(own["callFlowId"]))["flow"]["module"] == "voicemail"


async def test_a_routing_that_fails_on_provision_releases_the_number(
    pbx: Pbx, monkeypatch: pytest.MonkeyPatch
) -> None:
    box = await pbx.put("vmboxes", name="Main", mailbox="2000")

    async def refuse(ctx: Any, docs: Any, data: Any, old: Any, **kw: Any) -> Any:
        raise InvalidData({"flow": {"invalid": {"message": "refused"}}})

    monkeypatch.setattr(number_moves, "save", refuse)
    response = await pbx.client.post(
        NUMBERS,
        json={"number": NUMBER, "routing": {"type": "voicemail", "targetId": f"vm_{box['id']}"}},
        headers=pbx.key,
    )
    assert response.status == 400
    status, _ = await v2_get(
        pbx.client, pbx.headers, pbx.tree.customer, "/phone_numbers/%2B12395551234"
    )
    assert status == 404
    monkeypatch.undo()
    shown = await pbx.provision(routing={"type": "voicemail", "targetId": f"vm_{box['id']}"})
    assert shown["routing"]["targetId"] == f"vm_{box['id']}"


async def test_release_takes_the_number_out_of_its_callflow_and_the_account(
    pbx: Pbx, monkeypatch: pytest.MonkeyPatch
) -> None:
    await pbx.provision()
    await pbx.provision("+12395551235")
    shared = await pbx.put("callflows", numbers=["700"], flow=PLAY)
    box = await pbx.put("vmboxes", name="Main", mailbox="2000")
    await pbx.route({"type": "call-flow", "targetId": f"flow_{shared['id']}"})
    own = await pbx.route({"type": "voicemail", "targetId": f"vm_{box['id']}"}, "did_12395551235")

    async def conflict(ctx: Any, number: str) -> Any:
        raise DatastoreConflict()

    with monkeypatch.context() as patched:
        patched.setattr(inbound_numbers, "release_number", conflict)
        refused = await pbx.client.delete(f"{NUMBERS}/did_12395551235", headers=pbx.key)
        assert refused.status == 409 and (await error_of(refused))["code"] == "CONFLICT"
    assert [row["id"] for row in await pbx.carriers("+12395551235")] == [hex_of(own["callFlowId"])]
    for did in (DID, "did_12395551235"):
        released = await pbx.client.delete(f"{NUMBERS}/{did}", headers=pbx.key)
        assert released.status == 204
    assert await pbx.carriers() == [] and await pbx.carriers("+12395551235") == []
    assert [row["id"] for row in await pbx.callflows()] == [shared["id"]]
    assert (await pbx.callflow(f"flow_{shared['id']}"))["numbers"] == ["700"]
    for tail in ("/phone_numbers/%2B12395551234", "/phone_numbers/%2B12395551235"):
        assert (await v2_get(pbx.client, pbx.headers, pbx.tree.customer, tail))[0] == 404
    assert (await pbx.client.get(f"{NUMBERS}/{DID}", headers=pbx.key)).status == 404


async def test_stats_count_numbers_by_status_and_routing_type(pbx: Pbx) -> None:
    box = await pbx.put("vmboxes", name="Main", mailbox="2000")
    menu = await pbx.put("callflows", numbers=["700"], flow=PLAY)
    for n in range(4):
        await pbx.provision(f"+1239555100{n}", **({"status": "reserved"} if n == 3 else {}))
    await pbx.route({"type": "voicemail", "targetId": f"vm_{box['id']}"}, "did_12395551000")
    await pbx.route({"type": "call-flow", "targetId": f"flow_{menu['id']}"}, "did_12395551001")
    await pbx.route({"type": "external", "externalNumber": "+14155550100"}, "did_12395551002")
    stats = await (await pbx.client.get(f"{NUMBERS}/stats", headers=pbx.key)).json()
    assert stats == {
        "total": 4,
        "byStatus": {"in_service": 3, "reserved": 1},
        "byRoutingType": {
            "extension": 0,
            "ring-group": 0,
            "call-flow": 1,
            "call-queue": 0,
            "external": 1,
            "voicemail": 1,
            "unrouted": 1,
        },
    }


async def test_pages_walk_the_accounts_numbers_once_by_cursor(pbx: Pbx, auth_headers: Any) -> None:
    other = bearer(await mint(pbx.client, await auth_headers("other"), pbx.tree.other))
    await pbx.client.post(NUMBERS, json={"number": "+12395550999"}, headers=other)
    made = [(await pbx.provision(f"+1239555200{n}"))["id"] for n in (4, 1, 3, 0, 2)]
    seen: list[str] = []
    cursor = None
    for _ in range(3):
        query = f"?limit=2&cursor={cursor}" if cursor else "?limit=2"
        page = await (await pbx.client.get(NUMBERS + query, headers=pbx.key)).json()
        seen += [item["id"] for item in page["inboundNumbers"]]
        cursor = page["nextCursor"]
    assert cursor is None and seen == sorted(made)


async def test_a_read_key_reads_but_cannot_write(pbx: Pbx, client: Client, tree: Tree) -> None:
    await pbx.provision()
    reader = bearer(await mint(client, pbx.headers, tree.customer, scopes=["pbx:dids:read"]))
    writer = bearer(await mint(client, pbx.headers, tree.customer, scopes=["pbx:dids:write"]))
    for path in (NUMBERS, f"{NUMBERS}/stats", f"{NUMBERS}/{DID}"):
        assert (await client.get(path, headers=reader)).status == 200
        refused = await client.get(path, headers=writer)
        assert refused.status == 403
        assert (await error_of(refused))["requiredScope"] == "pbx:dids:read"
    for verb, path, body in (
        ("POST", NUMBERS, {"number": "+12395550002"}),
        ("PATCH", f"{NUMBERS}/{DID}", {"routing": None}),
        ("DELETE", f"{NUMBERS}/{DID}", None),
    ):
        response = await client.request(verb, path, json=body, headers=reader)
        error = await error_of(response)
        assert response.status == 403 and error["code"] == "INSUFFICIENT_SCOPE"
        assert error["requiredScope"] == "pbx:dids:write"


async def test_another_accounts_numbers_and_targets_name_nothing(
    pbx: Pbx, auth_headers: Any
) -> None:
    await pbx.provision()
    other_headers = await auth_headers("other")
    other = bearer(await mint(pbx.client, other_headers, pbx.tree.other))
    await pbx.client.post(NUMBERS, json={"number": "+12395559999"}, headers=other)
    for did in ("did_12395559999", "did_+12395559999", "did_0123", "ext_12395559999", "did_"):
        for verb, body in (("GET", None), ("PATCH", {"routing": None}), ("DELETE", None)):
            response = await pbx.client.request(
                verb, f"{NUMBERS}/{did}", json=body, headers=pbx.key
            )
            error = await error_of(response)
            assert response.status == 404 and error["code"] in ("NUMBER_NOT_FOUND", "NOT_FOUND")
    their_box = await v2_put(
        pbx.client, other_headers, pbx.tree.other, "vmboxes", name="Theirs", mailbox="1"
    )
    their_user = pbx.tree.users["other"]["id"]
    for routing_body, field, rule in (
        (
            {"type": "voicemail", "targetId": f"vm_{their_box['id']}"},
            "routing.targetId",
            "not_found",
        ),
        ({"type": "extension", "targetId": f"ext_{their_user}"}, "routing.targetId", "not_found"),
        (
            {"type": "extension", "targetId": f"vm_{their_box['id']}"},
            "routing.targetId",
            "not_found",
        ),
        ({"type": "call-flow"}, "routing.targetId", "required"),
        ({"type": "external"}, "routing.externalNumber", "required"),
        ({"type": "external", "externalNumber": "x1"}, "routing.externalNumber", "pattern"),
        ({"type": "voicemail", "target": "x"}, "routing.target", "unknown"),
        ("voicemail", "routing", "type"),
    ):
        response = await pbx.client.patch(
            f"{NUMBERS}/{DID}", json={"routing": routing_body}, headers=pbx.key
        )
        error = await error_of(response)
        assert response.status == 400 and error["code"] == "VALIDATION_ERROR"
        assert [(item["field"], item["rule"]) for item in error["fields"]] == [(field, rule)]
    assert (await (await pbx.client.get(f"{NUMBERS}/{DID}", headers=pbx.key)).json())[
        "routing"
    ] == UNROUTED
    status, theirs = await v2_get(
        pbx.client, other_headers, pbx.tree.other, "/phone_numbers/%2B12395559999"
    )
    assert status == 200 and theirs["state"] == "in_service"

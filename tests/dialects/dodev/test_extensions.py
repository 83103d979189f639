"""`/v1/pbx/extensions` over Kazoo's users, devices, voicemail boxes, conferences and callflows:
made through one API and read, changed and removed through the other; all parts or none; live
status from the intake; pages, stats, scopes and validation."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from gateway.crossbar.errors import InvalidData
from gateway.extensions import numbers as extension_numbers
from gateway.extensions import parts as extension_parts
from gateway.settings import Settings
from tests.conftest import Tree
from tests.dialects.dodev.helpers import bearer, error_of, mint
from tests.resources.clients import INTAKE_KEY, send_events

Client = TestClient[Any, Any]
Body = dict[str, Any]
EXTENSIONS = "/v1/pbx/extensions"
FRONT_DESK = {
    "number": "101",
    "name": "Front Desk",
    "callerIdName": "Acme Corp",
    "callerIdNumber": "2395551234",
    "voicemailEnabled": True,
}
SHOWN = {
    "number": "101",
    "name": "Front Desk",
    "type": "user",
    "status": "offline",
    "callerIdName": "Acme Corp",
    "callerIdNumber": "2395551234",
    "voicemailEnabled": True,
    "forwardingEnabled": False,
    "registeredDevices": 0,
}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, intake_keys=frozenset({INTAKE_KEY}))


@dataclasses.dataclass
class Pbx:
    """The customer account through both APIs: a /v1/pbx key and the admin's /v2 token."""

    client: Client
    tree: Tree
    admin: dict[str, str]
    key: dict[str, str]

    def v2(self, tail: str) -> str:
        return f"/v2/accounts/{self.tree.customer['id']}/{tail}"

    async def kazoo(self, verb: str, tail: str, data: Any = None) -> tuple[int, Any]:
        body = None if data is None else {"data": data}
        response = await self.client.request(verb, self.v2(tail), headers=self.admin, json=body)
        return response.status, (await response.json())

    async def kazoo_data(self, verb: str, tail: str, data: Any = None) -> Any:
        status, body = await self.kazoo(verb, tail, data)
        assert status in (200, 201), body
        return body["data"]

    async def call(self, verb: str, tail: str = "", body: Any = None, **headers: str) -> Any:
        return await self.client.request(
            verb, EXTENSIONS + tail, json=body, headers={**self.key, **headers}
        )

    async def create(self, **fields: Any) -> Body:
        response = await self.call("POST", "", {**FRONT_DESK, **fields})
        body = await response.json()
        assert response.status == 201, body
        return dict(body)

    async def feature(self, kind: str, number: str = "800", name: str = "Room") -> Body:
        response = await self.call("POST", "", {"type": kind, "number": number, "name": name})
        body = await response.json()
        assert response.status == 201, body
        return dict(body)

    async def read(self, public_id: str) -> Body:
        response = await self.call("GET", f"/{public_id}")
        body = await response.json()
        assert response.status == 200, body
        return dict(body)

    async def listed(self, query: str = "") -> list[Body]:
        response = await self.call("GET", query)
        body = await response.json()
        assert response.status == 200, body
        return list(body["extensions"])

    async def documents(self) -> dict[str, list[str]]:
        """The ids of every user (but the admin), device, box, conference and callflow."""
        found = {}
        for kind in ("users", "devices", "vmboxes", "conferences", "callflows"):
            rows = await self.kazoo_data("GET", kind)
            admin = self.tree.users["customer"]["id"]
            found[kind] = sorted(row["id"] for row in rows if row["id"] != admin)
        return found


NOTHING: dict[str, list[str]] = {
    kind: [] for kind in ("users", "devices", "vmboxes", "conferences", "callflows")
}


@pytest.fixture
async def pbx(client: Client, tree: Tree, auth_headers: Any) -> Pbx:
    admin = await auth_headers("customer")
    key = await mint(
        client, admin, tree.customer, scopes=["pbx:extensions:read", "pbx:extensions:write"]
    )
    return Pbx(client, tree, admin, bearer(key))


def doc_id(public_id: str) -> str:
    assert public_id.startswith("ext_")
    return public_id.removeprefix("ext_")


async def test_create_makes_a_linked_user_device_box_and_callflow(pbx: Pbx) -> None:
    made = await pbx.create(forwardingNumber="+14155550100", forwardingRingTimeout=25)
    sip = made.pop("sip")
    assert made == {
        **SHOWN,
        "id": made["id"],
        "forwardingEnabled": True,
        "forwardingNumber": "+14155550100",
        "forwardingRingTimeout": 25,
    }
    assert set(sip) == {"username", "password", "realm"}
    assert sip["realm"] == pbx.tree.customer["realm"] and len(sip["password"]) >= 20
    assert await pbx.read(made["id"]) == made
    user_id = doc_id(made["id"])
    user = await pbx.kazoo_data("GET", f"users/{user_id}")
    assert (user["first_name"], user["last_name"], user["presence_id"]) == ("Front", "Desk", "101")
    assert user["caller_id"] == {
        "internal": {"name": "Front Desk", "number": "101"},
        "external": {"name": "Acme Corp", "number": "2395551234"},
    }
    assert user["call_forward"]["enabled"] and user["call_forward"]["number"] == "+14155550100"
    [device] = await pbx.kazoo_data("GET", f"users/{user_id}/devices")
    stored = await pbx.kazoo_data("GET", f"devices/{device['id']}")
    assert stored["owner_id"] == user_id and stored["device_type"] == "sip_device"
    assert (stored["sip"]["username"], stored["sip"]["password"]) == (
        sip["username"],
        sip["password"],
    )
    [box] = await pbx.kazoo_data("GET", "vmboxes")
    assert (box["mailbox"], box["owner_id"]) == ("101", user_id)
    [row] = await pbx.kazoo_data("GET", "callflows")
    assert row["numbers"] == ["101"] and row["modules"] == ["user", "voicemail"]
    callflow = await pbx.kazoo_data("GET", f"callflows/{row['id']}")
    assert callflow["owner_id"] == user_id and callflow["type"] == "mainUserCallflow"
    assert callflow["flow"]["data"] == {"id": user_id, "can_call_self": False, "timeout": 25}
    assert callflow["flow"]["children"]["_"]["data"] == {"id": box["id"]}
    assert [item["id"] for item in await pbx.listed()] == [made["id"]]


async def test_v2_changes_show_here_and_a_v2_delete_removes_it(pbx: Pbx) -> None:
    made = await pbx.create()
    user_id = doc_id(made["id"])
    change = {"first_name": "Back", "call_forward": {"enabled": True, "number": "+14155550111"}}
    await pbx.kazoo_data("PATCH", f"users/{user_id}", change)
    shown = await pbx.read(made["id"])
    assert shown["name"] == "Back Desk" and shown["forwardingEnabled"] is True
    assert shown["forwardingNumber"] == "+14155550111"
    [row] = await pbx.kazoo_data("GET", "callflows")
    [box] = await pbx.kazoo_data("GET", "vmboxes")
    await pbx.kazoo_data("DELETE", f"callflows/{row['id']}")
    assert (await pbx.read(made["id"]))["voicemailEnabled"] is False
    await pbx.kazoo_data("DELETE", f"vmboxes/{box['id']}")
    for device in await pbx.kazoo_data("GET", f"users/{user_id}/devices"):
        await pbx.kazoo_data("DELETE", f"devices/{device['id']}")
    await pbx.kazoo_data("DELETE", f"users/{user_id}")
    missing = await pbx.call("GET", f"/{made['id']}")
    error = await error_of(missing)
    assert missing.status == 404 and error["code"] == "EXTENSION_NOT_FOUND"
    assert error["message"] == f"Extension with ID {made['id']} not found"


async def v2_employee(pbx: Pbx, number: str = "1005") -> tuple[Body, Body, Body, Body]:
    """What a Monster UI admin makes: a user, its phone, its box and its callflow."""
    user = await pbx.kazoo_data(
        "PUT", "users", {"first_name": "Nia", "last_name": "Novak", "presence_id": number}
    )
    device = await pbx.kazoo_data(
        "PUT",
        "devices",
        {"name": "Nia desk", "owner_id": user["id"], "sip": {"username": "nia_1005"}},
    )
    box = await pbx.kazoo_data(
        "PUT", "vmboxes", {"name": "Nia", "mailbox": number, "owner_id": user["id"]}
    )
    flow = {
        "module": "user",
        "data": {"id": user["id"]},
        "children": {"_": {"module": "voicemail", "data": {"id": box["id"]}}},
    }
    callflow = await pbx.kazoo_data("PUT", "callflows", {"numbers": [number], "flow": flow})
    return user, device, box, callflow


async def test_a_v2_user_with_a_callflow_number_is_an_extension_changed_and_removed_here(
    pbx: Pbx,
) -> None:
    user, device, box, callflow = await v2_employee(pbx)
    public_id = f"ext_{user['id']}"
    shown = await pbx.read(public_id)
    assert shown == {
        **SHOWN,
        "id": public_id,
        "number": "1005",
        "name": "Nia Novak",
        "callerIdName": None,
        "callerIdNumber": None,
    }
    assert [item["id"] for item in await pbx.listed()] == [public_id]
    change = {"number": "1006", "voicemailEnabled": False, "callerIdName": "Sales"}
    patched = await pbx.call("PATCH", f"/{public_id}", change)
    body = await patched.json()
    assert patched.status == 200, body
    assert (body["number"], body["voicemailEnabled"], body["callerIdName"]) == (
        "1006",
        False,
        "Sales",
    )
    stored = await pbx.kazoo_data("GET", f"callflows/{callflow['id']}")
    assert stored["numbers"] == ["1006"] and stored["flow"]["children"] == {}
    assert (await pbx.kazoo("GET", f"vmboxes/{box['id']}"))[0] == 404
    assert (await pbx.kazoo_data("GET", f"users/{user['id']}"))["presence_id"] == "1006"
    again = await pbx.call("PATCH", f"/{public_id}", {"voicemailEnabled": True})
    assert again.status == 200 and (await again.json())["voicemailEnabled"] is True
    [new_box] = await pbx.kazoo_data("GET", "vmboxes")
    assert (new_box["mailbox"], new_box["owner_id"]) == ("1006", user["id"])
    deleted = await pbx.call("DELETE", f"/{public_id}")
    assert deleted.status == 204 and await deleted.read() == b""
    assert await pbx.documents() == NOTHING
    assert (await pbx.kazoo("GET", f"devices/{device['id']}"))[0] == 404


async def test_a_number_move_takes_the_box_and_frees_the_old_number(pbx: Pbx) -> None:
    made = await pbx.create()
    moved = await pbx.call("PATCH", f"/{made['id']}", {"number": "102", "name": "Lobby"})
    body = await moved.json()
    assert moved.status == 200 and (body["number"], body["name"]) == ("102", "Lobby")
    [box] = await pbx.kazoo_data("GET", "vmboxes")
    [row] = await pbx.kazoo_data("GET", "callflows")
    assert box["mailbox"] == "102" and row["numbers"] == ["102"]
    user = await pbx.kazoo_data("GET", f"users/{doc_id(made['id'])}")
    assert (user["first_name"], user["last_name"]) == ("Lobby", "Lobby")
    assert user["caller_id"]["internal"] == {"name": "Lobby", "number": "102"}
    other = await pbx.create(name="Second Line")
    assert other["number"] == "101"


async def test_forwarding_and_caller_id_change_and_clear(pbx: Pbx) -> None:
    made = await pbx.create()
    path = f"/{made['id']}"
    on = await pbx.call(
        "PATCH", path, {"forwardingNumber": "+14155550100", "forwardingRingTimeout": 30}
    )
    body = await on.json()
    assert on.status == 200 and body["forwardingEnabled"] is True
    assert (body["forwardingNumber"], body["forwardingRingTimeout"]) == ("+14155550100", 30)
    off = await pbx.call("PATCH", path, {"forwardingEnabled": False, "callerIdName": None})
    body = await off.json()
    assert body["forwardingEnabled"] is False and body["forwardingNumber"] == "+14155550100"
    assert body["callerIdName"] is None and body["callerIdNumber"] == "2395551234"
    cleared = await pbx.call(
        "PATCH", path, {"forwardingNumber": None, "forwardingRingTimeout": None}
    )
    body = await cleared.json()
    assert "forwardingNumber" not in body and "forwardingRingTimeout" not in body
    [row] = await pbx.kazoo_data("GET", "callflows")
    stored = await pbx.kazoo_data("GET", f"callflows/{row['id']}")
    assert "timeout" not in stored["flow"]["data"]
    refused = await pbx.call("PATCH", path, {"forwardingEnabled": True})
    error = await error_of(refused)
    assert refused.status == 400 and error["fields"][0]["field"] == "forwardingNumber"


def failing_save(monkeypatch: pytest.MonkeyPatch, kind: str, error: Exception) -> None:
    """The first new document of `kind` fails to save."""
    real = extension_parts.save

    async def save(ctx: Any, docs: Any, data: Any, old: Any, **kw: Any) -> Any:
        if docs.kind == kind and old is None:
            raise error
        return await real(ctx, docs, data, old, **kw)

    monkeypatch.setattr(extension_parts, "save", save)


async def test_a_create_failing_after_user_device_and_box_leaves_nothing(
    pbx: Pbx, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing_save(monkeypatch, "callflows", RuntimeError("the store went away"))
    response = await pbx.call("POST", "", FRONT_DESK)
    assert response.status == 500
    assert (await error_of(response))["code"] == "INTERNAL_ERROR"
    assert await pbx.documents() == NOTHING
    assert await pbx.listed() == []
    monkeypatch.undo()
    made = await pbx.create()
    assert made["number"] == "101"


async def test_a_number_taken_between_check_and_write_is_409_and_leaves_nothing(
    pbx: Pbx, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = extension_numbers.number_holder
    taken: list[Body] = []

    async def then_taken(ctx: Any, number: str) -> str | None:
        """The check finds the number free; a /v2 callflow takes it right after."""
        holder = await checked(ctx, number)
        if not taken:
            other = {"numbers": [number], "flow": {"module": "park", "data": {}}}
            taken.append(await pbx.kazoo_data("PUT", "callflows", other))
        return holder

    monkeypatch.setattr(extension_numbers, "number_holder", then_taken)
    response = await pbx.call("POST", "", FRONT_DESK)
    error = await error_of(response)
    assert response.status == 409 and error["code"] == "NUMBER_IN_USE"
    assert (error["number"], error["callFlowId"]) == ("101", f"flow_{taken[0]['id']}")
    assert await pbx.documents() == {**NOTHING, "callflows": [taken[0]["id"]]}
    listed = await pbx.listed()
    assert [(item["id"], item["type"]) for item in listed] == [
        (f"ext_{taken[0]['id']}", "parking")
    ]


async def test_a_refusal_of_a_later_part_undoes_the_earlier_ones(
    pbx: Pbx, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing_save(monkeypatch, "vmboxes", InvalidData({"mailbox": {"invalid": {}}}))
    response = await pbx.call("POST", "", FRONT_DESK)
    error = await error_of(response)
    assert response.status == 400 and error["fields"][0]["field"] == "number"
    assert await pbx.documents() == NOTHING


async def test_a_taken_number_or_mailbox_is_409_number_in_use(pbx: Pbx) -> None:
    park = await pbx.kazoo_data(
        "PUT", "callflows", {"numbers": ["200"], "flow": {"module": "park"}}
    )
    await pbx.kazoo_data("PUT", "vmboxes", {"name": "Shared", "mailbox": "0201"})
    first = await pbx.create(number="202")
    [own] = [
        row["id"] for row in await pbx.kazoo_data("GET", "callflows") if row["id"] != park["id"]
    ]
    await pbx.kazoo_data(
        "PUT", "users", {"first_name": "A", "last_name": "B", "presence_id": "203"}
    )
    for number, held_by in (("200", park["id"]), ("201", None), ("202", own), ("203", None)):
        response = await pbx.call("POST", "", {**FRONT_DESK, "number": number})
        error = await error_of(response)
        assert response.status == 409 and error["code"] == "NUMBER_IN_USE", number
        assert error["number"] == number and number in error["message"]
        assert error["callFlowId"] == (f"flow_{held_by}" if held_by else None)
    without_box = await pbx.create(number="201", voicemailEnabled=False)
    assert without_box["voicemailEnabled"] is False
    moved = await pbx.call("PATCH", f"/{first['id']}", {"number": "200"})
    assert moved.status == 409
    assert (await pbx.read(first["id"]))["number"] == "202"
    assert len((await pbx.documents())["users"]) == 3


async def test_delete_removes_every_part_and_is_refused_while_another_callflow_uses_one(
    pbx: Pbx,
) -> None:
    made = await pbx.create()
    user_id = doc_id(made["id"])
    ring = {
        "module": "ring_group",
        "data": {"endpoints": [{"id": user_id, "endpoint_type": "user"}]},
    }
    group = await pbx.kazoo_data("PUT", "callflows", {"numbers": ["600"], "flow": ring})
    refused = await pbx.call("DELETE", f"/{made['id']}")
    error = await error_of(refused)
    assert refused.status == 409 and error["code"] == "EXTENSION_IN_USE"
    assert error["callFlowId"] == f"flow_{group['id']}"
    assert len((await pbx.documents())["callflows"]) == 2
    await pbx.kazoo_data("DELETE", f"callflows/{group['id']}")
    assert (await pbx.call("DELETE", f"/{made['id']}")).status == 204
    assert await pbx.documents() == NOTHING
    again = await pbx.call("DELETE", f"/{made['id']}")
    assert again.status == 404


async def test_voicemail_stays_while_another_callflow_sends_calls_to_the_box(pbx: Pbx) -> None:
    made = await pbx.create()
    [box] = await pbx.kazoo_data("GET", "vmboxes")
    flow = {"module": "voicemail", "data": {"id": box["id"]}}
    await pbx.kazoo_data(
        "PUT", "callflows", {"name": "After hours", "numbers": ["601"], "flow": flow}
    )
    refused = await pbx.call("PATCH", f"/{made['id']}", {"voicemailEnabled": False, "name": "X"})
    error = await error_of(refused)
    assert refused.status == 409 and error["code"] == "EXTENSION_IN_USE"
    assert "After hours" in error["message"]
    assert await pbx.read(made["id"]) == {k: v for k, v in made.items() if k != "sip"}


@pytest.mark.parametrize(
    ("kind", "module"),
    [("conference", "conference"), ("parking", "park"), ("paging", "page_group")],
)
async def test_conference_parking_and_paging_extensions_are_callflows(
    pbx: Pbx, kind: str, module: str
) -> None:
    made = await pbx.feature(kind)
    assert made == {
        "id": made["id"],
        "number": "800",
        "name": "Room",
        "type": kind,
        "status": "available",
        "callerIdName": None,
        "callerIdNumber": None,
        "voicemailEnabled": False,
        "forwardingEnabled": False,
        "registeredDevices": 0,
        "sip": None,
    }
    callflow = await pbx.kazoo_data("GET", f"callflows/{doc_id(made['id'])}")
    assert callflow["numbers"] == ["800"] and callflow["flow"]["module"] == module
    documents = await pbx.documents()
    assert documents["users"] == [] and documents["devices"] == []
    if kind == "conference":
        [room] = documents["conferences"]
        assert callflow["flow"]["data"] == {"id": room}
    patched = await pbx.call("PATCH", f"/{made['id']}", {"name": "Hall", "number": "801"})
    assert (await patched.json())["number"] == "801"
    if kind == "conference":
        assert (await pbx.kazoo_data("GET", f"conferences/{room}"))["name"] == "Hall"
    refused = await pbx.call("PATCH", f"/{made['id']}", {"callerIdName": "X", "type": kind})
    error = await error_of(refused)
    assert refused.status == 400 and error["fields"][0]["rule"] == "notAllowed"
    assert (await pbx.call("DELETE", f"/{made['id']}")).status == 204
    assert await pbx.documents() == NOTHING


async def test_a_v2_park_callflow_is_a_parking_extension(pbx: Pbx) -> None:
    flow = {"name": "Park", "numbers": ["700"], "flow": {"module": "park", "data": {}}}
    callflow = await pbx.kazoo_data("PUT", "callflows", flow)
    shown = await pbx.read(f"ext_{callflow['id']}")
    assert (shown["type"], shown["number"], shown["name"]) == ("parking", "700", "Park")
    plain = {"numbers": ["701"], "flow": {"module": "play", "data": {}}}
    other = await pbx.kazoo_data("PUT", "callflows", plain)
    assert (await pbx.call("GET", f"/ext_{other['id']}")).status == 404


async def send(pbx: Pbx, event_id: str, kind: str, **fields: Any) -> None:
    event = {"event_id": event_id, "type": kind, "account_id": pbx.tree.customer["id"], **fields}
    status, body = await send_events(pbx.client, [event])
    assert status == 200 and not body["data"]["rejected"], body


async def test_status_follows_registrations_calls_and_presence(pbx: Pbx) -> None:
    made = await pbx.create()
    user_id = doc_id(made["id"])
    [device] = await pbx.kazoo_data("GET", f"users/{user_id}/devices")
    realm = pbx.tree.customer["realm"]
    register = {"action": "register", "realm": realm, "authorizing_type": "device"}
    await send(pbx, "r1", "registration", username="desk", authorizing_id=device["id"], **register)
    shown = await pbx.read(made["id"])
    assert (shown["status"], shown["registeredDevices"]) == ("available", 1)
    second = await pbx.kazoo_data("PUT", "devices", {"name": "Softphone", "owner_id": user_id})
    await send(pbx, "r2", "registration", username="soft", authorizing_id=second["id"], **register)
    assert (await pbx.read(made["id"]))["registeredDevices"] == 2
    call = {"call_id": "k1", "authorizing_type": "device", "authorizing_id": second["id"]}
    await send(pbx, "c1", "channel", action="answer", **call)
    assert [item["status"] for item in await pbx.listed()] == ["busy"]
    await send(pbx, "c2", "channel", action="destroy", **call)
    assert (await pbx.read(made["id"]))["status"] == "available"
    away = {"action": "set", "state": "away"}
    await pbx.kazoo_data("POST", f"users/{user_id}/presence", away)
    assert (await pbx.read(made["id"]))["status"] == "away"
    await pbx.kazoo_data("PATCH", f"users/{user_id}", {"do_not_disturb": {"enabled": True}})
    assert (await pbx.read(made["id"]))["status"] == "dnd"
    await send(pbx, "r3", "registration", username="desk", **{**register, "action": "unregister"})
    assert (await pbx.read(made["id"]))["registeredDevices"] == 1


async def test_stats_count_by_type_and_status(pbx: Pbx) -> None:
    first = await pbx.create()
    await pbx.create(number="102", name="Back Office")
    await pbx.feature("conference")
    [device] = await pbx.kazoo_data("GET", f"users/{doc_id(first['id'])}/devices")
    register = {"action": "register", "realm": pbx.tree.customer["realm"], "username": "a"}
    await send(
        pbx,
        "r1",
        "registration",
        authorizing_type="device",
        authorizing_id=device["id"],
        **register,
    )
    response = await pbx.call("GET", "/stats")
    assert response.status == 200
    assert await response.json() == {
        "total": 3,
        "byType": {"user": 2, "conference": 1, "parking": 0, "paging": 0},
        "byStatus": {"available": 2, "busy": 0, "away": 0, "dnd": 0, "offline": 1},
    }


async def test_pages_walk_users_then_callflows_once(pbx: Pbx) -> None:
    made = [
        await pbx.create(number=number, name=name)
        for number, name in (("103", "Cy Young"), ("101", "Al Brown"), ("102", "Bo Cole"))
    ]
    features = [
        await pbx.feature(kind, number)
        for number, kind in (("800", "conference"), ("801", "parking"), ("802", "paging"))
    ]
    for limit in (1, 2, 3, 4, 6, 50):
        seen: list[str] = []
        cursor = ""
        while True:
            response = await pbx.call("GET", f"?limit={limit}{cursor}")
            body = await response.json()
            assert response.status == 200 and len(body["extensions"]) <= limit, body
            seen += [item["id"] for item in body["extensions"]]
            if body["nextCursor"] is None:
                break
            cursor = f"&cursor={body['nextCursor']}"
        users = [made[1]["id"], made[2]["id"], made[0]["id"]]
        assert seen[:3] == users, limit
        assert sorted(seen[3:]) == sorted(item["id"] for item in features), limit
    for bad in ("?limit=0", "?limit=101", "?cursor=zzz"):
        response = await pbx.call("GET", bad)
        assert response.status == 400
        assert (await error_of(response))["code"] == "VALIDATION_ERROR"


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {("number", "required"), ("name", "required")}),
        ({"number": "12a", "name": "X"}, {("number", "pattern")}),
        ({"number": "12345678", "name": "X"}, {("number", "pattern")}),
        ({"number": "101", "name": "   "}, {("name", "minLength")}),
        ({"number": "101", "name": "X", "type": "queue"}, {("type", "enum")}),
        (
            {"number": "101", "name": "X", "callerIdName": "x" * 36},
            {("callerIdName", "maxLength")},
        ),
        (
            {"number": "101", "name": "X", "forwardingRingTimeout": 2},
            {("forwardingRingTimeout", "minimum")},
        ),
        ({"number": "101", "name": "X", "colour": "red"}, {("colour", "unknown")}),
        (
            {"number": "101", "name": "X", "type": "parking", "callerIdName": "Y"},
            {("callerIdName", "notAllowed")},
        ),
        ([1], {("body", "type")}),
    ],
)
async def test_a_bad_create_is_400_naming_each_field_and_writes_nothing(
    pbx: Pbx, body: Any, fields: set[tuple[str, str]]
) -> None:
    response = await pbx.call("POST", "", body)
    error = await error_of(response)
    assert response.status == 400 and error["code"] == "VALIDATION_ERROR"
    assert {(item["field"], item["rule"]) for item in error["fields"]} == fields
    assert await pbx.documents() == NOTHING


async def test_a_bad_patch_is_400_and_changes_nothing(pbx: Pbx) -> None:
    made = await pbx.create()
    for body, field in (
        ({"type": "paging"}, "type"),
        ({"number": None}, "number"),
        ({"voicemailEnabled": "maybe"}, "voicemailEnabled"),
        ({"id": "ext_x"}, "id"),
    ):
        response = await pbx.call("PATCH", f"/{made['id']}", body)
        error = await error_of(response)
        assert response.status == 400 and error["fields"][0]["field"] == field, body
    assert await pbx.read(made["id"]) == {k: v for k, v in made.items() if k != "sip"}


async def test_scopes_read_key_cannot_write_and_write_key_cannot_read(
    pbx: Pbx, client: Client, tree: Tree
) -> None:
    made = await pbx.create()
    read = bearer(await mint(client, pbx.admin, tree.customer, scopes=["pbx:extensions:read"]))
    write = bearer(await mint(client, pbx.admin, tree.customer, scopes=["pbx:extensions:write"]))
    for verb, tail, body in (
        ("POST", "", {**FRONT_DESK, "number": "150"}),
        ("PATCH", f"/{made['id']}", {"name": "X"}),
        ("DELETE", f"/{made['id']}", None),
    ):
        response = await client.request(verb, EXTENSIONS + tail, json=body, headers=read)
        error = await error_of(response)
        assert response.status == 403 and error["code"] == "INSUFFICIENT_SCOPE"
        assert error["requiredScope"] == "pbx:extensions:write"
    for tail in ("", "/stats", f"/{made['id']}"):
        assert (await client.get(EXTENSIONS + tail, headers=read)).status == 200
        response = await client.get(EXTENSIONS + tail, headers=write)
        error = await error_of(response)
        assert response.status == 403 and error["requiredScope"] == "pbx:extensions:read"
    assert await pbx.read(made["id"]) == {k: v for k, v in made.items() if k != "sip"}


async def test_another_account_s_extension_is_not_found(
    pbx: Pbx, client: Client, tree: Tree, auth_headers: Any
) -> None:
    made = await pbx.create()
    other = bearer(await mint(client, await auth_headers("other"), tree.other))
    for verb in ("GET", "PATCH", "DELETE"):
        body = {"name": "Mine"} if verb == "PATCH" else None
        response = await client.request(
            verb, f"{EXTENSIONS}/{made['id']}", json=body, headers=other
        )
        assert response.status == 404
        assert (await error_of(response))["code"] == "EXTENSION_NOT_FOUND"
    assert (await client.get(EXTENSIONS, headers=other)).status == 200
    assert (await (await client.get(EXTENSIONS, headers=other)).json())["extensions"] == []
    for wrong in ("ext_abc", f"did_{doc_id(made['id'])}", doc_id(made["id"])):
        assert (await pbx.call("GET", f"/{wrong}")).status == 404


async def test_an_idempotency_key_replays_the_create_with_its_credentials(pbx: Pbx) -> None:
    once = {"Idempotency-Key": "extension-101"}
    first = await pbx.call("POST", "", FRONT_DESK, **once)
    assert first.status == 201 and "Idempotent-Replayed" not in first.headers
    assert first.headers["Location"] == f"{EXTENSIONS}/{(await first.json())['id']}"
    replayed = await pbx.call("POST", "", FRONT_DESK, **once)
    assert replayed.status == 201 and replayed.headers["Idempotent-Replayed"] == "true"
    assert await replayed.json() == await first.json()
    assert replayed.headers["Location"] == first.headers["Location"]
    assert len((await pbx.documents())["users"]) == 1


async def test_a_patch_failing_midway_puts_every_part_back(
    pbx: Pbx, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = await pbx.create()
    before = await pbx.documents()
    real = extension_parts.save

    async def save(ctx: Any, docs: Any, data: Any, old: Any, **kw: Any) -> Any:
        if docs.kind == "callflows" and old is not None and data["numbers"] == ["105"]:
            raise RuntimeError("the store went away")
        return await real(ctx, docs, data, old, **kw)

    monkeypatch.setattr(extension_parts, "save", save)
    change = {"number": "105", "name": "Lobby", "callerIdName": None}
    response = await pbx.call("PATCH", f"/{made['id']}", change)
    assert response.status == 500
    assert await pbx.read(made["id"]) == {k: v for k, v in made.items() if k != "sip"}
    assert await pbx.documents() == before
    [box] = await pbx.kazoo_data("GET", "vmboxes")
    assert box["mailbox"] == "101"
    user = await pbx.kazoo_data("GET", f"users/{doc_id(made['id'])}")
    assert (user["first_name"], user["presence_id"]) == ("Front", "101")
    assert (await pbx.create(number="105", name="Free Again"))["number"] == "105"


async def test_a_delete_failing_midway_makes_the_removed_parts_again(
    pbx: Pbx, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = await pbx.create()
    before = await pbx.documents()
    [device] = await pbx.kazoo_data("GET", "devices")
    sip = (await pbx.kazoo_data("GET", f"devices/{device['id']}"))["sip"]
    real = extension_parts.remove

    async def remove(ctx: Any, docs: Any, doc: Any) -> None:
        if docs.kind == "users":
            raise RuntimeError("the store went away")
        await real(ctx, docs, doc)

    monkeypatch.setattr(extension_parts, "remove", remove)
    response = await pbx.call("DELETE", f"/{made['id']}")
    assert response.status == 500
    assert await pbx.documents() == before
    assert await pbx.read(made["id"]) == {k: v for k, v in made.items() if k != "sip"}
    assert (await pbx.kazoo_data("GET", f"devices/{device['id']}"))["sip"] == sip
    monkeypatch.undo()
    assert (await pbx.call("DELETE", f"/{made['id']}")).status == 204
    assert await pbx.documents() == NOTHING

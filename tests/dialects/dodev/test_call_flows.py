"""`/v1/pbx/call-flows` over Kazoo callflows: made through either API, read, edited and deleted
through the other; a number another callflow holds is 409 NUMBER_IN_USE; scopes; pages."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.conftest import Tree
from tests.dialects.dodev.helpers import bearer, error_of, mint
from tests.resources.clients import at

Client = TestClient[Any, Any]
FLOWS = "/v1/pbx/call-flows"
KEYS = {"id", "name", "numbers", "patterns", "flow", "createdAt", "updatedAt"}
PLAY = {"module": "tts", "data": {"text": "We are closed"}, "children": {}}


async def v2_put(
    client: Client, headers: dict[str, str], account: dict[str, Any], kind: str, **data: Any
) -> dict[str, Any]:
    """Create a `kind` document on /v2; its data."""
    response = await client.put(at(account, f"/{kind}"), json={"data": data}, headers=headers)
    body = await response.json()
    assert response.status == 201, body
    return dict(body["data"])


async def v2_get(
    client: Client, headers: dict[str, str], account: dict[str, Any], tail: str
) -> tuple[int, Any]:
    """GET a /v2 path of `account`: (status, data)."""
    response = await client.get(at(account, tail), headers=headers)
    return response.status, (await response.json()).get("data")


def hex_of(public_id: str) -> str:
    """The document id behind a prefixed id."""
    return public_id.split("_", 1)[1]


async def test_a_call_flow_made_here_is_the_callflow_on_v2_and_back(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    key = bearer(await mint(client, headers, tree.customer))
    user = tree.users["customer"]["id"]
    flow = {"module": "user", "data": {"id": user}, "children": {"_": PLAY}}
    made = await client.post(
        FLOWS, json={"name": "Main", "numbers": ["2395551234", "100"], "flow": flow}, headers=key
    )
    shown = await made.json()
    assert made.status == 201, shown
    assert set(shown) == KEYS and shown["id"].startswith("flow_")
    assert shown["numbers"] == ["+12395551234", "100"] and shown["patterns"] == []
    assert shown["flow"] == {**flow, "children": {"_": PLAY}}
    assert shown["createdAt"].endswith("Z") and shown["updatedAt"].endswith("Z")
    status, stored = await v2_get(
        client, headers, tree.customer, f"/callflows/{hex_of(shown['id'])}"
    )
    assert status == 200 and stored["flow"] == shown["flow"] and stored["name"] == "Main"
    assert stored["numbers"] == ["+12395551234", "100"]
    assert stored["metadata"][user]["pvt_type"] == "user"
    v2 = {"data": {"name": "Renamed", "patterns": ["^\\*5(\\d+)$"]}}
    path = at(tree.customer, f"/callflows/{hex_of(shown['id'])}")
    assert (await client.patch(path, json=v2, headers=headers)).status == 200
    listed = await (await client.get(FLOWS, headers=key)).json()
    [again] = listed["callFlows"]
    assert again["name"] == "Renamed" and again["patterns"] == ["^\\*5(\\d+)$"]
    assert again["numbers"] == shown["numbers"] and listed["nextCursor"] is None
    deleted = await client.delete(f"{FLOWS}/{shown['id']}", headers=key)
    assert deleted.status == 204 and await deleted.read() == b""
    assert (await v2_get(client, headers, tree.customer, f"/callflows/{hex_of(shown['id'])}"))[
        0
    ] == 404
    freed = await client.post(FLOWS, json={"numbers": ["100"], "flow": PLAY}, headers=key)
    assert freed.status == 201


async def test_a_callflow_made_on_v2_is_edited_and_deleted_here_keeping_kazoo_keys(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    key = bearer(await mint(client, headers, tree.customer))
    made = await v2_put(
        client,
        headers,
        tree.customer,
        "callflows",
        name="Night",
        numbers=["200"],
        flow=PLAY,
        featurecode=False,
        custom_key={"kept": True},
    )
    flow_id = f"flow_{made['id']}"
    read = await (await client.get(f"{FLOWS}/{flow_id}", headers=key)).json()
    assert read["id"] == flow_id and read["name"] == "Night" and read["flow"] == PLAY
    menu = await v2_put(client, headers, tree.customer, "menus", name="Main menu")
    tree_now = {"module": "menu", "data": {"id": menu["id"]}}
    patched = await client.patch(
        f"{FLOWS}/{flow_id}",
        json={"name": None, "numbers": ["200", "201"], "flow": tree_now},
        headers=key,
    )
    body = await patched.json()
    assert patched.status == 200, body
    assert body["name"] is None and body["numbers"] == ["200", "201"]
    assert body["flow"] == tree_now
    status, stored = await v2_get(client, headers, tree.customer, f"/callflows/{made['id']}")
    assert status == 200 and "name" not in stored
    assert stored["custom_key"] == {"kept": True} and stored["featurecode"] is False
    assert stored["flow"]["data"] == {"id": menu["id"]} and stored["numbers"] == ["200", "201"]
    assert (await client.delete(f"{FLOWS}/{flow_id}", headers=key)).status == 204
    assert (await v2_get(client, headers, tree.customer, f"/callflows/{made['id']}"))[0] == 404


async def test_a_number_another_callflow_holds_is_409_number_in_use(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    key = bearer(await mint(client, headers, tree.customer))
    holder = await v2_put(
        client,
        headers,
        tree.customer,
        "callflows",
        numbers=["+12395550001"],
        patterns=["^9$"],
        flow=PLAY,
    )
    taken = await client.post(FLOWS, json={"numbers": ["2395550001"], "flow": PLAY}, headers=key)
    error = await error_of(taken)
    assert taken.status == 409 and error["code"] == "NUMBER_IN_USE"
    assert error["number"] == "+12395550001" and error["callFlowId"] == f"flow_{holder['id']}"
    pattern = await client.post(FLOWS, json={"patterns": ["^9$"], "flow": PLAY}, headers=key)
    error = await error_of(pattern)
    assert pattern.status == 409 and error["code"] == "PATTERN_IN_USE"
    assert error["callFlowId"] == f"flow_{holder['id']}"
    mine = await (
        await client.post(FLOWS, json={"numbers": ["300"], "flow": PLAY}, headers=key)
    ).json()
    grab = await client.patch(
        f"{FLOWS}/{mine['id']}", json={"numbers": ["300", "+12395550001"]}, headers=key
    )
    assert grab.status == 409 and (await error_of(grab))["code"] == "NUMBER_IN_USE"
    kept = await (await client.get(f"{FLOWS}/{mine['id']}", headers=key)).json()
    assert kept["numbers"] == ["300"]
    other_key = bearer(await mint(client, await auth_headers("other"), tree.other))
    elsewhere = await client.post(
        FLOWS, json={"numbers": ["+12395550001"], "flow": PLAY}, headers=other_key
    )
    assert elsewhere.status == 201


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"numbers": ["400"]}, {("flow", "required")}),
        ({"flow": PLAY}, {("numbers", "required")}),
        ({"numbers": "400", "flow": PLAY}, {("numbers", "type")}),
        ({"numbers": ["400"], "flow": {"data": {}}}, {("flow.module", "required")}),
        ({"numbers": ["400"], "flow": PLAY, "colour": "red"}, {("colour", "unknown")}),
        (
            {"numbers": ["400"], "flow": {"module": "user", "data": {"id": "0" * 32}}},
            {("flow.data.id", "not_found")},
        ),
        ({"numbers": ["400", "400"], "flow": PLAY}, {("numbers", "uniqueItems")}),
        ([PLAY], {("body", "type")}),
    ],
)
async def test_a_bad_create_is_400_naming_each_field(
    client: Client, tree: Tree, auth_headers: Any, body: Any, fields: set[tuple[str, str]]
) -> None:
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    response = await client.post(FLOWS, json=body, headers=key)
    error = await error_of(response)
    assert response.status == 400 and error["code"] == "VALIDATION_ERROR", error
    assert {(item["field"], item["rule"]) for item in error["fields"]} == fields
    assert (await (await client.get(FLOWS, headers=key)).json())["callFlows"] == []


async def test_a_bad_patch_is_400_and_keeps_the_callflow(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    made = await (
        await client.post(FLOWS, json={"numbers": ["500"], "flow": PLAY}, headers=key)
    ).json()
    for body, field in (
        ({"flow": None}, ("flow", "required")),
        ({"numbers": None}, ("numbers", "required")),
        ({"flow": {"module": ""}}, ("flow.module", "minLength")),
        ({"id": "x"}, ("id", "unknown")),
    ):
        response = await client.patch(f"{FLOWS}/{made['id']}", json=body, headers=key)
        error = await error_of(response)
        assert response.status == 400, error
        assert [(item["field"], item["rule"]) for item in error["fields"]] == [field]
    assert await (await client.get(f"{FLOWS}/{made['id']}", headers=key)).json() == made


async def test_a_read_key_reads_but_cannot_write_and_a_write_key_cannot_read(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    reader = bearer(await mint(client, headers, tree.customer, scopes=["pbx:call-flows:read"]))
    writer = bearer(await mint(client, headers, tree.customer, scopes=["pbx:call-flows:write"]))
    made = await client.post(FLOWS, json={"numbers": ["600"], "flow": PLAY}, headers=writer)
    assert made.status == 201
    flow_id = (await made.json())["id"]
    assert (await client.get(FLOWS, headers=reader)).status == 200
    assert (await client.get(f"{FLOWS}/{flow_id}", headers=reader)).status == 200
    for verb, path, body in (
        ("POST", FLOWS, {"numbers": ["601"], "flow": PLAY}),
        ("PATCH", f"{FLOWS}/{flow_id}", {"name": "x"}),
        ("DELETE", f"{FLOWS}/{flow_id}", None),
    ):
        response = await client.request(verb, path, json=body, headers=reader)
        error = await error_of(response)
        assert response.status == 403 and error["code"] == "INSUFFICIENT_SCOPE"
        assert error["requiredScope"] == "pbx:call-flows:write"
    for path in (FLOWS, f"{FLOWS}/{flow_id}"):
        response = await client.get(path, headers=writer)
        assert response.status == 403
        assert (await error_of(response))["requiredScope"] == "pbx:call-flows:read"


async def test_pages_walk_the_accounts_callflows_once_by_cursor(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    other = bearer(await mint(client, await auth_headers("other"), tree.other))
    made = set()
    for n in range(5):
        response = await client.post(
            FLOWS, json={"numbers": [f"70{n}"], "flow": PLAY}, headers=key
        )
        made.add((await response.json())["id"])
    await client.post(FLOWS, json={"numbers": ["700"], "flow": PLAY}, headers=other)
    seen: list[str] = []
    cursor = None
    for _ in range(3):
        query = f"?limit=2&cursor={cursor}" if cursor else "?limit=2"
        page = await (await client.get(FLOWS + query, headers=key)).json()
        assert len(page["callFlows"]) <= 2
        seen += [item["id"] for item in page["callFlows"]]
        cursor = page["nextCursor"]
    assert cursor is None and len(seen) == 5 and set(seen) == made
    assert seen == sorted(seen)
    bad = await client.get(f"{FLOWS}?cursor=nope", headers=key)
    assert bad.status == 400 and (await error_of(bad))["fields"][0]["field"] == "cursor"


async def test_another_accounts_callflow_and_malformed_ids_are_404(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    other = bearer(await mint(client, await auth_headers("other"), tree.other))
    theirs = await (
        await client.post(FLOWS, json={"numbers": ["800"], "flow": PLAY}, headers=other)
    ).json()
    for flow_id in (theirs["id"], hex_of(theirs["id"]), f"q_{hex_of(theirs['id'])}", "flow_abc"):
        for verb, body in (("GET", None), ("PATCH", {"name": "mine"}), ("DELETE", None)):
            response = await client.request(verb, f"{FLOWS}/{flow_id}", json=body, headers=key)
            error = await error_of(response)
            assert response.status == 404 and error["code"] == "CALL_FLOW_NOT_FOUND"
            assert error["message"] == f"Call flow with ID {flow_id} not found"
    still = await (await client.get(f"{FLOWS}/{theirs['id']}", headers=other)).json()
    assert still == theirs

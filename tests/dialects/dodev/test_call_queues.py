"""`/v1/pbx/call-queues` over Kazoo queues: a queue made through either API is read, changed and
deleted through the other; agents are the roster as extension ids; scopes, paging, stats."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from gateway.settings import Settings
from tests.conftest import Tree
from tests.dialects.dodev.helpers import bearer, error_of, mint
from tests.resources.clients import INTAKE_KEY, at, make_user, send_events

Client = TestClient[Any, Any]
QUEUES = "/v1/pbx/call-queues"
MISSING = "0" * 32
KEYS = {
    "id",
    "name",
    "strategy",
    "agents",
    "maxWaitSeconds",
    "maxQueueSize",
    "holdMusicId",
    "announcementId",
    "agentRingTimeoutSeconds",
    "agentWrapUpSeconds",
    "ringSimultaneously",
    "enterWhenEmpty",
    "callerExitKey",
    "recordCaller",
    "createdAt",
    "updatedAt",
}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, intake_keys=frozenset({INTAKE_KEY}))


async def new_user(client: Client, headers: dict[str, str], account: dict[str, Any]) -> str:
    response = await client.put(at(account, "/users"), json={"data": make_user()}, headers=headers)
    body = await response.json()
    assert response.status == 201, body
    return str(body["data"]["id"])


async def v2_queue(client: Client, headers: dict[str, str], account: dict[str, Any]) -> str:
    data = {"name": "Sales", "moh": "c" * 32, "strategy": "most_idle"}
    response = await client.put(at(account, "/queues"), json={"data": data}, headers=headers)
    body = await response.json()
    assert response.status == 201, body
    return str(body["data"]["id"])


async def v2_doc(client: Client, headers: dict[str, str], tree: Tree, queue_id: str) -> Any:
    response = await client.get(at(tree.customer, f"/queues/{queue_id}"), headers=headers)
    return response.status, (await response.json()).get("data")


async def test_a_queue_made_here_is_the_kazoo_queue_and_goes_with_delete(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    key = bearer(await mint(client, headers, tree.customer))
    ann = await new_user(client, headers, tree.customer)
    body = {
        "name": "Support",
        "strategy": "most_idle",
        "maxWaitSeconds": 600,
        "holdMusicId": "a" * 32,
        "agents": [f"ext_{ann}", f"ext_{ann}"],
    }
    created = await client.post(QUEUES, json=body, headers=key)
    queue = await created.json()
    assert created.status == 201, queue
    assert set(queue) == KEYS and queue["id"].startswith("q_")
    assert queue["agents"] == [f"ext_{ann}"] and queue["maxWaitSeconds"] == 600
    assert queue["strategy"] == "most_idle" and queue["announcementId"] is None
    assert queue["createdAt"].endswith("Z") and queue["agentRingTimeoutSeconds"] == 15
    doc_id = queue["id"].removeprefix("q_")
    status, doc = await v2_doc(client, headers, tree, doc_id)
    assert status == 200
    assert (doc["name"], doc["connection_timeout"], doc["moh"]) == ("Support", 600, "a" * 32)
    assert doc["agents"] == [ann]
    v2 = {"data": {"name": "Support Tier 2", "record_caller": True}}
    patched = await client.patch(at(tree.customer, f"/queues/{doc_id}"), json=v2, headers=headers)
    assert patched.status == 200
    [listed] = (await (await client.get(QUEUES, headers=key)).json())["callQueues"]
    assert listed["name"] == "Support Tier 2" and listed["recordCaller"] is True
    assert listed["agents"] == [f"ext_{ann}"]
    deleted = await client.delete(f"{QUEUES}/{queue['id']}", headers=key)
    assert deleted.status == 204 and await deleted.read() == b""
    assert (await v2_doc(client, headers, tree, doc_id))[0] == 404


async def test_a_v2_queue_is_changed_and_deleted_here(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    key = bearer(await mint(client, headers, tree.customer))
    queue_id = await v2_queue(client, headers, tree.customer)
    ann, bob = [await new_user(client, headers, tree.customer) for _ in range(2)]
    change = {"agents": [f"ext_{ann}", f"ext_{bob}"], "holdMusicId": None, "maxQueueSize": 10}
    patched = await client.patch(f"{QUEUES}/q_{queue_id}", json=change, headers=key)
    body = await patched.json()
    assert patched.status == 200, body
    assert body["holdMusicId"] is None and body["strategy"] == "most_idle"
    assert body["agents"] == [f"ext_{ann}", f"ext_{bob}"] and body["name"] == "Sales"
    roster = await client.get(at(tree.customer, f"/queues/{queue_id}/roster"), headers=headers)
    assert (await roster.json())["data"] == [ann, bob]
    status, doc = await v2_doc(client, headers, tree, queue_id)
    assert "moh" not in doc and doc["max_queue_size"] == 10
    renamed = await client.patch(f"{QUEUES}/q_{queue_id}", json={"name": "S2"}, headers=key)
    assert (await renamed.json())["agents"] == [f"ext_{ann}", f"ext_{bob}"]
    cleared = await client.patch(f"{QUEUES}/q_{queue_id}", json={"agents": None}, headers=key)
    assert (await cleared.json())["agents"] == [] and (
        await v2_doc(client, headers, tree, queue_id)
    )[1]["agents"] == []
    assert (await client.delete(f"{QUEUES}/q_{queue_id}", headers=key)).status == 204
    assert (await v2_doc(client, headers, tree, queue_id))[0] == 404


async def test_a_read_key_reads_and_cannot_write(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    queue_id = await v2_queue(client, headers, tree.customer)
    read = bearer(await mint(client, headers, tree.customer, scopes=["pbx:queues:read"]))
    assert (await client.get(QUEUES, headers=read)).status == 200
    assert (await client.get(f"{QUEUES}/stats", headers=read)).status == 200
    for verb, path in (
        ("POST", QUEUES),
        ("PATCH", f"{QUEUES}/q_{queue_id}"),
        ("DELETE", f"{QUEUES}/q_{queue_id}"),
    ):
        refused = await client.request(verb, path, json={"name": "X"}, headers=read)
        error = await error_of(refused)
        assert refused.status == 403 and error["code"] == "INSUFFICIENT_SCOPE"
        assert error["requiredScope"] == "pbx:queues:write"
    write = bearer(await mint(client, headers, tree.customer, scopes=["pbx:queues:write"]))
    assert (await client.get(QUEUES, headers=write)).status == 403
    other = bearer(await mint(client, headers, tree.customer, scopes=["pbx:extensions:read"]))
    assert (await error_of(await client.get(QUEUES, headers=other)))["code"] == (
        "INSUFFICIENT_SCOPE"
    )
    assert (await v2_doc(client, headers, tree, queue_id))[0] == 200


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"strategy": "ring_all"}, {("name", "required"), ("strategy", "enum")}),
        ({"name": ""}, {("name", "minLength")}),
        ({"name": "Q", "maxWaitSeconds": -1}, {("maxWaitSeconds", "minimum")}),
        (
            {"name": "Q", "callerExitKey": "x", "recordCaller": "yes"},
            {("callerExitKey", "enum"), ("recordCaller", "type")},
        ),
        ({"name": "Q", "agents": "ext_x"}, {("agents", "type")}),
        ({"name": "Q", "agents": ["ext_abc123"]}, {("agents", "pattern")}),
        ({"name": "Q", "agents": [MISSING]}, {("agents", "pattern")}),
        ({"name": "Q", "agents": [f"ext_{MISSING}"]}, {("agents", "not_found")}),
        ({"name": "Q", "colour": "blue", "id": "q_1"}, {("colour", "unknown"), ("id", "unknown")}),
        (["Q"], {("body", "type")}),
    ],
)
async def test_a_bad_create_is_400_naming_each_field_and_makes_nothing(
    client: Client, tree: Tree, auth_headers: Any, body: Any, fields: set[tuple[str, str]]
) -> None:
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    response = await client.post(QUEUES, json=body, headers=key)
    error = await error_of(response)
    assert response.status == 400 and error["code"] == "VALIDATION_ERROR"
    assert {(item["field"], item["rule"]) for item in error["fields"]} == fields
    assert (await (await client.get(QUEUES, headers=key)).json())["callQueues"] == []


async def test_a_bad_patch_is_400_and_keeps_the_queue(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    key = bearer(await mint(client, headers, tree.customer))
    queue_id = await v2_queue(client, headers, tree.customer)
    before = await v2_doc(client, headers, tree, queue_id)
    foreign = tree.users["other"]["id"]
    for body, field in (
        ({"name": None}, "name"),
        ({"agentRingTimeoutSeconds": 0}, "agentRingTimeoutSeconds"),
        ({"agents": [f"ext_{foreign}"]}, "agents"),
    ):
        response = await client.patch(f"{QUEUES}/q_{queue_id}", json=body, headers=key)
        error = await error_of(response)
        assert response.status == 400 and [item["field"] for item in error["fields"]] == [field]
    assert await v2_doc(client, headers, tree, queue_id) == before


async def test_another_accounts_queue_and_bad_ids_are_queue_not_found(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    other_headers = await auth_headers("other")
    theirs = await v2_queue(client, other_headers, tree.other)
    for public_id in (f"q_{theirs}", f"q_{MISSING}", theirs, f"flow_{theirs}", "q_abc"):
        for verb in ("PATCH", "DELETE"):
            response = await client.request(
                verb, f"{QUEUES}/{public_id}", json={"name": "Mine"}, headers=key
            )
            error = await error_of(response)
            assert response.status == 404 and error["code"] == "QUEUE_NOT_FOUND", public_id
            assert error["message"] == f"Call queue with ID {public_id} not found"
    response = await client.get(at(tree.other, f"/queues/{theirs}"), headers=other_headers)
    assert response.status == 200 and (await response.json())["data"]["name"] == "Sales"


async def test_listing_pages_with_a_cursor(client: Client, tree: Tree, auth_headers: Any) -> None:
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    made = set()
    for index in range(5):
        response = await client.post(QUEUES, json={"name": f"Queue {index}"}, headers=key)
        made.add((await response.json())["id"])
    seen: list[str] = []
    sizes = []
    cursor = None
    while True:
        query = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = await (await client.get(QUEUES + query, headers=key)).json()
        seen += [queue["id"] for queue in page["callQueues"]]
        sizes.append(len(page["callQueues"]))
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert sizes == [2, 2, 1] and set(seen) == made and len(seen) == 5
    for query, field in (("?limit=0", "limit"), ("?limit=101", "limit"), ("?cursor=zz", "cursor")):
        response = await client.get(QUEUES + query, headers=key)
        error = await error_of(response)
        assert response.status == 400 and error["fields"][0]["field"] == field


async def test_stats_count_queues_agents_and_registered_agents(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    key = bearer(await mint(client, headers, tree.customer))
    empty = await (await client.get(f"{QUEUES}/stats", headers=key)).json()
    assert empty == {
        "total": 0,
        "byStrategy": {},
        "agents": 0,
        "agentsRegistered": 0,
        "emptyQueues": 0,
    }
    ann, bob = [await new_user(client, headers, tree.customer) for _ in range(2)]
    await v2_queue(client, headers, tree.customer)
    for agents in ([ann], [ann, bob]):
        body = {"name": "Q", "agents": [f"ext_{agent}" for agent in agents]}
        assert (await client.post(QUEUES, json=body, headers=key)).status == 201
    event = {
        "event_id": "r1",
        "type": "registration",
        "account_id": tree.customer["id"],
        "action": "register",
        "username": "ann",
        "realm": tree.customer["realm"],
        "owner_id": bob,
        "expires": 300,
    }
    assert (await send_events(client, [event]))[0] == 200
    stats = await (await client.get(f"{QUEUES}/stats", headers=key)).json()
    assert stats == {
        "total": 3,
        "byStrategy": {"most_idle": 1, "round_robin": 2},
        "agents": 2,
        "agentsRegistered": 1,
        "emptyQueues": 1,
    }


async def test_a_queue_a_call_flow_sends_calls_to_is_not_deleted(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    key = bearer(await mint(client, headers, tree.customer))
    queue_id = await v2_queue(client, headers, tree.customer)
    flow = {"numbers": ["5000"], "flow": {"module": "queue", "data": {"id": queue_id}}}
    response = await client.put(
        at(tree.customer, "/callflows"), json={"data": flow}, headers=headers
    )
    flow_id = (await response.json())["data"]["id"]
    refused = await client.delete(f"{QUEUES}/q_{queue_id}", headers=key)
    error = await error_of(refused)
    assert refused.status == 409 and error["code"] == "QUEUE_IN_USE"
    assert error["callFlowId"] == f"flow_{flow_id}"
    assert (await v2_doc(client, headers, tree, queue_id))[0] == 200

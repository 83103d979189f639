"""Groups over HTTP: endpoint references, listing rows with counted endpoints."""

from __future__ import annotations

from typing import Any

from tests.resources.clients import Api, at

Body = dict[str, Any]
MISSING = "0" * 32


def path(api: Api, tail: str = "") -> str:
    return at(api.tree.customer, f"/groups{tail}")


async def create(api: Api, **body: Any) -> Body:
    status, reply = await api.call("PUT", path(api), json={"data": {"name": "Sales", **body}})
    assert status == 201, reply
    return dict(reply["data"])


def not_found(endpoint_id: str, label: str) -> Body:
    return {
        f"endpoints.{endpoint_id}": {
            "not_found": {
                "message": f"{label} {endpoint_id} does not exist in this account",
                "cause": endpoint_id,
            }
        }
    }


async def test_create_defaults_endpoints_and_music_on_hold(api: Api) -> None:
    doc = await create(api)
    assert doc == {"id": doc["id"], "name": "Sales", "endpoints": {}, "music_on_hold": {}}


async def test_endpoints_may_name_users_and_groups_of_the_account(api: Api) -> None:
    user = (await api.create_user())["data"]["id"]
    inner = await create(api, name="Inner")
    endpoints = {user: {"type": "user"}, inner["id"]: {"type": "group"}}
    doc = await create(api, endpoints=endpoints)
    assert doc["endpoints"] == endpoints


async def test_endpoint_must_exist_as_its_type_says(api: Api) -> None:
    user = (await api.create_user())["data"]["id"]
    for endpoints, error in (
        ({MISSING: {"type": "user"}}, not_found(MISSING, "User")),
        ({MISSING: {"type": "device"}}, not_found(MISSING, "Device")),
        ({user: {"type": "device"}}, not_found(user, "Device")),
        ({user: {"type": "group"}}, not_found(user, "Group")),
        ({MISSING: {}}, not_found(MISSING, "Endpoint")),
    ):
        status, body = await api.call(
            "PUT", path(api), json={"data": {"name": "G", "endpoints": endpoints}}
        )
        assert status == 400 and body["data"] == error, (endpoints, body)
    status, body = await api.call("GET", path(api))
    assert body["data"] == []


async def test_endpoint_of_another_account_is_not_found(api: Api) -> None:
    foreign = api.tree.users["other"]["id"]
    status, body = await api.call(
        "PUT", path(api), json={"data": {"name": "G", "endpoints": {foreign: {"type": "user"}}}}
    )
    assert status == 400 and body["data"] == not_found(foreign, "User"), body


async def test_patch_adding_a_missing_endpoint_is_refused_and_keeps_doc(api: Api) -> None:
    doc = await create(api)
    status, body = await api.call(
        "PATCH",
        path(api, f"/{doc['id']}"),
        json={"data": {"endpoints": {MISSING: {"type": "user"}}}},
    )
    assert status == 400, body
    assert (await api.call("GET", path(api, f"/{doc['id']}")))[1]["data"] == doc


async def test_listing_rows_count_endpoints_and_derive_features(api: Api) -> None:
    user = (await api.create_user())["data"]["id"]
    full = await create(
        api,
        endpoints={user: {"type": "user"}},
        music_on_hold={"media_id": "m1"},
        smartpbx={"forward": {"enabled": True}, "off": {"enabled": False}},
        flags=["x"],
    )
    empty = await create(api, name="Empty")
    status, body = await api.call("GET", path(api))
    assert status == 200
    assert {row["id"]: row for row in body["data"]} == {
        full["id"]: {
            "id": full["id"],
            "name": "Sales",
            "features": ["forward", "music_on_hold"],
            "endpoints": 1,
            "flags": ["x"],
        },
        empty["id"]: {
            "id": empty["id"],
            "name": "Empty",
            "features": [],
            "endpoints": 0,
            "flags": [],
        },
    }


async def test_post_patch_delete_and_other_account_404(api: Api, auth_headers: Any) -> None:
    doc = await create(api, color="red")
    one = path(api, f"/{doc['id']}")
    status, body = await api.call("POST", one, json={"data": {"name": "B"}})
    assert status == 200 and body["data"] == {
        "id": doc["id"],
        "name": "B",
        "endpoints": {},
        "music_on_hold": {},
    }
    status, body = await api.call("PATCH", one, json={"data": {"color": "blue"}})
    assert status == 200 and body["data"]["color"] == "blue"
    other = Api(api.client, api.tree, await auth_headers("other"))
    status, _ = await other.call("GET", at(api.tree.other, f"/groups/{doc['id']}"))
    assert status == 404
    status, body = await api.call("DELETE", one)
    assert status == 200 and body["data"]["_read_only"] == {"deleted": True}


async def test_delete_refused_while_a_callflow_uses_it(api: Api) -> None:
    doc = await create(api)
    flow = {"module": "group", "data": {"id": doc["id"]}, "children": {}}
    status, body = await api.call(
        "PUT",
        at(api.tree.customer, "/callflows"),
        json={"data": {"name": "G", "numbers": ["2600"], "flow": flow}},
    )
    assert status == 201, body
    status, body = await api.call("DELETE", path(api, f"/{doc['id']}"))
    assert status == 400 and "referenced" in body["data"]["id"], body

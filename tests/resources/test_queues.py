"""Queues over HTTP: the roster of agents at queues/{Q}/roster."""

from __future__ import annotations

from typing import Any

from tests.resources.clients import Api, at

Body = dict[str, Any]
MISSING = "0" * 32


def path(api: Api, tail: str = "") -> str:
    return at(api.tree.customer, f"/queues{tail}")


async def create(api: Api, **body: Any) -> Body:
    status, reply = await api.call("PUT", path(api), json={"data": {"name": "Support", **body}})
    assert status == 201, reply
    return dict(reply["data"])


async def roster(api: Api, queue_id: str) -> list[str]:
    status, body = await api.call("GET", path(api, f"/{queue_id}/roster"))
    assert status == 200, body
    return list(body["data"])


async def test_new_queue_has_an_empty_roster(api: Api) -> None:
    queue = await create(api)
    assert queue["agents"] == [] and await roster(api, queue["id"]) == []


async def test_post_adds_users_and_delete_removes_them(api: Api) -> None:
    queue = await create(api)
    ann = (await api.create_user())["data"]["id"]
    bob = (await api.create_user(first_name="Bob"))["data"]["id"]
    status, body = await api.call(
        "POST", path(api, f"/{queue['id']}/roster"), json={"data": [ann]}
    )
    assert status == 200 and body["data"] == [ann], body
    status, body = await api.call(
        "POST", path(api, f"/{queue['id']}/roster"), json={"data": [bob, ann]}
    )
    assert status == 200 and body["data"] == [ann, bob], body
    assert await roster(api, queue["id"]) == [ann, bob]
    status, body = await api.call(
        "DELETE", path(api, f"/{queue['id']}/roster"), json={"data": [ann, MISSING]}
    )
    assert status == 200 and body["data"] == [bob], body
    status, doc = await api.call("GET", path(api, f"/{queue['id']}"))
    assert doc["data"]["agents"] == [bob]


async def test_roster_accepts_only_users_of_the_account(api: Api) -> None:
    queue = await create(api)
    ann = (await api.create_user())["data"]["id"]
    foreign = api.tree.users["other"]["id"]
    for bad in (MISSING, foreign):
        status, body = await api.call(
            "POST", path(api, f"/{queue['id']}/roster"), json={"data": [ann, bad]}
        )
        assert status == 400, body
        assert body["data"] == {
            "agents": {
                "not_found": {
                    "message": f"User {bad} does not exist in this account",
                    "cause": bad,
                }
            }
        }
    assert await roster(api, queue["id"]) == []


async def test_roster_body_must_be_a_list_of_ids(api: Api) -> None:
    queue = await create(api)
    status, body = await api.call(
        "POST", path(api, f"/{queue['id']}/roster"), json={"data": {"id": "x"}}
    )
    assert status == 400 and "type" in body["data"]["data"], body


async def test_document_writes_keep_the_roster(api: Api) -> None:
    queue = await create(api)
    ann = (await api.create_user())["data"]["id"]
    await api.call("POST", path(api, f"/{queue['id']}/roster"), json={"data": [ann]})
    status, body = await api.call(
        "POST", path(api, f"/{queue['id']}"), json={"data": {"name": "S2", "agents": []}}
    )
    assert status == 200 and body["data"]["agents"] == [ann], body
    status, body = await api.call(
        "PATCH", path(api, f"/{queue['id']}"), json={"data": {"agents": [MISSING]}}
    )
    assert status == 200 and body["data"]["agents"] == [ann], body
    status, body = await api.call("PUT", path(api), json={"data": {"name": "Q", "agents": [ann]}})
    assert status == 201 and body["data"]["agents"] == [], body


async def test_roster_of_another_accounts_queue_is_404(api: Api, auth_headers: Any) -> None:
    other = Api(api.client, api.tree, await auth_headers("other"))
    status, body = await other.call(
        "PUT", at(api.tree.other, "/queues"), json={"data": {"name": "Theirs"}}
    )
    foreign = body["data"]["id"]
    for verb, data in (("GET", None), ("POST", []), ("DELETE", [])):
        kwargs = {} if data is None else {"json": {"data": data}}
        status, body = await api.call(verb, path(api, f"/{foreign}/roster"), **kwargs)
        assert status == 404 and body["data"]["cause"] == foreign, (verb, body)

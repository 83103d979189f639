"""Conferences over HTTP: defaults, rows, unique numbers, owners, user-level owners."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.conftest import Tree
from tests.resources.clients import Api, at, user_level_login

Body = dict[str, Any]
MEMBER = {"numbers": [], "pins": [], "join_deaf": False, "join_muted": True}
MODERATOR = {"numbers": [], "pins": [], "join_deaf": False, "join_muted": False}
DEFAULTS = {"conference_numbers": [], "member": MEMBER, "moderator": MODERATOR, "play_name": False}
IN_USE = "Numbers already in use"


def path(api: Api, tail: str = "") -> str:
    return at(api.tree.customer, f"/conferences{tail}")


async def create(api: Api, **body: Any) -> Body:
    status, reply = await api.call("PUT", path(api), json={"data": {"name": "Room", **body}})
    assert status == 201, reply
    return dict(reply["data"])


def in_use(number: str) -> Body:
    return {"conference_numbers": {"unique": {"message": IN_USE, "cause": number}}}


async def test_create_applies_defaults_and_get_returns_it(api: Api) -> None:
    doc = await create(api, conference_numbers=["3000"])
    assert doc == {"id": doc["id"], "name": "Room", **DEFAULTS, "conference_numbers": ["3000"]}
    status, body = await api.call("GET", path(api, f"/{doc['id']}"))
    assert status == 200 and body["data"] == doc


async def test_listing_rows_are_kazoos_summary(api: Api) -> None:
    owner = (await api.create_user())["data"]["id"]
    doc = await create(api, owner_id=owner, ui_flags={"x": 1}, flags=["f"], play_name=True)
    bare = await create(api, name="Bare")
    status, body = await api.call("GET", path(api))
    assert status == 200, body
    rows = {row["id"]: row for row in body["data"]}
    assert rows == {
        doc["id"]: {
            "id": doc["id"],
            "name": "Room",
            "owner_id": owner,
            "member": MEMBER,
            "moderator": MODERATOR,
            "ui_flags": {"x": 1},
            "conference_numbers": [],
            "flags": ["f"],
        },
        bare["id"]: {
            "id": bare["id"],
            "name": "Bare",
            "member": MEMBER,
            "moderator": MODERATOR,
            "conference_numbers": [],
            "flags": [],
        },
    }


async def test_post_replaces_patch_merges_delete_marks_deleted(api: Api) -> None:
    doc = await create(api, conference_numbers=["3000"], play_name=True)
    one = path(api, f"/{doc['id']}")
    status, body = await api.call("POST", one, json={"data": {"name": "New"}})
    assert status == 200 and body["data"] == {"id": doc["id"], "name": "New", **DEFAULTS}
    status, body = await api.call("PATCH", one, json={"data": {"member": {"pins": ["1234"]}}})
    assert status == 200, body
    assert body["data"]["member"] == {**MEMBER, "pins": ["1234"]}
    status, body = await api.call("DELETE", one)
    assert status == 200 and body["data"]["_read_only"] == {"deleted": True}
    assert (await api.call("GET", one))[0] == 404


async def test_conference_numbers_are_unique_in_the_account(api: Api) -> None:
    first = await create(api, conference_numbers=["3000"])
    status, body = await api.call(
        "PUT", path(api), json={"data": {"name": "B", "conference_numbers": ["3001", "3000"]}}
    )
    assert status == 400 and body["data"] == in_use("3000"), body
    status, body = await api.call(
        "PUT", path(api), json={"data": {"name": "B", "member": {"numbers": ["3000"]}}}
    )
    assert status == 400 and body["data"] == in_use("3000"), body
    # The failed create released 3001; another conference may take it.
    await create(api, conference_numbers=["3001"])
    # Dropping a number frees it.
    status, _ = await api.call("POST", path(api, f"/{first['id']}"), json={"data": {"name": "A"}})
    assert status == 200
    await create(api, conference_numbers=["3000"])


async def test_deleting_a_conference_frees_its_numbers(api: Api) -> None:
    first = await create(api, moderator={"numbers": ["3100"]})
    assert (await api.call("DELETE", path(api, f"/{first['id']}")))[0] == 200
    await create(api, conference_numbers=["3100"])


async def test_other_accounts_may_use_the_same_numbers(api: Api, auth_headers: Any) -> None:
    await create(api, conference_numbers=["3000"])
    other = Api(api.client, api.tree, await auth_headers("other"))
    status, body = await other.call(
        "PUT",
        at(api.tree.other, "/conferences"),
        json={"data": {"name": "X", "conference_numbers": ["3000"]}},
    )
    assert status == 201, body


async def test_concurrent_creates_of_one_number_exactly_one_wins(api: Api) -> None:
    body = {"data": {"name": "Race", "conference_numbers": ["3999"]}}
    results = await asyncio.gather(*(api.call("PUT", path(api), json=body) for _ in range(4)))
    assert sorted(status for status, _ in results) == [201, 400, 400, 400], results
    assert all(reply["data"] == in_use("3999") for status, reply in results if status == 400)
    status, listing = await api.call("GET", path(api))
    assert [row["conference_numbers"] for row in listing["data"]] == [["3999"]]


async def test_owner_must_be_a_user_of_the_account(api: Api, tree: Tree) -> None:
    missing = "0" * 32
    status, body = await api.call(
        "PUT", path(api), json={"data": {"name": "R", "owner_id": missing}}
    )
    assert status == 400, body
    assert body["data"] == {
        "owner_id": {
            "not_found": {
                "message": f"User {missing} does not exist in this account",
                "cause": missing,
            }
        }
    }
    foreign = tree.users["other"]["id"]
    status, body = await api.call(
        "PUT", path(api), json={"data": {"name": "R", "owner_id": foreign}}
    )
    assert status == 400 and "owner_id" in body["data"], body


async def test_another_accounts_conference_is_404(api: Api, auth_headers: Any) -> None:
    other = Api(api.client, api.tree, await auth_headers("other"))
    status, body = await other.call(
        "PUT", at(api.tree.other, "/conferences"), json={"data": {"name": "X"}}
    )
    foreign = body["data"]["id"]
    for verb in ("GET", "POST", "PATCH", "DELETE"):
        kwargs = {"json": {"data": {"name": "Y"}}} if verb in ("POST", "PATCH") else {}
        status, body = await api.call(verb, path(api, f"/{foreign}"), **kwargs)
        assert status == 404 and body["data"]["cause"] == foreign, (verb, body)


async def test_delete_refused_while_a_callflow_uses_it(api: Api) -> None:
    doc = await create(api)
    flow = {"module": "conference", "data": {"id": doc["id"]}, "children": {}}
    status, body = await api.call(
        "PUT",
        at(api.tree.customer, "/callflows"),
        json={"data": {"name": "Conf", "numbers": ["2500"], "flow": flow}},
    )
    assert status == 201, body
    status, body = await api.call("DELETE", path(api, f"/{doc['id']}"))
    assert status == 400 and "referenced" in body["data"]["id"], body


@pytest.fixture
async def user_login(client: Any, tree: Tree, auth_headers: Any) -> tuple[str, dict[str, str]]:
    """A `priv_level: user` login: its user id and token headers."""
    return await user_level_login(client, tree, auth_headers)


async def test_user_level_login_manages_only_conferences_it_owns(
    api: Api, user_login: tuple[str, dict[str, str]]
) -> None:
    me, headers = user_login
    mine_body = {"name": "Mine", "owner_id": me}
    status, body = await api.call("PUT", path(api), headers=headers, json={"data": mine_body})
    assert status == 201, body
    mine = body["data"]["id"]
    status, body = await api.call(
        "PATCH", path(api, f"/{mine}"), headers=headers, json={"data": {"play_name": True}}
    )
    assert status == 200 and body["data"]["play_name"] is True, body
    # Giving it away or creating one for someone else is refused.
    status, _ = await api.call(
        "PATCH",
        path(api, f"/{mine}"),
        headers=headers,
        json={"data": {"owner_id": api.tree.users["customer"]["id"]}},
    )
    assert status == 403
    status, _ = await api.call("PUT", path(api), headers=headers, json={"data": {"name": "N"}})
    assert status == 403
    theirs = await create(api)
    for verb in ("POST", "PATCH", "DELETE"):
        kwargs = {"json": {"data": mine_body}} if verb != "DELETE" else {}
        status, _ = await api.call(verb, path(api, f"/{theirs['id']}"), headers=headers, **kwargs)
        assert status == 403, verb
    status, body = await api.call("DELETE", path(api, f"/{mine}"), headers=headers)
    assert status == 200, body

"""external_numbers over HTTP: what Monster's caller id selector lists, adds, vouches, deletes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Tree
from tests.resources.clients import AsLevel, TokenApi, at

NUMBER = "+14155550100"


def numbers(tree: Tree, tail: str = "") -> str:
    return at(tree.customer, f"/external_numbers{tail}")


@pytest.fixture
async def customer(as_level: AsLevel) -> TokenApi:
    return await as_level("customer")


async def create(api: TokenApi, tree: Tree, number: str = NUMBER) -> dict[str, Any]:
    status, body = await api("PUT", numbers(tree), {"number": number})
    assert status == 201, body
    return dict(body["data"])


async def test_added_numbers_are_unverified_e164_and_listed(
    customer: TokenApi, tree: Tree
) -> None:
    doc = await create(customer, tree, number="4155550100")
    assert doc == {"id": doc["id"], "number": NUMBER, "verified": False}
    status, body = await customer("GET", numbers(tree))
    assert (status, body["data"]) == (200, [doc]), body
    assert (await customer("GET", numbers(tree, f"/{doc['id']}")))[1]["data"] == doc


async def test_a_client_cannot_mark_its_number_verified(customer: TokenApi, tree: Tree) -> None:
    status, body = await customer("PUT", numbers(tree), {"number": NUMBER, "verified": True})
    assert (status, body["data"]["verified"]) == (201, False), body
    status, body = await customer(
        "POST", numbers(tree, f"/{body['data']['id']}/verify"), {"code": "1234"}
    )
    assert status == 403, body
    assert [row["verified"] for row in (await customer("GET", numbers(tree)))[1]["data"]] == [
        False
    ]


async def test_the_superduper_admin_vouches_for_a_number(
    customer: TokenApi, as_level: AsLevel, tree: Tree
) -> None:
    doc = await create(customer, tree)
    master = await as_level("master")
    status, body = await master("POST", numbers(tree, f"/{doc['id']}/verify"))
    assert (status, body["data"]) == (200, {**doc, "verified": True}), body
    assert (await customer("GET", numbers(tree)))[1]["data"] == [{**doc, "verified": True}]


async def test_no_pin_call_is_placed(customer: TokenApi, tree: Tree) -> None:
    doc = await create(customer, tree)
    status, body = await customer(
        "PUT", numbers(tree, f"/{doc['id']}/verify"), {"method": "voice"}
    )
    assert (status, body["message"]) == (405, "invalid_method"), body


@pytest.mark.parametrize("body", [{}, {"number": "call me"}, {"number": 4155550100}])
async def test_bad_bodies_return_400_and_store_nothing(
    customer: TokenApi, tree: Tree, body: dict[str, Any]
) -> None:
    status, reply = await customer("PUT", numbers(tree), body)
    assert status == 400 and "number" in reply["data"], reply
    assert (await customer("GET", numbers(tree)))[1]["data"] == []


async def test_a_number_is_added_once(customer: TokenApi, tree: Tree) -> None:
    await create(customer, tree)
    status, body = await customer("PUT", numbers(tree), {"number": "14155550100"})
    assert status == 400 and "unique" in body["data"]["number"], body
    assert len((await customer("GET", numbers(tree)))[1]["data"]) == 1


async def test_delete_removes_the_number(customer: TokenApi, tree: Tree) -> None:
    doc = await create(customer, tree)
    status, body = await customer("DELETE", numbers(tree, f"/{doc['id']}"))
    assert (status, body["data"]["number"]) == (200, NUMBER), body
    assert (await customer("GET", numbers(tree)))[1]["data"] == []


async def test_a_siblings_admin_gets_403_and_changes_nothing(
    customer: TokenApi, as_level: AsLevel, tree: Tree
) -> None:
    doc = await create(customer, tree)
    other = await as_level("other")
    for method, tail, data in (
        ("GET", "", None),
        ("PUT", "", {"number": "+14155550101"}),
        ("GET", f"/{doc['id']}", None),
        ("DELETE", f"/{doc['id']}", None),
    ):
        status, body = await other(method, numbers(tree, tail), data)
        assert status == 403, (method, tail, body)
    assert (await customer("GET", numbers(tree)))[1]["data"] == [doc]

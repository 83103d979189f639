"""parked_calls over HTTP: no switch, so every account's slots are empty; GET only."""

from __future__ import annotations

from tests.conftest import Tree
from tests.resources.clients import AsLevel, at


async def test_parked_calls_are_the_empty_slots_kazoo_returns(
    as_level: AsLevel, tree: Tree
) -> None:
    customer = await as_level("customer")
    status, body = await customer("GET", at(tree.customer, "/parked_calls"))
    assert status == 200, body
    assert (body["status"], body["data"], body["page_size"]) == ("success", {"slots": {}}, 0)


async def test_parked_calls_serve_get_only(as_level: AsLevel, tree: Tree) -> None:
    customer = await as_level("customer")
    status, body = await customer("PUT", at(tree.customer, "/parked_calls"), {"slot": "1"})
    assert (status, body["message"]) == (405, "invalid_method"), body


async def test_a_siblings_admin_gets_403(as_level: AsLevel, tree: Tree) -> None:
    other = await as_level("other")
    status, body = await other("GET", at(tree.customer, "/parked_calls"))
    assert status == 403, body


async def test_call_parks_is_not_a_module(as_level: AsLevel, tree: Tree) -> None:
    customer = await as_level("customer")
    status, body = await customer("GET", at(tree.customer, "/call_parks"))
    assert (status, body["message"]) == (404, "not_found"), body

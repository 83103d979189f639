"""The account tree over HTTP: listings, ancestors, API keys, move and reseller status."""

from __future__ import annotations

import re
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.conftest import Tree, login
from tests.resources.clients import AsLevel, TokenApi, at

FORBIDDEN = {"message": "forbidden"}
CHILD_KEYS = {"id", "name", "realm", "descendants_count", "flags"}
DESCENDANT_KEYS = {"id", "name", "realm", "tree", "flags"}
API_KEY = re.compile(r"[0-9a-f]{64}")


def assert_error(body: dict[str, Any], status: int, message: str, data: Any) -> None:
    got = (body["status"], body["error"], body["message"], body["data"])
    assert got == ("error", str(status), message, data)


async def test_children_rows_have_kazoo_shape_descending_by_default(
    tree: Tree, as_level: AsLevel
) -> None:
    reseller, path = await as_level("reseller"), at(tree.reseller, "/children")
    status, body = await reseller("GET", path)
    assert (status, body["status"], body["page_size"]) == (200, "success", 2)
    assert "next_start_key" not in body
    assert [row["name"] for row in body["data"]] == ["Customer Two", "Customer One"]
    assert all(row.keys() == CHILD_KEYS for row in body["data"])
    customer = {"id": tree.customer["id"], "name": "Customer One"}
    customer.update(realm=tree.customer["realm"], descendants_count=0, flags=[])
    assert body["data"][1] == customer
    _, ascending = await reseller("GET", f"{path}?ascending=true")
    assert [row["name"] for row in ascending["data"]] == ["Customer One", "Customer Two"]


async def test_descendants_rows_carry_the_ancestor_tree(tree: Tree, as_level: AsLevel) -> None:
    status, body = await (await as_level("master"))("GET", at(tree.master, "/descendants"))
    assert (status, body["status"]) == (200, "success")
    assert [row["name"] for row in body["data"]] == ["Reseller", "Customer Two", "Customer One"]
    assert all(row.keys() == DESCENDANT_KEYS for row in body["data"])
    customer = {"id": tree.customer["id"], "name": "Customer One", "realm": tree.customer["realm"]}
    customer.update(tree=[tree.master["id"], tree.reseller["id"]], flags=[])
    assert body["data"][2] == customer


async def test_descendants_count_follows_grandchild_create_and_delete(
    tree: Tree, as_level: AsLevel
) -> None:
    reseller, master = await as_level("reseller"), await as_level("master")
    grandchild = await reseller.child(tree.customer, "Grandchild")
    counts = await reseller.rows(tree.reseller, "children")
    one, two = counts["Customer One"], counts["Customer Two"]
    assert (one["descendants_count"], two["descendants_count"]) == (1, 0)
    assert (await master.rows(tree.master, "children"))["Reseller"]["descendants_count"] == 3
    assert (await reseller("DELETE", at(grandchild)))[0] == 200
    counts = await reseller.rows(tree.reseller, "children")
    assert counts["Customer One"]["descendants_count"] == 0
    assert (await master.rows(tree.master, "children"))["Reseller"]["descendants_count"] == 2


@pytest.mark.parametrize(
    ("level", "target", "listing"),
    [("customer", "reseller", "children"), ("customer", "other", "descendants"),
     ("reseller", "master", "children"), ("customer", "customer", "siblings"),
     ("customer", "other", "siblings"), ("customer", "reseller", "tree"),
     ("customer", "other", "parents")],
)  # fmt: skip
async def test_tree_views_outside_the_callers_subtree_are_forbidden(
    tree: Tree, as_level: AsLevel, level: str, target: str, listing: str
) -> None:
    path = at(getattr(tree, target), f"/{listing}")
    status, body = await (await as_level(level))("GET", path)
    assert status == 403
    assert_error(body, 403, "forbidden", FORBIDDEN)


@pytest.mark.parametrize("level", ["reseller", "master"])
async def test_siblings_lists_the_parents_children_for_an_ancestor(
    tree: Tree, as_level: AsLevel, level: str
) -> None:
    siblings = await (await as_level(level)).rows(tree.customer, "siblings")
    assert list(siblings) == ["Customer Two", "Customer One"]
    assert all(row.keys() == CHILD_KEYS for row in siblings.values())


async def test_siblings_of_an_own_child_are_allowed(tree: Tree, as_level: AsLevel) -> None:
    customer = await as_level("customer")
    child = await customer.child(tree.customer, "Only Child")
    assert list(await customer.rows(child, "siblings")) == ["Only Child"]


@pytest.mark.parametrize("listing", ["parents", "tree"])
async def test_ancestors_run_from_the_callers_account_to_the_parent(
    tree: Tree, as_level: AsLevel, listing: str
) -> None:
    reseller, master = await as_level("reseller"), await as_level("master")
    grandchild = await reseller.child(tree.customer, "Grandchild")
    status, body = await reseller("GET", at(grandchild, f"/{listing}"))
    assert (status, body["status"]) == (200, "success")
    assert body["data"] == [{"id": tree.reseller["id"], "name": "Reseller"},
                            {"id": tree.customer["id"], "name": "Customer One"}]  # fmt: skip
    _, body = await master("GET", at(tree.customer, f"/{listing}"))
    assert body["data"] == [{"id": tree.master["id"], "name": "Master"},
                            {"id": tree.reseller["id"], "name": "Reseller"}]  # fmt: skip


async def test_api_key_regeneration_replaces_the_working_key(
    client: TestClient[Any, Any], tree: Tree, as_level: AsLevel
) -> None:
    customer, path = await as_level("customer"), at(tree.customer, "/api_key")
    status, body = await customer("GET", path)
    old = body["data"]["api_key"]
    assert status == 200 and API_KEY.fullmatch(old)
    status, body = await customer("PUT", path)
    new = body["data"]["api_key"]
    assert status == 201 and API_KEY.fullmatch(new) and new != old
    assert (await customer("GET", path))[1]["data"] == {"api_key": new}
    anonymous = TokenApi(client, {})
    status, body = await anonymous("PUT", "/v2/api_auth", {"api_key": new})
    assert (status, body["data"]["account_id"]) == (201, tree.customer["id"])
    status, body = await anonymous("PUT", "/v2/api_auth", {"api_key": old})
    assert status == 404
    assert_error(body, 404, "bad identifier", [old])


async def test_api_key_is_refused_to_user_level_tokens_and_other_branches(
    client: TestClient[Any, Any], tree: Tree, as_level: AsLevel
) -> None:
    admin, path = await as_level("customer"), at(tree.customer, "/api_key")
    plain = {"first_name": "Plain", "last_name": "User", "username": "plain"}
    plain.update(password="plain-secret", priv_level="user")
    assert (await admin("PUT", at(tree.customer, "/users"), plain))[0] == 201
    token = await login(client, "plain", "plain-secret", "Customer One")
    user = TokenApi(client, {"X-Auth-Token": token})
    key = (await admin("GET", path))[1]["data"]["api_key"]
    other = await as_level("other")
    for method, caller in (("GET", user), ("PUT", user), ("GET", other), ("PUT", other)):
        status, body = await caller(method, path)
        assert status == 403, method
        assert_error(body, 403, "forbidden", FORBIDDEN)
    assert (await admin("GET", path))[1]["data"] == {"api_key": key}


async def test_move_reparents_subtree_and_updates_trees_and_reseller(
    tree: Tree, as_level: AsLevel
) -> None:
    master, top, reseller_id = await as_level("master"), tree.master["id"], tree.reseller["id"]
    grandchild = await master.child(tree.customer, "Grandchild")
    status, body = await master("PUT", at(tree.other, "/reseller"))
    assert (status, body["data"]["is_reseller"]) == (201, True)
    status, body = await master("POST", at(tree.customer, "/move"), {"to": tree.other["id"]})
    assert (status, body["data"]["reseller_id"]) == (200, tree.other["id"]), body
    everyone = await master.rows(tree.master, "descendants")
    assert everyone["Customer One"]["tree"] == [top, reseller_id, tree.other["id"]]
    moved_tree = [top, reseller_id, tree.other["id"], tree.customer["id"]]
    assert everyone["Grandchild"]["tree"] == moved_tree
    for moved in (tree.customer, grandchild):
        _, stored = await master("GET", at(moved))
        assert stored["data"]["reseller_id"] == tree.other["id"]
    under_reseller = await master.rows(tree.reseller, "children")
    assert list(under_reseller) == ["Customer Two"]
    assert under_reseller["Customer Two"]["descendants_count"] == 2
    under_other = await master.rows(tree.other, "children")
    assert list(under_other) == ["Customer One"]
    assert under_other["Customer One"]["descendants_count"] == 1


@pytest.mark.parametrize("level", ["reseller", "customer"])
async def test_move_by_non_master_is_forbidden_and_keeps_tree(
    tree: Tree, as_level: AsLevel, level: str
) -> None:
    caller, master = await as_level(level), await as_level("master")
    child = await master.child(tree.customer, "Stay Put")
    status, body = await caller("POST", at(child, "/move"), {"to": tree.reseller["id"]})
    assert status == 403
    assert_error(body, 403, "forbidden", FORBIDDEN)
    everyone = await master.rows(tree.master, "descendants")
    expected = [tree.master["id"], tree.reseller["id"], tree.customer["id"]]
    assert everyone["Stay Put"]["tree"] == expected


async def test_promote_and_demote_reseller_refused_while_it_has_descendants(
    tree: Tree, as_level: AsLevel
) -> None:
    master, path = await as_level("master"), at(tree.other)
    status, body = await master("PUT", f"{path}/reseller")
    assert (status, body["data"]["is_reseller"]) == (201, True)
    assert (await master("GET", path))[1]["data"]["is_reseller"] is True
    child = await master.child(tree.other, "Resold")
    assert child["reseller_id"] == tree.other["id"]
    for method in ("DELETE", "PUT"):
        status, body = await master(method, f"{path}/reseller")
        assert status == 500, method
        assert_error(body, 500, "account_has_descendants", {"message": "account has descendants"})
    assert (await master("GET", path))[1]["data"]["is_reseller"] is True
    assert (await master("DELETE", at(child)))[0] == 200
    status, body = await master("DELETE", f"{path}/reseller")
    assert (status, body["data"]["is_reseller"]) == (200, False)
    assert (await master("GET", path))[1]["data"]["is_reseller"] is False


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
async def test_reseller_status_change_by_non_master_is_forbidden(
    tree: Tree, as_level: AsLevel, method: str
) -> None:
    reseller, path = await as_level("reseller"), at(tree.customer)
    status, body = await reseller(method, f"{path}/reseller")
    assert status == 403
    assert_error(body, 403, "forbidden", FORBIDDEN)
    assert (await reseller("GET", path))[1]["data"]["is_reseller"] is False


async def test_children_pages_visit_each_child_once_despite_a_create_between_pages(
    tree: Tree, as_level: AsLevel
) -> None:
    customer = await as_level("customer")
    for name in ("Alpha", "Charlie", "Echo"):
        await customer.child(tree.customer, name)
    path = at(tree.customer, "/children?page_size=1")
    status, page = await customer("GET", path)
    assert (status, page["page_size"], [r["name"] for r in page["data"]]) == (200, 1, ["Echo"])
    await customer.child(tree.customer, "Bravo")  # sorts after the cursor: must be visited
    await customer.child(tree.customer, "Foxtrot")  # sorts before it: already passed
    seen = ["Echo"]
    while "next_start_key" in page:
        status, page = await customer("GET", f"{path}&start_key={page['next_start_key']}")
        assert (status, page["page_size"], len(page["data"])) == (200, 1, 1)
        seen += [row["name"] for row in page["data"]]
    assert seen == ["Echo", "Charlie", "Bravo", "Alpha"]

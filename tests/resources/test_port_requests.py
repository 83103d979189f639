"""port_requests over HTTP: Kazoo's public fields, grouped listings, states and who moves them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Tree
from tests.resources.clients import AsLevel, TokenApi, at

Body = dict[str, Any]
NUMBER = "+14155550100"


def ports(tree: Tree, tail: str = "", account: str = "customer") -> str:
    return at(getattr(tree, account), f"/port_requests{tail}")


async def create(api: TokenApi, tree: Tree, number: str = NUMBER, **body: Any) -> Body:
    data = {"name": "Bring our line", "numbers": {number: {}}, **body}
    status, reply = await api("PUT", ports(tree), data)
    assert status == 201, reply
    return dict(reply["data"])


async def move(api: TokenApi, tree: Tree, port_id: str, state: str, data: Any = None) -> Any:
    return await api("PATCH", ports(tree, f"/{port_id}/{state}"), data)


@pytest.fixture
async def customer(as_level: AsLevel) -> TokenApi:
    return await as_level("customer")


@pytest.fixture
async def master(as_level: AsLevel) -> TokenApi:
    return await as_level("master")


async def test_create_returns_kazoos_public_fields_and_read_returns_them(
    customer: TokenApi, tree: Tree
) -> None:
    doc = await create(customer, tree, number="4155550100", bill={"carrier": "Old Co"})
    assert isinstance(doc.pop("created"), int) and isinstance(doc.pop("updated"), int)
    assert doc == {
        "id": doc["id"],
        "name": "Bring our line",
        "numbers": {NUMBER: {}},
        "bill": {"carrier": "Old Co"},
        "port_state": "unconfirmed",
        "sent": False,
        "uploads": {},
        "_read_only": {
            "account_id": tree.customer["id"],
            "account_name": "Customer One",
            "port_authority": tree.master["id"],
            "port_authority_name": "Master",
        },
    }
    status, read = await customer("GET", ports(tree, f"/{doc['id']}"))
    assert (
        status == 200
        and {k: v for k, v in read["data"].items() if k not in ("created", "updated")} == doc
    )


@pytest.mark.parametrize(
    ("body", "path", "rule"),
    [
        ({"name": "x"}, "numbers", "required"),
        ({"name": "x", "numbers": {}}, "numbers", "minProperties"),
        ({"name": "x", "numbers": {NUMBER: "yes"}}, f"numbers.{NUMBER}", "type"),
        ({"numbers": {NUMBER: {}}}, "name", "required"),
        ({"name": "x" * 129, "numbers": {NUMBER: {}}}, "name", "maxLength"),
        ({"name": "x", "numbers": {NUMBER: {}}, "transfer_date": "soon"}, "transfer_date", "type"),
    ],
)
async def test_bad_bodies_return_400_and_store_nothing(
    customer: TokenApi, tree: Tree, body: Body, path: str, rule: str
) -> None:
    status, reply = await customer("PUT", ports(tree), body)
    assert status == 400 and rule in reply["data"][path], reply
    assert (await customer("GET", ports(tree, "?by_types=all")))[1]["data"] == []


async def test_listing_groups_by_account_and_filters_by_types(
    customer: TokenApi, master: TokenApi, tree: Tree
) -> None:
    first = await create(customer, tree)
    second = await create(customer, tree, number="+14155550101")
    assert (await move(customer, tree, second["id"], "canceled"))[0] == 200
    status, body = await customer("GET", ports(tree))
    assert status == 200 and "page_size" not in body, body
    [group] = body["data"]
    assert (group["account_id"], group["account_name"]) == (tree.customer["id"], "Customer One")
    assert [row["id"] for row in group["port_requests"]] == [first["id"]]
    assert group["port_requests"][0]["account_id"] == tree.customer["id"]
    status, body = await customer("GET", ports(tree, "?by_types=completed"))
    assert [row["id"] for row in body["data"][0]["port_requests"]] == [second["id"]]
    status, body = await customer("GET", ports(tree, "?by_types=pending"))
    assert (status, body["data"]) == (200, [])
    status, body = await customer("GET", ports(tree, "?by_types=pending,bogus"))
    assert (status, body["message"]) == (500, "invalid_request"), body
    assert body["data"] == {"message": "query string by_types contained invalid values: bogus"}


async def test_states_move_as_kazoo_allows_and_only_the_authority_moves_them_on(
    customer: TokenApi, master: TokenApi, tree: Tree
) -> None:
    doc = await create(customer, tree)
    status, body = await move(customer, tree, doc["id"], "submitted", {"reason": "ready"})
    assert (status, body["data"]["port_state"]) == (200, "submitted"), body
    assert "reason" not in body["data"]
    status, body = await move(customer, tree, doc["id"], "pending")
    assert status == 400, body
    assert body["data"]["port_state"]["enum"]["cause"] == "pending"
    assert "port authority" in body["data"]["port_state"]["enum"]["message"]
    assert (await move(master, tree, doc["id"], "completed"))[1]["data"] == {
        "port_state": {
            "enum": {
                "message": "Cannot move to new state from current state",
                "cause": "completed",
            }
        }
    }
    assert (await move(master, tree, doc["id"], "pending"))[0] == 200
    status, body = await move(master, tree, doc["id"], "scheduled")
    assert status == 400 and "schedule_on" in body["data"], body
    when = {"schedule_on": {"date_time": "2030-06-24 12:00", "timezone": "America/New_York"}}
    status, body = await move(master, tree, doc["id"], "scheduled", when)
    assert (status, body["data"]["port_state"]) == (200, "scheduled"), body
    # 2030-06-24 16:00 UTC in Gregorian seconds.
    assert body["data"]["scheduled_date"] == 1908547200 + 62167219200
    assert (await move(master, tree, doc["id"], "completed"))[1]["data"][
        "port_state"
    ] == "completed"
    status, timeline = await customer("GET", ports(tree, f"/{doc['id']}/timeline"))
    moves = [entry["transition"] for entry in timeline["data"]]
    assert moves == [
        {"new": "unconfirmed"},
        {"new": "submitted", "previous": "unconfirmed"},
        {"new": "pending", "previous": "submitted"},
        {"new": "scheduled", "previous": "pending"},
        {"new": "completed", "previous": "scheduled"},
    ]
    submitted = timeline["data"][1]
    assert submitted["reason"] == "ready"
    assert submitted["authorization"]["account"] == {
        "id": tree.customer["id"],
        "name": "Customer One",
    }
    assert submitted["authorization"]["user"]["full_name"] == "Customer Admin"


async def test_cancel_is_the_accounts_own_only_while_unconfirmed(
    customer: TokenApi, master: TokenApi, tree: Tree
) -> None:
    early = await create(customer, tree)
    assert (await move(customer, tree, early["id"], "canceled"))[1]["data"][
        "port_state"
    ] == "canceled"
    late = await create(customer, tree, number="+14155550101")
    await move(customer, tree, late["id"], "submitted")
    status, body = await move(customer, tree, late["id"], "canceled")
    assert status == 400 and body["data"]["port_state"]["enum"]["cause"] == "canceled"
    assert (await move(master, tree, late["id"], "canceled"))[0] == 200
    status, body = await move(master, tree, late["id"], "submitted")
    assert status == 400, body


async def test_post_is_refused_once_submitted_but_patch_still_merges(
    customer: TokenApi, tree: Tree
) -> None:
    doc = await create(customer, tree)
    await move(customer, tree, doc["id"], "submitted")
    path = ports(tree, f"/{doc['id']}")
    status, body = await customer("POST", path, {"name": "Renamed", "numbers": {NUMBER: {}}})
    assert status == 400, body
    assert body["data"] == {
        "submitted": {
            "type": {
                "message": "Updating port requests not allowed in current port state",
                "cause": "submitted",
            }
        }
    }
    # Kazoo's PATCH of the document checks neither the state nor the numbers.
    status, body = await customer("PATCH", path, {"reference_number": "R-1", "port_state": "x"})
    assert (status, body["data"]["reference_number"], body["data"]["port_state"]) == (
        200,
        "R-1",
        "submitted",
    )
    assert body["data"]["name"] == "Bring our line"


async def test_delete_only_while_unconfirmed_rejected_or_canceled(
    customer: TokenApi, master: TokenApi, tree: Tree
) -> None:
    doc = await create(customer, tree)
    await move(customer, tree, doc["id"], "submitted")
    path = ports(tree, f"/{doc['id']}")
    status, body = await customer("DELETE", path)
    assert (status, body["message"], body["data"]) == (
        405,
        "invalid_method",
        {"message": "invalid method"},
    )
    assert (await master("PATCH", ports(tree, f"/{doc['id']}/rejected")))[0] == 200
    status, body = await customer("DELETE", path)
    assert (status, body["data"]["id"]) == (200, doc["id"]), body
    assert (await customer("GET", path))[0] == 404


async def test_numbers_already_porting_or_held_are_refused(customer: TokenApi, tree: Tree) -> None:
    first = await create(customer, tree)
    await create(customer, tree)  # an unconfirmed request claims nothing yet
    await move(customer, tree, first["id"], "submitted")
    status, body = await customer("PUT", ports(tree), {"name": "x", "numbers": {NUMBER: {}}})
    assert status == 400, body
    assert body["data"] == {
        NUMBER: {
            "type": {
                "message": f"Number is on a port request already: {first['id']}",
                "cause": NUMBER,
            }
        }
    }
    held = "+14155550177"
    assert (await customer("PUT", at(tree.customer, f"/phone_numbers/{held}")))[0] == 201
    status, body = await customer("PUT", ports(tree), {"name": "x", "numbers": {held: {}}})
    assert body["data"][held]["type"]["message"] == "Number exists on the system already"


async def test_by_number_finds_requests_in_the_account_and_below(
    customer: TokenApi, as_level: AsLevel, tree: Tree
) -> None:
    doc = await create(customer, tree)
    status, body = await customer("GET", ports(tree, "?by_number=4155550100"))
    assert status == 200 and [row["id"] for row in body["data"]] == [doc["id"]], body
    assert body["page_size"] == 1
    reseller = await as_level("reseller")
    status, body = await reseller(
        "GET", ports(tree, "?by_number=%2B14155550100", account="reseller")
    )
    assert [row["account_id"] for row in body["data"]] == [tree.customer["id"]]
    other = await as_level("other")
    status, body = await other("GET", ports(tree, "?by_number=%2B14155550100", account="other"))
    assert body["data"] == []


async def test_descendants_listing_groups_the_subtree(
    customer: TokenApi, as_level: AsLevel, tree: Tree
) -> None:
    doc = await create(customer, tree)
    reseller = await as_level("reseller")
    status, body = await reseller("GET", at(tree.reseller, "/descendants/port_requests"))
    assert status == 200, body
    assert [(g["account_name"], [r["id"] for r in g["port_requests"]]) for g in body["data"]] == [
        ("Customer One", [doc["id"]])
    ]
    status, body = await reseller("GET", ports(tree, account="reseller"))
    assert body["data"] == []


async def test_a_whitelabel_port_authority_manages_its_subtree(
    customer: TokenApi, as_level: AsLevel, tree: Tree
) -> None:
    reseller = await as_level("reseller")
    brand = {"port": {"authority": tree.reseller["id"]}}
    assert (await reseller("PUT", at(tree.reseller, "/whitelabel"), brand))[0] == 201
    doc = await create(customer, tree)
    assert doc["_read_only"]["port_authority"] == tree.reseller["id"]
    assert doc["_read_only"]["port_authority_name"] == "Reseller"
    await move(customer, tree, doc["id"], "submitted")
    assert (await move(reseller, tree, doc["id"], "pending"))[1]["data"]["port_state"] == "pending"


async def test_private_comments_are_hidden_from_all_but_the_authority(
    customer: TokenApi, master: TokenApi, tree: Tree
) -> None:
    comments = [
        {"author": "Ops", "content": "internal", "timestamp": 2, "is_private": True},
        {"author": "Ops", "content": "hello", "timestamp": 1},
    ]
    doc = await create(customer, tree, comments=comments)
    assert [c["content"] for c in doc["comments"]] == ["hello"]
    status, body = await master("GET", ports(tree, f"/{doc['id']}"))
    assert [c["content"] for c in body["data"]["comments"]] == ["internal", "hello"]
    assert body["data"]["comments"][1] == {
        **comments[1],
        "is_private": False,
        "action_required": False,
    }


async def test_last_submitted_lists_each_submitted_request_with_its_move(
    customer: TokenApi, tree: Tree
) -> None:
    doc = await create(customer, tree)
    await create(customer, tree, number="+14155550101")
    await move(customer, tree, doc["id"], "submitted")
    status, body = await customer("GET", ports(tree, "/last_submitted"))
    assert status == 200, body
    [entry] = body["data"]
    assert entry["id"] == doc["id"]
    assert entry["transition"]["transition"] == {"new": "submitted", "previous": "unconfirmed"}


async def test_a_siblings_admin_gets_403_and_changes_nothing(
    customer: TokenApi, as_level: AsLevel, tree: Tree
) -> None:
    doc = await create(customer, tree)
    other = await as_level("other")
    for method, tail, data in (
        ("GET", "", None),
        ("PUT", "", {"name": "x", "numbers": {"+14155550111": {}}}),
        ("GET", f"/{doc['id']}", None),
        ("PATCH", f"/{doc['id']}/submitted", None),
        ("DELETE", f"/{doc['id']}", None),
    ):
        status, body = await other(method, ports(tree, tail), data)
        assert status == 403, (method, tail, body)
    status, body = await customer("GET", ports(tree, f"/{doc['id']}"))
    assert body["data"]["port_state"] == "unconfirmed"
    assert len((await customer("GET", ports(tree)))[1]["data"][0]["port_requests"]) == 1


async def test_unknown_ids_and_states_are_404(customer: TokenApi, tree: Tree) -> None:
    doc = await create(customer, tree)
    assert (await customer("GET", ports(tree, "/" + "0" * 32)))[0] == 404
    assert (await move(customer, tree, "0" * 32, "submitted"))[0] == 404
    assert (await customer("PATCH", ports(tree, f"/{doc['id']}/bogus")))[0] == 404

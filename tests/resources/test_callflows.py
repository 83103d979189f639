"""Callflows over HTTP: numbers/patterns rules, E.164, uniqueness, references, metadata, rows."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.conftest import Tree, login

Body = dict[str, Any]
MISSING = "f" * 32
NUMBER_OR_PATTERN = {
    "numbers": {
        "required": {"message": "Callflows must be assigned at least one number or pattern"}
    }
}


def user_node(user_id: str, **children: Body) -> Body:
    """A flow node ringing one user."""
    return {"module": "user", "data": {"id": user_id}, "children": children}


def not_found(path: str, label: str, value: Any) -> Body:
    """The reference error for one path."""
    return {
        path: {
            "not_found": {
                "message": f"{label} {value} does not exist in this account",
                "cause": value,
            }
        }
    }


@dataclass
class Callflows:
    """One account's callflows (and users), seen with one token."""

    client: TestClient[Any, Any]
    headers: dict[str, str]
    account: dict[str, Any]

    def url(self, tail: str = "", collection: str = "callflows", query: str = "") -> str:
        """The collection or one document in it, plus a query string."""
        base = f"/v2/accounts/{self.account['id']}/{collection}"
        return (f"{base}/{tail}" if tail else base) + query

    async def call(self, verb: str, tail: str = "", data: Any = None, **kw: Any) -> Any:
        """(status, envelope); `collection` and `query` pick the URL."""
        body = None if data is None else {"data": data}
        response = await self.client.request(
            verb, self.url(tail, **kw), headers=self.headers, json=body
        )
        return response.status, await response.json()

    async def create(self, **fields: Any) -> Body:
        """A callflow that must be created; its data."""
        status, body = await self.call("PUT", data=fields)
        assert status == 201, body
        return dict(body["data"])

    async def stored(self, callflow_id: str) -> Body:
        """The callflow as a GET shows it."""
        status, body = await self.call("GET", callflow_id)
        assert status == 200, body
        return dict(body["data"])

    async def user(self, **fields: Any) -> Body:
        """A new user of the account."""
        data = {"first_name": "Ann", "last_name": "Smith", **fields}
        status, body = await self.call("PUT", data=data, collection="users")
        assert status == 201, body
        return dict(body["data"])


@pytest.fixture
async def callflows(client: Any, tree: Tree, auth_headers: Any) -> Callflows:
    """The customer admin on the customer's callflows."""
    return Callflows(client, await auth_headers("customer"), tree.customer)


@pytest.fixture
async def others(client: Any, tree: Tree, auth_headers: Any) -> Callflows:
    """The other customer's admin on its own callflows."""
    return Callflows(client, await auth_headers("other"), tree.other)


def assert_invalid(status: int, body: Body, data: Body) -> None:
    """A Kazoo 400 validation error carrying exactly `data`."""
    assert status == 400, body
    assert body["message"] == "validation error"
    assert body["data"] == data


async def test_create_stores_defaults_and_get_shows_them(callflows: Callflows) -> None:
    status, body = await callflows.call("PUT", data={"name": "Main", "numbers": ["1001"]})
    assert status == 201, body
    created = body["data"]
    assert created == {"id": created["id"], "name": "Main", "numbers": ["1001"], "patterns": []}
    stored = await callflows.stored(created["id"])
    assert stored == {**created, "metadata": {}}


async def test_flow_node_data_defaults_to_an_empty_object(callflows: Callflows) -> None:
    created = await callflows.create(numbers=["1001"], flow={"module": "offnet"})
    assert (await callflows.stored(created["id"]))["flow"] == {"module": "offnet", "data": {}}


@pytest.mark.parametrize(
    "data", [{}, {"numbers": []}, {"numbers": [], "patterns": []}, {"name": "x", "patterns": []}]
)
async def test_a_callflow_needs_a_number_or_a_pattern(callflows: Callflows, data: Body) -> None:
    status, body = await callflows.call("PUT", data=data)
    assert_invalid(status, body, NUMBER_OR_PATTERN)


async def test_patterns_alone_are_enough(callflows: Callflows) -> None:
    created = await callflows.create(patterns=["^\\+1(\\d{10})$"])
    assert created["numbers"] == []
    assert created["patterns"] == ["^\\+1(\\d{10})$"]


async def test_patch_removing_every_number_is_refused_and_keeps_doc(callflows: Callflows) -> None:
    created = await callflows.create(numbers=["1001"])
    status, body = await callflows.call("PATCH", created["id"], {"numbers": []})
    assert_invalid(status, body, NUMBER_OR_PATTERN)
    assert (await callflows.stored(created["id"]))["numbers"] == ["1001"]


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("4155551234", "+14155551234"),
        ("14155551234", "+14155551234"),
        ("+14155551234", "+14155551234"),
        ("+4415551234", "+4415551234"),
        ("011441234567", "+441234567"),
        ("00441234567", "+441234567"),
        ("44123456789", "+44123456789"),
        ("1001", "1001"),
        ("*97", "*97"),
        ("0", "0"),
        ("1234567890", "1234567890"),
    ],
)
async def test_did_like_numbers_are_stored_in_e164(
    callflows: Callflows, given: str, stored: str
) -> None:
    created = await callflows.create(numbers=[given])
    assert created["numbers"] == [stored]
    assert (await callflows.stored(created["id"]))["numbers"] == [stored]


async def test_numbers_equal_after_normalisation_are_not_unique_items(
    callflows: Callflows,
) -> None:
    status, body = await callflows.call("PUT", data={"numbers": ["4155551234", "+14155551234"]})
    assert_invalid(
        status,
        body,
        {
            "numbers": {
                "uniqueItems": {
                    "message": "List of items is not unique",
                    "value": ["+14155551234", "+14155551234"],
                }
            }
        },
    )


async def test_a_number_in_another_callflow_is_refused(callflows: Callflows) -> None:
    first = await callflows.create(name="Main", numbers=["1001", "1002"])
    status, body = await callflows.call("PUT", data={"name": "Copy", "numbers": ["1002"]})
    message = f"Number 1002 exists in callflow {first['id']} Main"
    assert_invalid(status, body, {"numbers": {"unique": {"message": message, "cause": "1002"}}})
    status, body = await callflows.call("GET")
    assert [row["id"] for row in body["data"]] == [first["id"]]


async def test_a_did_clashes_after_normalisation_and_unnamed_owner_leaves_a_space(
    callflows: Callflows,
) -> None:
    first = await callflows.create(numbers=["+14155551234"])
    status, body = await callflows.call("PUT", data={"numbers": ["4155551234"]})
    message = f"Number +14155551234 exists in callflow {first['id']} "
    assert_invalid(
        status, body, {"numbers": {"unique": {"message": message, "cause": "+14155551234"}}}
    )


async def test_a_pattern_in_another_callflow_is_refused(callflows: Callflows) -> None:
    first = await callflows.create(name="Offnet", patterns=["^9(\\d+)$"])
    status, body = await callflows.call("PUT", data={"patterns": ["^9(\\d+)$"]})
    message = f"Pattern ^9(\\d+)$ exists in callflow {first['id']} Offnet"
    assert_invalid(
        status, body, {"patterns": {"unique": {"message": message, "cause": "^9(\\d+)$"}}}
    )


async def test_patch_taking_another_callflows_number_is_refused(callflows: Callflows) -> None:
    first = await callflows.create(name="A", numbers=["1001"])
    second = await callflows.create(name="B", numbers=["1002"])
    status, body = await callflows.call("PATCH", second["id"], {"numbers": ["1002", "1001"]})
    message = f"Number 1001 exists in callflow {first['id']} A"
    assert_invalid(status, body, {"numbers": {"unique": {"message": message, "cause": "1001"}}})
    assert (await callflows.stored(second["id"]))["numbers"] == ["1002"]


async def test_a_callflow_may_be_saved_again_with_its_own_numbers(callflows: Callflows) -> None:
    first = await callflows.create(name="A", numbers=["1001"], patterns=["^2(\\d+)$"])
    data = {"name": "A2", "numbers": ["1001", "1003"], "patterns": ["^2(\\d+)$"]}
    status, body = await callflows.call("POST", first["id"], data)
    assert status == 200, body
    assert (await callflows.stored(first["id"]))["numbers"] == ["1001", "1003"]


async def test_a_number_freed_by_an_update_can_be_reused(callflows: Callflows) -> None:
    first = await callflows.create(numbers=["1001", "1002"], patterns=["^3$"])
    status, body = await callflows.call("POST", first["id"], {"numbers": ["1002"]})
    assert status == 200, body
    second = await callflows.create(numbers=["1001"], patterns=["^3$"])
    assert second["numbers"] == ["1001"]
    status, body = await callflows.call("PUT", data={"numbers": ["1002"]})
    assert status == 400, body


async def test_a_number_freed_by_a_delete_can_be_reused(callflows: Callflows) -> None:
    first = await callflows.create(numbers=["1001"], patterns=["^3$"])
    status, body = await callflows.call("DELETE", first["id"])
    assert status == 200, body
    assert body["data"]["_read_only"] == {"deleted": True}
    assert (await callflows.call("GET", first["id"]))[0] == 404
    await callflows.create(numbers=["1001"], patterns=["^3$"])


async def test_numbers_are_unique_per_account_only(
    callflows: Callflows, others: Callflows
) -> None:
    await callflows.create(numbers=["1001"], patterns=["^3$"])
    assert (await others.create(numbers=["1001"], patterns=["^3$"]))["numbers"] == ["1001"]


@pytest.mark.parametrize("field", ["numbers", "patterns"])
async def test_concurrent_creates_of_one_value_let_exactly_one_win(
    callflows: Callflows, field: str
) -> None:
    results = await asyncio.gather(
        *(callflows.call("PUT", data={"name": f"cf{n}", field: ["5000"]}) for n in range(4))
    )
    statuses = sorted(status for status, _ in results)
    assert statuses == [201, 400, 400, 400]
    status, body = await callflows.call("GET")
    assert len(body["data"]) == 1
    winner = next(body["data"] for status, body in results if status == 201)
    for status, body in results:
        if status == 400:
            assert body["data"][field]["unique"]["cause"] == "5000"
            assert winner["id"] in body["data"][field]["unique"]["message"]


async def test_an_unknown_user_is_refused(callflows: Callflows) -> None:
    status, body = await callflows.call(
        "PUT", data={"numbers": ["1001"], "flow": user_node(MISSING)}
    )
    assert_invalid(status, body, not_found("flow.data.id", "User", MISSING))
    assert (await callflows.call("GET"))[1]["data"] == []


async def test_a_user_of_another_account_is_refused(
    callflows: Callflows, others: Callflows
) -> None:
    foreign = await others.user()
    status, body = await callflows.call(
        "PUT", data={"numbers": ["1001"], "flow": user_node(foreign["id"])}
    )
    assert_invalid(status, body, not_found("flow.data.id", "User", foreign["id"]))


async def test_a_real_user_is_accepted_and_named_in_metadata(callflows: Callflows) -> None:
    user = await callflows.user(first_name="Ann", last_name="Smith")
    created = await callflows.create(name="Ann", numbers=["1001"], flow=user_node(user["id"]))
    stored = await callflows.stored(created["id"])
    assert stored["metadata"] == {user["id"]: {"name": "Ann Smith", "pvt_type": "user"}}
    assert "pvt_references" not in stored
    status, body = await callflows.call("POST", created["id"], {"numbers": ["1001"]})
    assert status == 200, body
    assert "metadata" not in body["data"]


async def test_metadata_names_a_referenced_callflow_with_its_numbers(
    callflows: Callflows,
) -> None:
    target = await callflows.create(name="Target", numbers=["2000"])
    flow = {"module": "callflow", "data": {"id": target["id"]}}
    created = await callflows.create(numbers=["1001"], flow=flow)
    assert (await callflows.stored(created["id"]))["metadata"] == {
        target["id"]: {"name": "Target", "numbers": ["2000"], "pvt_type": "callflow"}
    }


async def test_nested_references_report_each_missing_id_by_path(callflows: Callflows) -> None:
    user = await callflows.user()
    ring = {
        "module": "ring_group",
        "data": {
            "endpoints": [
                {"id": user["id"], "endpoint_type": "user"},
                {"id": MISSING},
                {"id": "e" * 32, "endpoint_type": "group"},
            ]
        },
    }
    menu = {"module": "menu", "data": {"id": "d" * 32}}
    flow = {
        "module": "temporal_route",
        "data": {},
        "children": {"_": ring, "c" * 32: {"module": "voicemail", "data": {"id": "b" * 32}}},
    }
    flow["children"]["_"]["children"] = {"_": menu}
    status, body = await callflows.call("PUT", data={"numbers": ["1001"], "flow": flow})
    assert_invalid(
        status,
        body,
        {
            **not_found("flow.children._.data.endpoints.1.id", "Device", MISSING),
            **not_found("flow.children._.data.endpoints.2.id", "Group", "e" * 32),
            **not_found("flow.children._.children._.data.id", "Menu", "d" * 32),
            **not_found(f"flow.children.{'c' * 32}", "Temporal rule", "c" * 32),
            **not_found(f"flow.children.{'c' * 32}.data.id", "Voicemail box", "b" * 32),
        },
    )


async def test_a_non_string_id_is_refused(callflows: Callflows) -> None:
    flow = {"module": "device", "data": {"id": 42}}
    status, body = await callflows.call("PUT", data={"numbers": ["1001"], "flow": flow})
    assert_invalid(status, body, not_found("flow.data.id", "Device", 42))


async def test_nodes_without_an_id_or_of_other_modules_need_nothing(callflows: Callflows) -> None:
    flow = {
        "module": "voicemail",
        "data": {"action": "check"},
        "children": {"_": {"module": "offnet", "data": {"id": MISSING}}},
    }
    created = await callflows.create(numbers=["*97"], flow=flow)
    assert (await callflows.stored(created["id"]))["metadata"] == {}


async def test_deleting_a_referenced_user_is_refused_until_the_callflow_lets_go(
    callflows: Callflows,
) -> None:
    user = await callflows.user()
    created = await callflows.create(name="Ann", numbers=["1001"], flow=user_node(user["id"]))
    status, body = await callflows.call("DELETE", user["id"], collection="users")
    message = "Still used by callflow Ann; change or delete it first"
    assert_invalid(
        status, body, {"id": {"referenced": {"message": message, "cause": created["id"]}}}
    )
    status, body = await callflows.call("PATCH", created["id"], {"flow": {"module": "offnet"}})
    assert status == 200, body
    status, body = await callflows.call("DELETE", user["id"], collection="users")
    assert status == 200, body


async def test_listing_rows_are_summaries_sorted_by_id(callflows: Callflows) -> None:
    user = await callflows.user()
    flow = user_node(
        user["id"], _={"module": "voicemail", "data": {}, "children": {"_": user_node(user["id"])}}
    )
    plain = await callflows.create(numbers=["1001"], flow=flow)
    feature = await callflows.create(
        name="Voicemail",
        type="main",
        patterns=["^\\*98(\\d+)$"],
        featurecode={"name": "voicemail[action=check]", "number": "98"},
        owner_id=user["id"],
        group_id="a" * 32,
        flags=["x"],
    )
    status, body = await callflows.call("GET")
    assert status == 200, body
    rows = {
        plain["id"]: {
            "id": plain["id"],
            "numbers": ["1001"],
            "patterns": [],
            "featurecode": False,
            "modules": ["user", "voicemail"],
            "flags": [],
        },
        feature["id"]: {
            "id": feature["id"],
            "name": "Voicemail",
            "type": "main",
            "numbers": [],
            "patterns": ["^\\*98(\\d+)$"],
            "featurecode": {"name": "voicemail[action=check]", "number": "98"},
            "owner_id": user["id"],
            "group_id": "a" * 32,
            "modules": [],
            "flags": ["x"],
        },
    }
    assert body["data"] == [rows[key] for key in sorted(rows, reverse=True)]
    status, body = await callflows.call("GET", query="?ascending=true")
    assert status == 200, body
    assert body["data"] == [rows[key] for key in sorted(rows)]


async def test_another_accounts_callflow_is_404_bad_identifier(
    callflows: Callflows, others: Callflows
) -> None:
    foreign = await others.create(numbers=["1001"])
    for verb, data in (
        ("GET", None),
        ("POST", {"numbers": ["1"]}),
        ("PATCH", {}),
        ("DELETE", None),
    ):
        status, body = await callflows.call(verb, foreign["id"], data)
        assert status == 404, body
        assert body["message"] == "bad_identifier"
        assert body["data"] == {"cause": foreign["id"], "message": "bad identifier"}
    assert (await others.stored(foreign["id"]))["numbers"] == ["1001"]


async def test_patch_merges_into_the_stored_callflow(callflows: Callflows) -> None:
    created = await callflows.create(name="Main", numbers=["1001"], flags=["a"])
    status, body = await callflows.call("PATCH", created["id"], {"name": "Renamed"})
    assert status == 200, body
    stored = await callflows.stored(created["id"])
    assert (stored["name"], stored["numbers"], stored["flags"]) == ("Renamed", ["1001"], ["a"])


async def test_a_user_level_login_may_read_but_not_write(callflows: Callflows) -> None:
    await callflows.user(username="bob", password="pa55word", priv_level="user")
    created = await callflows.create(numbers=["1001"])
    token = await login(callflows.client, "bob", "pa55word", "Customer One")
    bob = Callflows(callflows.client, {"X-Auth-Token": token}, callflows.account)
    assert (await bob.call("GET", created["id"]))[0] == 200
    status, body = await bob.call("PUT", data={"numbers": ["1002"]})
    assert status == 403, body

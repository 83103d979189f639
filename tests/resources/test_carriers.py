"""resources (an account's carriers) over HTTP: defaults, rows, gateways, peers, other accounts."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Tree
from tests.resources.clients import AsLevel, TokenApi, at

Body = dict[str, Any]
GATEWAY = {
    "server": "sip.carrier.test",
    "username": "acme",
    "password": "s3cret",
    "realm": "c.test",
}
GATEWAY_DEFAULTS = {
    "channel_selection": "ascending",
    "enabled": True,
    "endpoint_type": "sip",
    "force_port": False,
    "invite_format": "route",
    "port": 5060,
    "skype_rr": True,
}
DEFAULTS = {
    "emergency": False,
    "enabled": True,
    "flags": [],
    "from_account_realm": False,
    "grace_period": 5,
    "rules": [],
    "rules_test": [],
    "weight_cost": 50,
}


def carriers(tree: Tree, tail: str = "") -> str:
    return at(tree.customer, f"/resources{tail}")


@pytest.fixture
async def customer(as_level: AsLevel) -> TokenApi:
    return await as_level("customer")


async def create(api: TokenApi, tree: Tree, **body: Any) -> Body:
    data = {"name": "Carrier A", "gateways": [GATEWAY], **body}
    status, reply = await api("PUT", carriers(tree), data)
    assert status == 201, reply
    return dict(reply["data"])


async def test_create_applies_kazoos_defaults_and_keeps_the_gateway_password(
    customer: TokenApi, tree: Tree
) -> None:
    doc = await create(customer, tree, rules=["^\\+1\\d{10}$"])
    assert doc == {
        "id": doc["id"],
        "name": "Carrier A",
        **DEFAULTS,
        "rules": ["^\\+1\\d{10}$"],
        "gateways": [{**GATEWAY, **GATEWAY_DEFAULTS}],
    }
    status, read = await customer("GET", carriers(tree, f"/{doc['id']}"))
    assert (status, read["data"]) == (200, doc)


async def test_listing_rows_are_kazoos_summary(customer: TokenApi, tree: Tree) -> None:
    first = await create(customer, tree, classifiers={"tollfree_us": {"regex": "^\\+18"}})
    second = await create(customer, tree, name="Carrier B", enabled=False, weight_cost=10)
    status, body = await customer("GET", carriers(tree))
    assert status == 200 and body["page_size"] == 2, body
    rows = {row["id"]: row for row in body["data"]}
    assert rows[first["id"]] == {
        "id": first["id"],
        "name": "Carrier A",
        "enabled": True,
        "weight_cost": 50,
        "classifiers": {
            "tollfree_us": {
                "regex": "^\\+18",
                "emergency": False,
                "enabled": True,
                "weight_cost": 50,
            }
        },
    }
    assert rows[second["id"]] == {
        "id": second["id"],
        "name": "Carrier B",
        "enabled": False,
        "weight_cost": 10,
    }
    assert [row["id"] for row in body["data"]] == sorted(rows, reverse=True)


@pytest.mark.parametrize(
    ("body", "path", "rule"),
    [
        ({"name": "x"}, "gateways", "required"),
        ({"gateways": [GATEWAY]}, "name", "required"),
        ({"name": "x", "gateways": [{"username": "u"}]}, "gateways.0.server", "required"),
        (
            {"name": "x", "gateways": [{**GATEWAY, "password": "p" * 33}]},
            "gateways.0.password",
            "maxLength",
        ),
        ({"name": "x", "gateways": [GATEWAY], "weight_cost": 101}, "weight_cost", "maximum"),
        (
            {"name": "x", "gateways": [{**GATEWAY, "invite_format": "x"}]},
            "gateways.0.invite_format",
            "enum",
        ),
    ],
)
async def test_bad_bodies_return_400_and_store_nothing(
    customer: TokenApi, tree: Tree, body: Body, path: str, rule: str
) -> None:
    status, reply = await customer("PUT", carriers(tree), body)
    assert status == 400 and rule in reply["data"][path], reply
    assert (await customer("GET", carriers(tree)))[1]["data"] == []


async def test_peering_is_refused_as_kazoos_default_config_does(
    customer: TokenApi, tree: Tree
) -> None:
    status, body = await customer(
        "PUT", carriers(tree), {"name": "x", "gateways": [GATEWAY], "peer": True}
    )
    assert status == 400, body
    assert body["data"] == {
        "peer": {
            "forbidden": {
                "message": "Peers are currently disabled, please contact the system admin"
            }
        }
    }
    assert (await customer("GET", carriers(tree)))[1]["data"] == []


async def test_post_replaces_patch_merges_and_delete_removes(
    customer: TokenApi, tree: Tree
) -> None:
    doc = await create(customer, tree)
    path = carriers(tree, f"/{doc['id']}")
    status, body = await customer("POST", path, {"name": "Renamed", "gateways": [GATEWAY]})
    assert (status, body["data"]["name"]) == (200, "Renamed"), body
    status, body = await customer("PATCH", path, {"weight_cost": 5, "name": 7})
    assert status == 400 and "name" in body["data"], body
    status, body = await customer("PATCH", path, {"weight_cost": 5})
    assert (body["data"]["weight_cost"], body["data"]["name"]) == (5, "Renamed")
    status, body = await customer("DELETE", path)
    assert status == 200 and body["data"]["id"] == doc["id"]
    assert (await customer("GET", path))[0] == 404


async def test_a_siblings_admin_gets_403_and_changes_nothing(
    customer: TokenApi, as_level: AsLevel, tree: Tree
) -> None:
    doc = await create(customer, tree)
    other = await as_level("other")
    for method, tail, data in (
        ("GET", "", None),
        ("PUT", "", {"name": "x", "gateways": [GATEWAY]}),
        ("GET", f"/{doc['id']}", None),
        ("POST", f"/{doc['id']}", {"name": "x", "gateways": [GATEWAY]}),
        ("DELETE", f"/{doc['id']}", None),
    ):
        status, body = await other(method, carriers(tree, tail), data)
        assert status == 403, (method, tail, body)
    assert (await customer("GET", carriers(tree, f"/{doc['id']}")))[1]["data"] == doc


async def test_local_resources_is_not_a_module(customer: TokenApi, tree: Tree) -> None:
    # Kazoo lists cb_local_resources among its deprecated modules: the path is unknown.
    status, body = await customer("GET", at(tree.customer, "/local_resources"))
    assert (status, body["message"]) == (404, "not_found"), body

"""Accounts over HTTP: create, read, replace, merge, delete, uniqueness and who may do what."""

from __future__ import annotations

import asyncio
import secrets
import time
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.conftest import Tree, login
from tests.resources.clients import AsLevel, TokenApi, at

GREGORIAN_OFFSET = 62167219200
FORBIDDEN = {"message": "forbidden"}
NAME_TAKEN = "Account name already in use"
SERVER_KEYS = "superduper_admin wnm_allow_additions is_reseller reseller_id billing_mode".split()


def make_account(**overrides: Any) -> dict[str, Any]:
    """Account data with a unique name."""
    return {"name": f"Account {secrets.token_hex(4)}", **overrides}


def unique(field: str, message: str, cause: str) -> dict[str, Any]:
    return {field: {"unique": {"message": message, "cause": cause}}}


def bad_identifier(doc_id: str) -> dict[str, str]:
    return {"cause": doc_id, "message": "bad identifier"}


def assert_error(body: dict[str, Any], status: int, message: str, data: Any) -> None:
    got = (body["status"], body["error"], body["message"], body["data"])
    assert got == ("error", str(status), message, data)


async def test_put_under_parent_returns_201_with_derived_keys_and_generated_realm(
    tree: Tree, as_level: AsLevel
) -> None:
    reseller = await as_level("reseller")
    before = int(time.time()) + GREGORIAN_OFFSET
    status, body = await reseller("PUT", at(tree.reseller), {"name": "Acme", "language": "de"})
    after = int(time.time()) + GREGORIAN_OFFSET
    assert (status, body["status"]) == (201, "success"), body
    account = body["data"]
    assert (account["name"], account["language"]) == ("Acme", "de")
    assert account["realm"].endswith(".sip.test")
    assert isinstance(account["created"], int) and before <= account["created"] <= after + 1
    assert account["enabled"] is True
    server = (False, False, False, tree.reseller["id"], "limits_only")
    assert tuple(account[key] for key in SERVER_KEYS) == server
    status, stored = await reseller("GET", at(account))
    assert (status, stored["data"]) == (200, account)


async def test_put_without_id_creates_child_of_callers_account(
    tree: Tree, as_level: AsLevel
) -> None:
    customer = await as_level("customer")
    status, body = await customer("PUT", "/v2/accounts", make_account())
    assert status == 201, body
    child = body["data"]
    assert (child["reseller_id"], child["billing_mode"]) == (tree.reseller["id"], "manual")
    status, listing = await customer("GET", at(tree.customer, "/children"))
    assert (status, [row["id"] for row in listing["data"]]) == (200, [child["id"]])


async def test_put_without_name_returns_400_required(tree: Tree, as_level: AsLevel) -> None:
    status, body = await (await as_level("customer"))("PUT", "/v2/accounts", {"language": "en"})
    required = {"message": "Field is required but missing", "value": "name"}
    assert status == 400
    assert_error(body, 400, "validation error", {"name": {"required": required}})


async def test_client_sent_derived_keys_are_ignored_on_create_and_replace(
    tree: Tree, as_level: AsLevel
) -> None:
    reseller = await as_level("reseller")
    forged = dict(zip(SERVER_KEYS, (True, True, True, tree.other["id"], "manual"), strict=True))
    status, body = await reseller("PUT", "/v2/accounts", make_account(created=1, **forged))
    assert status == 201, body
    created = body["data"]
    server = (False, False, False, tree.reseller["id"], "limits_only")
    assert tuple(created[key] for key in SERVER_KEYS) == server
    assert created["created"] > GREGORIAN_OFFSET
    status, body = await reseller("POST", at(created), {**created, "created": 1, **forged})
    assert status == 200, body
    _, stored = await reseller("GET", at(created))
    assert tuple(stored["data"][key] for key in SERVER_KEYS) == server
    assert stored["data"]["created"] == created["created"]


@pytest.mark.parametrize("duplicate", ["customer one", "CUSTOMER-ONE!", "Customer  One"])
async def test_put_with_name_differing_only_in_case_or_punctuation_returns_400_unique(
    tree: Tree, as_level: AsLevel, duplicate: str
) -> None:
    reseller = await as_level("reseller")
    status, body = await reseller("PUT", "/v2/accounts", {"name": duplicate})
    assert status == 400
    assert_error(body, 400, "validation error", unique("name", NAME_TAKEN, duplicate))
    assert len((await reseller("GET", at(tree.reseller, "/children")))[1]["data"]) == 2


async def test_put_with_realm_differing_only_in_case_returns_400_unique(
    tree: Tree, as_level: AsLevel
) -> None:
    reseller = await as_level("reseller")
    assert (await reseller("PUT", "/v2/accounts", make_account(realm="acme.sip.test")))[0] == 201
    status, body = await reseller("PUT", "/v2/accounts", make_account(realm="ACME.sip.test"))
    assert status == 400
    taken = unique("realm", "Account realm already in use", "ACME.sip.test")
    assert_error(body, 400, "validation error", taken)


async def test_concurrent_creates_of_one_name_give_one_201_and_one_400_unique(
    tree: Tree, as_level: AsLevel
) -> None:
    reseller = await as_level("reseller")
    racers = (reseller("PUT", at(tree.reseller), {"name": "Racing Co"}) for _ in range(2))
    results = await asyncio.gather(*racers)
    assert sorted(status for status, _ in results) == [201, 400]
    loser = next(body for status, body in results if status == 400)
    assert_error(loser, 400, "validation error", unique("name", NAME_TAKEN, "Racing Co"))
    _, listing = await reseller("GET", at(tree.reseller, "/children"))
    assert [row["name"] for row in listing["data"]].count("Racing Co") == 1


async def test_patch_merges_and_post_replaces(tree: Tree, as_level: AsLevel) -> None:
    customer, path = await as_level("customer"), at(tree.customer)
    status, body = await customer("PATCH", path, {"language": "fr-fr"})
    patched = body["data"]
    assert (status, patched["name"], patched["language"]) == (200, "Customer One", "fr-fr")
    _, stored = await customer("GET", path)
    assert (stored["data"]["name"], stored["data"]["language"]) == ("Customer One", "fr-fr")
    replacement = {"name": "Customer Renamed", "realm": stored["data"]["realm"]}
    assert (await customer("POST", path, replacement))[0] == 200
    _, stored = await customer("GET", path)
    assert stored["data"]["name"] == "Customer Renamed"
    assert "language" not in stored["data"]


async def test_patch_to_a_taken_name_returns_400_and_keeps_name(
    tree: Tree, as_level: AsLevel
) -> None:
    reseller, path = await as_level("reseller"), at(tree.customer)
    status, body = await reseller("PATCH", path, {"name": "Customer Two"})
    assert status == 400
    assert_error(body, 400, "validation error", unique("name", NAME_TAKEN, "Customer Two"))
    assert (await reseller("GET", path))[1]["data"]["name"] == "Customer One"


async def test_account_cannot_change_its_own_enabled_but_ancestor_can(
    tree: Tree, as_level: AsLevel
) -> None:
    own, parent, path = await as_level("customer"), await as_level("reseller"), at(tree.customer)
    status, body = await own("PATCH", path, {"enabled": False})
    assert (status, body["data"]["enabled"]) == (200, True)
    assert (await own("GET", path))[1]["data"]["enabled"] is True
    status, body = await parent("PATCH", path, {"enabled": False})
    assert (status, body["data"]["enabled"]) == (200, False)
    assert (await parent("GET", path))[1]["data"]["enabled"] is False


@pytest.mark.parametrize(
    ("level", "target"), [("customer", "customer"), ("reseller", "customer"), ("master", "other")]
)
async def test_get_account_is_allowed_for_itself_an_ancestor_and_master(
    tree: Tree, as_level: AsLevel, level: str, target: str
) -> None:
    account = getattr(tree, target)
    status, body = await (await as_level(level))("GET", at(account))
    assert (status, body["status"], body["data"]["id"]) == (200, "success", account["id"])


async def test_parent_and_sibling_accounts_are_forbidden_and_left_unchanged(
    tree: Tree, as_level: AsLevel
) -> None:
    customer, reseller = await as_level("customer"), await as_level("reseller")
    verbs = (("GET", None), ("PUT", make_account()), ("PATCH", {"name": "Hijacked"}),
             ("POST", {"name": "Hijacked"}), ("DELETE", None))  # fmt: skip
    cases = ((customer, tree.reseller), (customer, tree.other), (customer, tree.master),
             (reseller, tree.master))  # fmt: skip
    for caller, account in cases:
        for method, data in verbs:
            status, body = await caller(method, at(account), data)
            assert status == 403, (method, account["name"])
            assert_error(body, 403, "forbidden", FORBIDDEN)
    master = await as_level("master")
    assert (await master("GET", at(tree.other)))[1]["data"]["name"] == "Customer Two"
    assert (await master("GET", at(tree.reseller)))[1]["data"]["name"] == "Reseller"
    assert len((await master("GET", at(tree.reseller, "/children")))[1]["data"]) == 2


async def test_unknown_account_returns_404_before_authorization(
    tree: Tree, as_level: AsLevel
) -> None:
    missing = {"id": "0" * 32}
    status, body = await (await as_level("customer"))("GET", at(missing))
    assert status == 404
    assert_error(body, 404, "bad_identifier", bad_identifier(missing["id"]))


async def test_user_level_token_reads_but_cannot_change_accounts(
    client: TestClient[Any, Any], tree: Tree, as_level: AsLevel
) -> None:
    admin, path = await as_level("customer"), at(tree.customer)
    _, child = await admin("PUT", "/v2/accounts", make_account())
    plain = {"first_name": "Plain", "last_name": "User", "username": "plain"}
    plain.update(password="plain-secret", priv_level="user")
    assert (await admin("PUT", at(tree.customer, "/users"), plain))[0] == 201
    token = await login(client, "plain", "plain-secret", "Customer One")
    user = TokenApi(client, {"X-Auth-Token": token})
    status, body = await user("GET", path)
    assert (status, body["data"]["name"]) == (200, "Customer One")
    attempts = (
        ("PUT", "/v2/accounts", make_account()),
        ("PUT", path, make_account()),
        ("PATCH", path, {"name": "Renamed"}),
        ("POST", path, {"name": "Renamed"}),
        ("DELETE", at(child["data"]), None),
    )
    for method, target, data in attempts:
        status, body = await user(method, target, data)
        assert status == 403, (method, target)
        assert_error(body, 403, "forbidden", FORBIDDEN)
    assert (await admin("GET", path))[1]["data"]["name"] == "Customer One"
    assert (await admin("GET", at(child["data"])))[0] == 200
    assert len((await admin("GET", at(tree.customer, "/children")))[1]["data"]) == 1


async def test_delete_childless_account_returns_it_and_then_404s(
    tree: Tree, as_level: AsLevel
) -> None:
    customer = await as_level("customer")
    _, created = await customer("PUT", "/v2/accounts", make_account(name="Doomed"))
    account = created["data"]
    status, body = await customer("DELETE", at(account))
    assert status == 200, body
    assert (body["status"], body["data"]["id"]) == ("success", account["id"])
    assert body["data"]["name"] == "Doomed"
    status, body = await customer("GET", at(account))
    assert status == 404
    assert_error(body, 404, "bad_identifier", bad_identifier(account["id"]))


async def test_delete_account_with_children_returns_500_and_keeps_it(
    tree: Tree, as_level: AsLevel
) -> None:
    master = await as_level("master")
    status, body = await master("DELETE", at(tree.reseller))
    assert status == 500
    assert_error(body, 500, "account_has_descendants", {"message": "account has descendants"})
    assert (await master("GET", at(tree.reseller)))[0] == 200


async def test_delete_master_account_returns_405_without_delete_in_allowed_methods(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers, path = await auth_headers("master"), at(tree.master)
    response = await client.delete(path, headers=headers)
    assert response.status == 405
    body = await response.json()
    assert_error(body, 405, "invalid_method", {"message": "method not allowed"})
    assert "DELETE" not in response.headers["Allow"]
    assert "DELETE" not in response.headers["Access-Control-Allow-Methods"]
    assert (await TokenApi(client, headers)("GET", path))[0] == 200


async def test_delete_account_removes_its_users(
    client: TestClient[Any, Any], tree: Tree, as_level: AsLevel
) -> None:
    customer, account = await as_level("customer"), {"id": secrets.token_hex(16)}
    data = make_account(id=account["id"], name="Short Lived")
    assert (await customer("PUT", "/v2/accounts", data))[0] == 201
    user = {"first_name": "Gone", "last_name": "Soon", "username": "gone", "password": "gone-pw"}
    assert (await customer("PUT", at(account, "/users"), user))[0] == 201
    await login(client, "gone", "gone-pw", "Short Lived")
    assert (await customer("DELETE", at(account)))[0] == 200
    # The same id and name are free again; the new account must not inherit the old users.
    assert (await customer("PUT", "/v2/accounts", data))[0] == 201
    status, users = await customer("GET", at(account, "/users"))
    assert (status, users["data"]) == (200, [])

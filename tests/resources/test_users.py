"""Users over HTTP: defaults, credentials, uniqueness, replace/merge/delete, listing rows."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.conftest import Tree, login

Client = TestClient[Any, Any]
Body = dict[str, Any]

HOTDESK_DEFAULT = {"enabled": False, "keep_logged_in_elsewhere": False, "require_pin": False}
MEDIA_DEFAULT = {
    "encryption": {"enforce_security": False, "methods": []},
    "video": {"codecs": []},
    "audio": {},
}
USER_DEFAULTS = {
    "enabled": True,
    "priv_level": "user",
    "vm_to_email_enabled": True,
    "verified": False,
    "require_password_update": False,
    "call_restriction": {},
    "hotdesk": HOTDESK_DEFAULT,
    "music_on_hold": {},
    "caller_id": {},
    "contact_list": {},
    "dial_plan": {},
    "ringtones": {},
    "media": MEDIA_DEFAULT,
}
PASSWORD_REQUIRED = "The password must be provided when creating / updating the user name"
USERNAME_UNIQUE = "Username must be unique within account"
HOTDESK_UNIQUE = "Hotdesk ID must be unique within account"
WRONG_FORMAT = "Field is not in the correct format"
NOT_IN_ENUM = "Value not found in enumerated list of values"
A4_PATCH = {
    "vm_to_email_enabled": False,
    "caller_id": {"internal": {"number": "1001"}},
    "email": None,
}
SUMMARY = {
    "username": "zed",
    "email": "zed@example.com",
    "presence_id": "1002",
    "timezone": "America/New_York",
    "flags": ["vip"],
}


def make_user(**overrides: Any) -> Body:
    """A valid user body; overrides replace or add keys."""
    return {"first_name": "Ann", "last_name": "Smith", **overrides}


def rule_error(path: str, rule: str, message: str, **detail: Any) -> Body:
    """Kazoo's validation `data`: {path: {rule: {message, ...}}}."""
    return {path: {rule: {"message": message, **detail}}}


BAD_EMAIL = rule_error("email", "wrong_format", WRONG_FORMAT, value="not-an-email", format="email")
BAD_PRIV_LEVEL = rule_error(
    "priv_level", "enum", NOT_IN_ENUM, target=["user", "admin"], value="root"
)
NO_PASSWORD = rule_error("password", "required", PASSWORD_REQUIRED, cause="bob")
REQUIRED_LAST_NAME = rule_error(
    "last_name", "required", "Field is required but missing", value="last_name"
)


@dataclass
class Users:
    """The users collection of one account, seen with one token."""

    client: Client
    headers: dict[str, str]
    account: dict[str, Any]

    def url(self, user_id: str = "", query: str = "") -> str:
        """The collection, or one user in it, plus a query string."""
        base = f"/v2/accounts/{self.account['id']}/users"
        return (f"{base}/{user_id}" if user_id else base) + query

    async def call(
        self, verb: str, user_id: str = "", data: Any = None, query: str = ""
    ) -> tuple[int, Body]:
        """One request; (status, decoded body)."""
        payload = None if data is None else {"data": data}
        url = self.url(user_id, query)
        response = await self.client.request(verb, url, headers=self.headers, json=payload)
        return response.status, await response.json()

    async def create(self, **fields: Any) -> Body:
        """Create a user that must succeed; its returned data."""
        status, body = await self.call("PUT", data=make_user(**fields))
        assert status == 201, body
        return dict(body["data"])

    async def stored(self, user_id: str) -> Body:
        """The user as a follow-up GET shows it."""
        status, body = await self.call("GET", user_id)
        assert status == 200, body
        return dict(body["data"])

    async def rows(self, query: str = "") -> list[Body]:
        """The listing's rows."""
        status, body = await self.call("GET", query=query)
        assert status == 200, body
        return list(body["data"])


def assert_validation_error(status: int, body: Body, data: Body) -> None:
    """A Kazoo 400 validation error with exactly `data`."""
    assert status == 400, body
    assert (body["status"], body["error"], body["message"]) == ("error", "400", "validation error")
    assert body["data"] == data


@pytest.fixture
async def users(client: Client, tree: Tree, auth_headers: Any) -> Users:
    """The customer account's users, as its admin."""
    return Users(client, await auth_headers("customer"), tree.customer)


async def test_create_returns_201_location_and_schema_defaults(users: Users) -> None:
    response = await users.client.put(
        users.url(), headers=users.headers, json={"data": make_user()}
    )
    body = await response.json()
    assert response.status == 201, body
    assert body["status"] == "success"
    data = body["data"]
    assert re.fullmatch(r"[0-9a-f]{32}", data["id"])
    assert response.headers["Location"] == users.url(data["id"])
    assert data == {"id": data["id"], "first_name": "Ann", "last_name": "Smith", **USER_DEFAULTS}
    assert await users.stored(data["id"]) == data


async def test_create_keeps_unknown_keys_and_echoes_them(users: Users) -> None:
    extra = {"department": "sales", "custom": {"nested": [1, "two", {"three": None}]}}
    data = await users.create(**extra)
    assert {key: data[key] for key in extra} == extra
    stored = await users.stored(data["id"])
    assert {key: stored[key] for key in extra} == extra


async def test_username_is_lowercased_and_password_never_returned(users: Users) -> None:
    data = await users.create(username="Ann.Smith", password="pa55word")
    assert data["username"] == "ann.smith" and "password" not in data
    stored = await users.stored(data["id"])
    assert stored["username"] == "ann.smith" and "password" not in stored
    assert not [key for key in stored if key.startswith(("pvt_", "_"))]
    assert all("password" not in row for row in await users.rows())
    assert await login(users.client, "ANN.SMITH", "pa55word", "Customer One")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"first_name": "Bob"}, REQUIRED_LAST_NAME),
        (make_user(email="not-an-email"), BAD_EMAIL),
        (make_user(priv_level="root"), BAD_PRIV_LEVEL),
        (make_user(username="Bob"), NO_PASSWORD),
    ],
)
async def test_create_with_invalid_data_returns_400_and_stores_nothing(
    users: Users, data: Body, error: Body
) -> None:
    status, body = await users.call("PUT", data=data)
    assert_validation_error(status, body, error)
    assert [row["first_name"] for row in await users.rows()] == ["Customer"]


async def test_password_without_username_generates_user_hex_username(users: Users) -> None:
    data = await users.create(password="pa55word")
    assert re.fullmatch(r"user_[0-9a-f]{16}", data["username"]), data
    assert await login(users.client, data["username"], "pa55word", "Customer One")


async def test_duplicate_username_in_account_returns_400_unique_but_other_account_is_fine(
    users: Users, tree: Tree, auth_headers: Any
) -> None:
    await users.create(username="ann", password="pa55word")
    status, body = await users.call(
        "PUT", data=make_user(first_name="Other", username="ANN", password="x1")
    )
    assert_validation_error(
        status, body, rule_error("username", "unique", USERNAME_UNIQUE, cause="ann")
    )
    other = Users(users.client, await auth_headers("other"), tree.other)
    assert (await other.create(username="ann", password="pa55word"))["username"] == "ann"
    assert [row["first_name"] for row in await users.rows("?filter_username=ann")] == ["Ann"]


async def test_duplicate_hotdesk_id_returns_400_unique(users: Users) -> None:
    await users.create(hotdesk={"id": "4242"})
    status, body = await users.call("PUT", data=make_user(first_name="B", hotdesk={"id": "4242"}))
    unique = rule_error("hotdesk.id", "unique", HOTDESK_UNIQUE, cause="4242")
    assert_validation_error(status, body, unique)


async def test_concurrent_creates_of_same_username_yield_exactly_one_201(users: Users) -> None:
    body = make_user(username="race", password="pa55word")
    results = await asyncio.gather(*(users.call("PUT", data=body) for _ in range(4)))
    assert sorted(status for status, _ in results) == [201, 400, 400, 400], results
    unique = rule_error("username", "unique", USERNAME_UNIQUE, cause="race")
    assert all(reply["data"] == unique for status, reply in results if status == 400)
    assert len(await users.rows("?filter_username=race")) == 1


async def test_post_replaces_document_and_reapplies_defaults(users: Users) -> None:
    old = await users.create(
        email="ann@example.com", priv_level="admin", vm_to_email_enabled=False, department="sales"
    )
    status, body = await users.call("POST", old["id"], {"first_name": "Anna", "last_name": "S"})
    assert status == 200, body
    expected = {"id": old["id"], "first_name": "Anna", "last_name": "S", **USER_DEFAULTS}
    assert body["data"] == expected
    assert await users.stored(old["id"]) == expected


async def test_patch_merges_nested_objects_and_null_removes_key(users: Users) -> None:
    old = await users.create(
        email="ann@example.com", caller_id={"external": {"number": "+14155550100"}}
    )
    _, before = await users.call("GET", old["id"])
    status, body = await users.call("PATCH", old["id"], A4_PATCH)
    assert status == 200, body
    assert body["revision"] != before["revision"]
    expected = {key: value for key, value in old.items() if key != "email"}
    expected.update(
        vm_to_email_enabled=False,
        caller_id={"external": {"number": "+14155550100"}, "internal": {"number": "1001"}},
    )
    assert body["data"] == expected
    assert await users.stored(old["id"]) == expected


async def test_patch_empty_object_clears_that_object(users: Users) -> None:
    old = await users.create(call_restriction={"international": {"action": "deny"}})
    status, body = await users.call("PATCH", old["id"], {"call_restriction": {}})
    assert status == 200, body
    assert body["data"]["call_restriction"] == {}
    assert (await users.stored(old["id"]))["call_restriction"] == {}


async def test_patch_that_makes_doc_invalid_returns_400_and_keeps_doc(users: Users) -> None:
    old = await users.create(email="ann@example.com")
    _, before = await users.call("GET", old["id"])
    status, body = await users.call("PATCH", old["id"], {"last_name": None, "email": "b@c.de"})
    assert_validation_error(status, body, REQUIRED_LAST_NAME)
    _, after = await users.call("GET", old["id"])
    assert after["data"] == before["data"] and after["revision"] == before["revision"]


async def test_delete_returns_deleted_doc_and_then_get_is_404(users: Users) -> None:
    old = await users.create()
    status, body = await users.call("DELETE", old["id"])
    assert status == 200, body
    assert body["data"] == {**old, "_read_only": {"deleted": True}}
    status, body = await users.call("GET", old["id"])
    assert status == 404
    assert body["data"] == {"cause": old["id"], "message": "bad identifier"}
    assert [row["first_name"] for row in await users.rows()] == ["Customer"]


@pytest.mark.parametrize("verb", ["GET", "POST", "PATCH", "DELETE"])
async def test_user_of_another_account_is_404_bad_identifier_and_untouched(
    client: Client, tree: Tree, auth_headers: Any, verb: str
) -> None:
    reseller = await auth_headers("reseller")
    owner, outsider = Users(client, reseller, tree.other), Users(client, reseller, tree.customer)
    created = await owner.create()
    data = None if verb in ("GET", "DELETE") else make_user(first_name="Hijacked")
    status, body = await outsider.call(verb, created["id"], data)
    assert status == 404, body
    assert (body["error"], body["message"]) == ("404", "bad_identifier")
    assert body["data"] == {"cause": created["id"], "message": "bad identifier"}
    assert await owner.stored(created["id"]) == created


async def test_listing_rows_hold_exactly_the_summary_keys(users: Users) -> None:
    full = await users.create(
        password="pa55word",
        department="sales",
        caller_id={"internal": {"number": "1002"}},
        hotdesk={"enabled": True, "id": "7"},
        **SUMMARY,
    )
    bare = await users.create(first_name="Bo", last_name="Bare")
    rows = {row["id"]: row for row in await users.rows()}
    row = rows[full["id"]]
    assert sorted(row.pop("features")) == ["caller_id", "hotdesk", "vm_to_email"]
    names = {"first_name": "Ann", "last_name": "Smith", "priv_level": "user"}
    assert row == {"id": full["id"], **names, **SUMMARY}
    names = {"first_name": "Bo", "last_name": "Bare", "priv_level": "user"}
    assert rows[bare["id"]] == {"id": bare["id"], **names, "features": [], "flags": []}


@pytest.mark.parametrize(
    ("query", "reverse"),
    [
        ("", False),
        ("?descending=true", False),
        ("?descending=false", False),
        ("?ascending=true", True),
        ("?ascending=true&descending=true", False),
    ],
)
async def test_listing_orders_by_last_then_first_name_descending_by_default(
    users: Users, query: str, reverse: bool
) -> None:
    for first, last in (("Ann", "Smith"), ("Zoe", "Young"), ("Amy", "Jones"), ("Bob", "Jones")):
        await users.create(first_name=first, last_name=last)
    names = [f"{row['first_name']} {row['last_name']}" for row in await users.rows(query)]
    expected = ["Zoe Young", "Ann Smith", "Bob Jones", "Amy Jones", "Customer Admin"]
    assert names == (expected[::-1] if reverse else expected)


async def test_a_module_that_does_not_nest_under_users_is_not_found(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    user_id = tree.users["customer"]["id"]
    response = await client.get(
        f"/v2/accounts/{tree.customer['id']}/users/{user_id}/users", headers=headers
    )
    assert response.status == 404
    assert (await response.json())["message"] == "not_found"

"""phone_numbers: global numbers held by one account; features, states, collections."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp.test_utils import TestClient

from tests.conftest import Tree, login, md5_credentials
from tests.resources.clients import TokenApi, at

NUMBER = "+14155550100"
ENCODED = "%2B14155550100"
E911 = {
    "street_address": "1 Main St",
    "locality": "San Francisco",
    "region": "CA",
    "postal_code": "94105",
}


def numbers(tree: Tree, tail: str = "", account: str = "customer") -> str:
    return at(getattr(tree, account), f"/phone_numbers{tail}")


async def test_put_adds_a_reserved_number_with_read_only_fields(
    client: TestClient[Any, Any], tree: Tree, as_level: Any
) -> None:
    api: TokenApi = await as_level("customer")
    status, body = await api("PUT", numbers(tree, f"/{ENCODED}"), {"my_own_field": {}})
    assert status == 201, body
    data = body["data"]
    assert data["id"] == NUMBER and data["state"] == "reserved" and data["my_own_field"] == {}
    read_only = data["_read_only"]
    assert read_only["state"] == "reserved" and read_only["features"] == []
    assert isinstance(read_only["created"], int) and isinstance(read_only["modified"], int)
    assert "features" not in data
    status, got = await api("GET", numbers(tree, f"/{ENCODED}"))
    assert (status, got["data"]) == (200, data)


async def test_put_without_payload_and_with_create_with_state(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any, as_level: Any
) -> None:
    headers = await auth_headers("customer")
    response = await client.put(numbers(tree, "/+14155550101"), headers=headers)
    body = await response.json()
    assert response.status == 201, body
    assert body["data"]["state"] == "reserved"
    api: TokenApi = await as_level("customer")
    status, body = await api(
        "PUT", numbers(tree, "/%2B14155550102"), {"create_with_state": "in_service"}
    )
    assert status == 201, body
    assert body["data"]["state"] == "in_service" and "create_with_state" not in body["data"]
    status, body = await api("PUT", numbers(tree, "/+14155550103"), {"create_with_state": "x"})
    assert status == 400 and "enum" in body["data"]["create_with_state"]


async def test_ten_digit_numbers_become_e164(tree: Tree, as_level: Any) -> None:
    api: TokenApi = await as_level("customer")
    status, body = await api("PUT", numbers(tree, "/4155550104"))
    assert (status, body["data"]["id"]) == (201, "+14155550104")
    status, body = await api("GET", numbers(tree, "/%2B14155550104"))
    assert status == 200
    status, body = await api("GET", numbers(tree, "/+141510010+15"))
    assert status == 404
    assert body["message"] == "not_reconcilable"
    assert body["data"]["message"] == "number +141510010+15 is not reconcilable"


async def test_existing_number_anywhere_is_refused_with_409(tree: Tree, as_level: Any) -> None:
    customer: TokenApi = await as_level("customer")
    other: TokenApi = await as_level("other")
    assert (await customer("PUT", numbers(tree, f"/{ENCODED}")))[0] == 201
    for api, account in ((customer, "customer"), (other, "other")):
        status, body = await api("PUT", numbers(tree, f"/{ENCODED}", account))
        assert status == 409, body
        assert body["message"] == "number_exists"
        assert body["data"] == {
            "code": 409,
            "error": "number_exists",
            "cause": NUMBER,
            "message": f"number {NUMBER} already exists",
        }


async def test_concurrent_adds_one_wins(tree: Tree, as_level: Any) -> None:
    customer: TokenApi = await as_level("customer")
    other: TokenApi = await as_level("other")
    results = await asyncio.gather(
        customer("PUT", numbers(tree, f"/{ENCODED}")),
        other("PUT", numbers(tree, f"/{ENCODED}", "other")),
    )
    assert sorted(status for status, _ in results) == [201, 409]


async def test_unknown_and_foreign_numbers_are_404_bad_identifier(
    tree: Tree, as_level: Any
) -> None:
    other: TokenApi = await as_level("other")
    assert (await other("PUT", numbers(tree, f"/{ENCODED}", "other")))[0] == 201
    customer: TokenApi = await as_level("customer")
    expected = {"message": "bad identifier", "not_found": "The number could not be found"}
    for number in (ENCODED, "%2B14155550199"):
        for method, tail, data in (
            ("GET", "", None),
            ("POST", "", {"cnam": {"display_name": "X"}}),
            ("PATCH", "", {"a": 1}),
            ("DELETE", "", None),
            ("PUT", "/activate", None),
            ("PUT", "/reserve", None),
        ):
            status, body = await customer(method, numbers(tree, f"/{number}{tail}"), data)
            assert (status, body["message"]) == (404, "bad_identifier"), (method, tail)
            assert body["data"] == expected
    status, body = await other("GET", numbers(tree, f"/{ENCODED}", "other"))
    assert status == 200


async def test_features_follow_cnam_and_e911(tree: Tree, as_level: Any) -> None:
    api: TokenApi = await as_level("customer")
    await api("PUT", numbers(tree, f"/{ENCODED}"), {"note": "keep"})
    status, body = await api(
        "POST",
        numbers(tree, f"/{ENCODED}"),
        {"cnam": {"display_name": "ACME", "inbound_lookup": True}, "state": "in_service"},
    )
    assert status == 200, body
    data = body["data"]
    assert data["features"] == ["outbound_cnam", "inbound_cnam"]
    assert data["_read_only"]["features"] == ["outbound_cnam", "inbound_cnam"]
    assert data["state"] == "reserved" and "note" not in data
    status, body = await api("PATCH", numbers(tree, f"/{ENCODED}"), {"e911": E911})
    assert status == 200, body
    assert body["data"]["features"] == ["outbound_cnam", "inbound_cnam", "e911"]
    assert body["data"]["e911"]["notification_contact_emails"] == []
    assert body["data"]["cnam"]["display_name"] == "ACME"
    status, body = await api("PATCH", numbers(tree, f"/{ENCODED}"), {"e911": {"locality": "X"}})
    assert status == 200 and body["data"]["e911"]["locality"] == "X"
    status, body = await api("POST", numbers(tree, f"/{ENCODED}"), {"e911": {"region": "C"}})
    assert status == 400
    assert "required" in body["data"]["e911.street_address"]
    assert "minLength" in body["data"]["e911.region"]
    status, body = await api(
        "POST", numbers(tree, f"/{ENCODED}"), {"cnam": {"display_name": "x" * 16}}
    )
    assert status == 400 and "maxLength" in body["data"]["cnam.display_name"]
    status, body = await api("GET", numbers(tree, f"/{ENCODED}"))
    assert body["data"]["e911"]["locality"] == "X"


async def test_activate_and_reserve_change_state(tree: Tree, as_level: Any) -> None:
    api: TokenApi = await as_level("customer")
    await api("PUT", numbers(tree, f"/{ENCODED}"))
    status, body = await api("PUT", numbers(tree, f"/{ENCODED}/activate"))
    assert (status, body["data"]["state"]) == (201, "in_service")
    assert body["data"]["_read_only"]["state"] == "in_service"
    status, body = await api("GET", numbers(tree, f"/{ENCODED}"))
    assert body["data"]["state"] == "in_service"
    status, body = await api("PUT", numbers(tree, f"/{ENCODED}/reserve"))
    assert (status, body["data"]["state"]) == (201, "reserved")


async def test_listing_is_an_object_keyed_by_number(tree: Tree, as_level: Any) -> None:
    api: TokenApi = await as_level("customer")
    other: TokenApi = await as_level("other")
    await api("PUT", numbers(tree, "/+14155550100"), {"create_with_state": "in_service"})
    await api("PUT", numbers(tree, "/+14155550101"), {"e911": E911})
    await other("PUT", numbers(tree, "/+14155550102", "other"))
    status, body = await api("GET", numbers(tree))
    assert status == 200, body
    listed = body["data"]["numbers"]
    assert body["data"]["cascade_quantity"] == 0
    assert list(listed) == ["+14155550101", "+14155550100"]
    row = listed["+14155550101"]
    assert set(row) == {"state", "features", "assigned_to", "created", "updated"}
    assert (row["state"], row["features"], row["assigned_to"]) == (
        "reserved",
        ["e911"],
        tree.customer["id"],
    )
    assert listed["+14155550100"]["state"] == "in_service"
    assert body["page_size"] == 2 and "start_key" not in body and "next_start_key" not in body
    status, page = await api("GET", numbers(tree, "?page_size=1&ascending=true"))
    assert list(page["data"]["numbers"]) == ["+14155550100"]
    assert page["page_size"] == 1 and page["next_start_key"]
    status, rest = await api(
        "GET", numbers(tree, f"?page_size=1&ascending=true&start_key={page['next_start_key']}")
    )
    assert list(rest["data"]["numbers"]) == ["+14155550101"]


async def test_delete_releases_the_number_for_everyone(tree: Tree, as_level: Any) -> None:
    api: TokenApi = await as_level("customer")
    await api("PUT", numbers(tree, f"/{ENCODED}"), {"cnam": {"display_name": "A"}})
    status, body = await api("DELETE", numbers(tree, f"/{ENCODED}"))
    assert status == 200, body
    assert body["data"]["id"] == NUMBER and body["data"]["state"] == "available"
    assert body["data"]["_read_only"]["state"] == "available"
    assert (await api("GET", numbers(tree, f"/{ENCODED}")))[0] == 404
    other: TokenApi = await as_level("other")
    status, body = await other("PUT", numbers(tree, f"/{ENCODED}", "other"))
    assert status == 201 and "cnam" not in body["data"]


async def test_collection_add_update_and_release(tree: Tree, as_level: Any) -> None:
    api: TokenApi = await as_level("customer")
    other: TokenApi = await as_level("other")
    await other("PUT", numbers(tree, "/+14155550109", "other"))
    wanted = ["+14155550100", "4155550101", "+14155550109", "bad+1"]
    status, body = await api(
        "PUT", numbers(tree, "/collection"), {"numbers": wanted, "create_with_state": "in_service"}
    )
    assert status == 201, body
    assert sorted(body["data"]["success"]) == ["+14155550100", "+14155550101"]
    assert body["data"]["success"]["+14155550101"]["state"] == "in_service"
    assert body["data"]["error"]["+14155550109"]["error"] == "number_exists"
    assert body["data"]["error"]["bad+1"]["error"] == "not_reconcilable"
    status, body = await api(
        "POST",
        numbers(tree, "/collection"),
        {"numbers": ["+14155550100", "+14155550109"], "cnam": {"display_name": "Co"}},
    )
    assert status == 200, body
    assert body["data"]["success"]["+14155550100"]["features"] == ["outbound_cnam"]
    assert body["data"]["error"]["+14155550109"] == {
        "code": 404,
        "error": "not_found",
        "cause": "+14155550109",
        "message": "number +14155550109 not found",
    }
    status, body = await api(
        "DELETE", numbers(tree, "/collection"), {"numbers": ["+14155550100", "+14155550101"]}
    )
    assert status == 200, body
    assert sorted(body["data"]["success"]) == ["+14155550100", "+14155550101"]
    assert body["data"]["error"] == {}
    status, body = await api("GET", numbers(tree))
    assert body["data"]["numbers"] == {}
    status, body = await api("PUT", numbers(tree, "/collection"), {"numbers": "nope"})
    assert status == 400 and "required" in body["data"]["numbers"]


async def test_user_level_login_may_read_but_not_write(
    client: TestClient[Any, Any], tree: Tree, as_level: Any, auth_headers: Any
) -> None:
    api: TokenApi = await as_level("customer")
    await api("PUT", numbers(tree, f"/{ENCODED}"))
    await api(
        "PUT",
        at(tree.customer, "/users"),
        {
            "first_name": "Plain",
            "last_name": "User",
            "username": "plain",
            "password": "plain-secret",
            "priv_level": "user",
        },
    )
    plain = TokenApi(
        client, {"X-Auth-Token": await login(client, "plain", "plain-secret", "Customer One")}
    )
    assert (await plain("GET", numbers(tree, f"/{ENCODED}")))[0] == 200
    assert (await plain("GET", numbers(tree)))[0] == 200
    for method, tail in (
        ("PUT", "/%2B14155550177"),
        ("POST", f"/{ENCODED}"),
        ("DELETE", f"/{ENCODED}"),
        ("PUT", f"/{ENCODED}/activate"),
        ("PUT", "/collection"),
    ):
        status, _ = await plain(method, numbers(tree, tail), {"numbers": []})
        assert status == 403, (method, tail)


async def test_user_auth_by_phone_number_finds_the_holding_account(
    client: TestClient[Any, Any], tree: Tree, as_level: Any
) -> None:
    api: TokenApi = await as_level("customer")
    await api("PUT", numbers(tree, f"/{ENCODED}"))
    credentials = md5_credentials("customer-admin", "customer-secret")
    response = await client.put(
        "/v2/user_auth", json={"data": {"credentials": credentials, "phone_number": NUMBER}}
    )
    body = await response.json()
    assert response.status == 201, body
    assert body["data"]["account_id"] == tree.customer["id"]
    await api("DELETE", numbers(tree, f"/{ENCODED}"))
    response = await client.put(
        "/v2/user_auth", json={"data": {"credentials": credentials, "phone_number": NUMBER}}
    )
    assert response.status == 401

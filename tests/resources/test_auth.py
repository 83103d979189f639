"""Logging in over HTTP: user_auth (credentials), api_auth (API keys), disabled accounts."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from tests.conftest import MASTER_PASSWORD, Tree, login, md5_credentials
from tests.resources.auth_checks import INVALID_CREDENTIALS, error_of, reply_of

Client = TestClient[Any, Any]
AUTH_DATA_KEYS = {"account_id", "owner_id", "account_name", "apps", "language", "reseller_id"}
AUTH_DATA_KEYS |= {"is_reseller", "is_master_account"}
CUSTOMER_LOGIN = {
    "credentials": md5_credentials("customer-admin", "customer-secret"),
    "account_name": "Customer One",
}


async def user_auth(client: Client, **changes: Any) -> tuple[ClientResponse, dict[str, Any]]:
    """PUT /v2/user_auth as the customer admin, with `changes` (None drops a key)."""
    data = {
        key: value for key, value in {**CUSTOMER_LOGIN, **changes}.items() if value is not None
    }
    response = await client.put("/v2/user_auth", json={"data": data})
    return response, await reply_of(response)


async def api_key_of(client: Client, account_id: str, headers: dict[str, str]) -> str:
    """The account's API key, read by an admin."""
    response = await client.get(f"/v2/accounts/{account_id}/api_key", headers=headers)
    body = await reply_of(response)
    assert response.status == 200, body
    return str(body["data"]["api_key"])


async def api_auth(client: Client, key: str) -> tuple[ClientResponse, dict[str, Any]]:
    """PUT /v2/api_auth with `key`."""
    response = await client.put("/v2/api_auth", json={"data": {"api_key": key}})
    return response, await reply_of(response)


async def set_enabled(client: Client, account_id: str, enabled: bool, headers: Any) -> Any:
    """PATCH the account's `enabled`; the reply's `data`."""
    response = await client.patch(
        f"/v2/accounts/{account_id}", json={"data": {"enabled": enabled}}, headers=headers
    )
    body = await reply_of(response)
    assert response.status == 200, body
    return body["data"]


# user_auth


async def test_login_by_account_name_returns_201_with_token_and_account_details(
    client: Client, tree: Tree
) -> None:
    response, body = await user_auth(client)
    assert response.status == 201, body
    assert body["status"] == "success"
    assert response.headers["X-Request-ID"] == body["request_id"]
    assert isinstance(body["auth_token"], str) and body["auth_token"].count(".") == 2
    data = body["data"]
    assert AUTH_DATA_KEYS <= set(data)
    assert data["account_id"] == tree.customer["id"]
    assert data["owner_id"] == tree.users["customer"]["id"]
    assert data["account_name"] == "Customer One"
    assert data["apps"] == []
    assert data["language"] == "en-us"
    assert data["reseller_id"] == tree.reseller["id"]
    assert (data["is_reseller"], data["is_master_account"]) == (False, False)


@pytest.mark.parametrize(
    "name", ["customer one", "CUSTOMER ONE", "Customer-One", "customer.one!", "CustomerOne"]
)
async def test_login_matches_account_name_ignoring_case_and_punctuation(
    client: Client, tree: Tree, name: str
) -> None:
    response, body = await user_auth(client, account_name=name)
    assert response.status == 201, body
    assert body["data"]["account_id"] == tree.customer["id"]


@pytest.mark.parametrize("selector", ["account_realm", "realm"])
async def test_login_by_realm_is_case_insensitive(
    client: Client, tree: Tree, selector: str
) -> None:
    realm = tree.customer["realm"].upper()
    response, body = await user_auth(client, account_name=None, **{selector: realm})
    assert response.status == 201, body
    assert body["data"]["account_id"] == tree.customer["id"]
    assert body["data"]["owner_id"] == tree.users["customer"]["id"]


async def test_login_with_sha_method_takes_sha1_of_username_and_password(
    client: Client, tree: Tree
) -> None:
    digest = hashlib.sha1(b"customer-admin:customer-secret").hexdigest()
    response, body = await user_auth(client, credentials=digest, method="sha")
    assert response.status == 201, body
    assert body["data"]["owner_id"] == tree.users["customer"]["id"]


async def test_login_with_method_sha1_is_a_400_enum_error(client: Client, tree: Tree) -> None:
    # Kazoo: only "sha" validates, although a how-to says "sha1".
    digest = hashlib.sha1(b"customer-admin:customer-secret").hexdigest()
    response, body = await user_auth(client, credentials=digest, method="sha1")
    assert response.status == 400, body
    assert body["message"] == "validation error"
    assert set(body["data"]["method"]) == {"enum"}


async def test_login_hash_of_username_with_capitals_is_refused(client: Client, tree: Tree) -> None:
    digest = hashlib.md5(b"Customer-Admin:customer-secret").hexdigest()
    response, body = await user_auth(client, credentials=digest)
    assert response.status == 401, body
    assert error_of(body) == INVALID_CREDENTIALS


async def test_login_reports_reseller_and_master_accounts(client: Client, tree: Tree) -> None:
    credentials = md5_credentials("reseller-admin", "reseller-secret")
    response, body = await user_auth(client, credentials=credentials, account_name="Reseller")
    assert response.status == 201, body
    assert (body["data"]["is_reseller"], body["data"]["is_master_account"]) == (True, False)
    credentials = md5_credentials("admin", MASTER_PASSWORD)
    response, body = await user_auth(client, credentials=credentials, account_name="Master")
    assert response.status == 201, body
    assert body["data"]["account_id"] == tree.master["id"]
    assert body["data"]["is_master_account"] is True


async def test_wrong_password_returns_401_invalid_credentials(client: Client, tree: Tree) -> None:
    credentials = md5_credentials("customer-admin", "not-the-password")
    response, body = await user_auth(client, credentials=credentials)
    assert response.status == 401, body
    assert error_of(body) == INVALID_CREDENTIALS
    assert "auth_token" not in body


@pytest.mark.parametrize(
    "selector", [{"account_name": "No Such Account"}, {"account_realm": "nowhere.sip.test"}]
)
async def test_unknown_account_returns_401_like_a_wrong_password(
    client: Client, tree: Tree, selector: dict[str, str]
) -> None:
    response, body = await user_auth(client, **{"account_name": None, **selector})
    assert response.status == 401, body
    assert error_of(body) == INVALID_CREDENTIALS


async def test_user_of_another_account_cannot_log_in_through_this_one(
    client: Client, tree: Tree
) -> None:
    response, body = await user_auth(
        client, credentials=md5_credentials("other-admin", "other-secret")
    )
    assert response.status == 401, body
    assert error_of(body) == INVALID_CREDENTIALS


async def test_missing_credentials_returns_400_credentials_required(
    client: Client, tree: Tree
) -> None:
    response, body = await user_auth(client, credentials=None)
    assert response.status == 400, body
    assert body["message"] == "validation error"
    required = {"message": "Field is required but missing", "value": "credentials"}
    assert body["data"] == {"credentials": {"required": required}}


async def test_login_without_account_selector_returns_401(client: Client, tree: Tree) -> None:
    response, body = await user_auth(client, account_name=None)
    assert response.status == 401, body
    assert error_of(body) == INVALID_CREDENTIALS


async def test_disabled_user_cannot_log_in(client: Client, tree: Tree, auth_headers: Any) -> None:
    response = await client.patch(
        f"/v2/accounts/{tree.customer['id']}/users/{tree.users['customer']['id']}",
        json={"data": {"enabled": False}},
        headers=await auth_headers("reseller"),
    )
    assert response.status == 200, await reply_of(response)
    response, body = await user_auth(client)
    assert response.status == 401, body
    assert error_of(body) == INVALID_CREDENTIALS


async def test_account_disabled_by_parent_refuses_login_with_400_account_disabled(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    shown = await set_enabled(client, tree.customer["id"], False, await auth_headers("reseller"))
    assert shown["enabled"] is False
    response, body = await user_auth(client)
    assert response.status == 400, body
    assert body["message"] == "validation error"
    assert body["data"] == {"account": {"disabled": {"message": "account disabled"}}}
    assert "auth_token" not in body


async def test_disabled_account_keeps_existing_tokens_working(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    customer = await auth_headers("customer")
    await set_enabled(client, tree.customer["id"], False, await auth_headers("reseller"))
    response = await client.get(f"/v2/accounts/{tree.customer['id']}", headers=customer)
    body = await reply_of(response)
    assert response.status == 200, body
    assert body["data"]["enabled"] is False


async def test_reenabled_account_can_log_in_again(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    reseller = await auth_headers("reseller")
    await set_enabled(client, tree.customer["id"], False, reseller)
    await set_enabled(client, tree.customer["id"], True, reseller)
    await login(client, "customer-admin", "customer-secret", "Customer One")


async def test_account_cannot_disable_itself(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    shown = await set_enabled(client, tree.customer["id"], False, await auth_headers("customer"))
    assert shown["enabled"] is True
    await login(client, "customer-admin", "customer-secret", "Customer One")


async def test_user_created_by_parent_admin_logs_in_with_lower_cased_username(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    user = {"first_name": "New", "last_name": "Person", "username": "New.Person@Example.COM"}
    response = await client.put(
        f"/v2/accounts/{tree.customer['id']}/users",
        json={"data": {**user, "password": "n3w-secret"}},
        headers=await auth_headers("reseller"),
    )
    created = await reply_of(response)
    assert response.status == 201, created
    assert created["data"]["username"] == "new.person@example.com"
    credentials = md5_credentials("New.Person@Example.COM", "n3w-secret")
    response, body = await user_auth(client, credentials=credentials)
    assert response.status == 201, body
    assert body["data"]["owner_id"] == created["data"]["id"]
    unlowered = hashlib.md5(b"New.Person@Example.COM:n3w-secret").hexdigest()
    response, body = await user_auth(client, credentials=unlowered)
    assert response.status == 401, body


async def test_user_documents_never_show_password_or_private_keys(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    users = f"/v2/accounts/{tree.customer['id']}/users"
    user = f"{users}/{tree.users['customer']['id']}"
    for response in (
        await client.get(users, headers=headers),
        await client.get(user, headers=headers),
        await client.patch(user, json={"data": {"password": "n3w-secret"}}, headers=headers),
    ):
        body = await reply_of(response)
        assert response.status == 200, body


# api_auth


async def test_api_key_login_returns_201_without_owner_id(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    key = await api_key_of(client, tree.customer["id"], await auth_headers("customer"))
    assert len(key) == 64
    response, body = await api_auth(client, key)
    assert response.status == 201, body
    assert body["data"]["account_id"] == tree.customer["id"]
    assert "owner_id" not in body["data"]
    assert AUTH_DATA_KEYS - {"owner_id"} <= set(body["data"])
    headers = {"X-Auth-Token": body["auth_token"]}
    response = await client.get(f"/v2/accounts/{tree.customer['id']}", headers=headers)
    assert response.status == 200, await reply_of(response)


async def test_unknown_api_key_returns_404_bad_identifier_listing_the_key(
    client: Client, tree: Tree
) -> None:
    key = "0" * 64
    response, body = await api_auth(client, key)
    assert response.status == 404, body
    assert error_of(body) == {
        "status": "error", "error": "404", "message": "bad identifier", "data": [key]
    }  # fmt: skip


@pytest.mark.parametrize("key", ["a" * 63, "a" * 65, ""])
async def test_api_key_of_wrong_length_returns_400(client: Client, tree: Tree, key: str) -> None:
    response, body = await api_auth(client, key)
    assert response.status == 400, body
    assert body["message"] == "validation error"
    assert set(body["data"]) == {"api_key"}


async def test_regenerated_api_key_replaces_the_old_one(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    old = await api_key_of(client, tree.customer["id"], headers)
    response = await client.put(f"/v2/accounts/{tree.customer['id']}/api_key", headers=headers)
    body = await reply_of(response)
    assert response.status == 201, body
    new = body["data"]["api_key"]
    assert len(new) == 64 and new != old
    assert await api_key_of(client, tree.customer["id"], headers) == new
    response, body = await api_auth(client, old)
    assert response.status == 404, body
    response, body = await api_auth(client, new)
    assert response.status == 201, body
    assert body["data"]["account_id"] == tree.customer["id"]


async def test_non_admin_user_cannot_regenerate_api_key(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    user = {"first_name": "Plain", "last_name": "User", "username": "plain"}
    response = await client.put(
        f"/v2/accounts/{tree.customer['id']}/users",
        json={"data": {**user, "password": "n3w-secret"}},
        headers=await auth_headers("customer"),
    )
    assert response.status == 201, await reply_of(response)
    headers = {"X-Auth-Token": await login(client, "plain", "n3w-secret", "Customer One")}
    response = await client.put(f"/v2/accounts/{tree.customer['id']}/api_key", headers=headers)
    body = await reply_of(response)
    assert response.status == 403, body
    assert body["message"] == "forbidden"


async def test_api_key_of_disabled_account_still_logs_in(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    key = await api_key_of(client, tree.customer["id"], await auth_headers("customer"))
    await set_enabled(client, tree.customer["id"], False, await auth_headers("reseller"))
    response, body = await api_auth(client, key)
    assert response.status == 201, body
    assert body["data"]["account_id"] == tree.customer["id"]

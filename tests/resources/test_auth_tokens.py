"""Using tokens over HTTP: where they are read, token_auth, revocation, Basic auth."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from gateway.settings import Settings
from tests.conftest import Tree, login, md5_credentials
from tests.resources.auth_checks import (
    INVALID_CREDENTIALS,
    TOKEN_REJECTED,
    basic_auth,
    customer_login_attempt,
    error_of,
    reply_of,
)

Client = TestClient[Any, Any]


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    """The shared settings, with overrides from `indirect` parametrization."""
    return dataclasses.replace(settings, **getattr(request, "param", {}))


async def customer_token(client: Client) -> str:
    """A fresh user_auth token of the customer admin."""
    return await login(client, "customer-admin", "customer-secret", "Customer One")


async def get_account(client: Client, tree: Tree, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    """GET the customer account with the given request options."""
    response = await client.get(f"/v2/accounts/{tree.customer['id']}", **kwargs)
    return response.status, await reply_of(response)


# Where the token is read


@pytest.mark.parametrize("where", ["header", "query", "bearer"])
async def test_token_is_accepted_from_header_query_or_bearer_and_echoed(
    client: Client, tree: Tree, where: str
) -> None:
    token = await customer_token(client)
    options: dict[str, Any] = {
        "header": {"headers": {"X-Auth-Token": token}},
        "query": {"params": {"auth_token": token}},
        "bearer": {"headers": {"Authorization": f"Bearer {token}"}},
    }[where]
    status, body = await get_account(client, tree, **options)
    assert status == 200, body
    assert body["data"]["id"] == tree.customer["id"]
    assert body["auth_token"] == token


@pytest.mark.parametrize("inside", ["data", "envelope"])
async def test_token_is_accepted_from_request_body(
    client: Client, tree: Tree, inside: str
) -> None:
    token = await customer_token(client)
    user = {"first_name": "Body", "last_name": "Token"}
    envelope = (
        {"data": {**user, "auth_token": token}}
        if inside == "data"
        else {"data": user, "auth_token": token}
    )
    response = await client.put(f"/v2/accounts/{tree.customer['id']}/users", json=envelope)
    body = await reply_of(response)
    assert response.status == 201, body
    assert body["auth_token"] == token
    assert "auth_token" not in body["data"]


async def test_x_auth_token_header_wins_over_query_token(client: Client, tree: Tree) -> None:
    token = await customer_token(client)
    status, body = await get_account(
        client, tree, headers={"X-Auth-Token": "not-a-token"}, params={"auth_token": token}
    )
    assert status == 401, body
    assert error_of(body) == TOKEN_REJECTED


async def test_request_without_token_returns_401_invalid_credentials(
    client: Client, tree: Tree
) -> None:
    status, body = await get_account(client, tree)
    assert status == 401, body
    assert error_of(body) == INVALID_CREDENTIALS


@pytest.mark.parametrize("spoil", ["garbage", "signature"])
async def test_unknown_or_tampered_token_returns_401_with_empty_data(
    client: Client, tree: Tree, spoil: str
) -> None:
    token = await customer_token(client)
    if spoil == "signature":
        head, payload, signature = token.split(".")
        middle = len(signature) // 2
        flipped = "A" if signature[middle] != "A" else "B"
        token = f"{head}.{payload}.{signature[:middle]}{flipped}{signature[middle + 1 :]}"
    else:
        token = "not-a-token"
    status, body = await get_account(client, tree, headers={"X-Auth-Token": token})
    assert status == 401, body
    assert error_of(body) == TOKEN_REJECTED
    assert body["auth_token"] == token


@pytest.mark.parametrize("settings", [{"token_ttl": 1}], indirect=True)
async def test_expired_token_returns_401_with_empty_data(client: Client, tree: Tree) -> None:
    token = await customer_token(client)
    await asyncio.sleep(1.5)
    status, body = await get_account(client, tree, headers={"X-Auth-Token": token})
    assert status == 401, body
    assert error_of(body) == TOKEN_REJECTED


# token_auth and user_auth/{token}


async def test_token_auth_returns_account_owner_method_and_expiry(
    client: Client, tree: Tree
) -> None:
    token = await customer_token(client)
    response = await client.get("/v2/token_auth", headers={"X-Auth-Token": token})
    body = await reply_of(response)
    assert response.status == 200, body
    data = body["data"]
    assert data["account_id"] == tree.customer["id"]
    assert data["owner_id"] == tree.users["customer"]["id"]
    assert data["method"] == "cb_user_auth"
    assert isinstance(data["exp"], int)
    assert abs(data["exp"] - (time.time() + 3600)) < 60
    assert data["account_name"] == "Customer One"


async def test_token_auth_of_api_key_token_has_no_owner(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    response = await client.get(
        f"/v2/accounts/{tree.customer['id']}/api_key", headers=await auth_headers("customer")
    )
    key = (await reply_of(response))["data"]["api_key"]
    response = await client.put("/v2/api_auth", json={"data": {"api_key": key}})
    token = (await reply_of(response))["auth_token"]
    response = await client.get("/v2/token_auth", headers={"X-Auth-Token": token})
    body = await reply_of(response)
    assert response.status == 200, body
    assert body["data"]["method"] == "cb_api_auth"
    assert body["data"]["account_id"] == tree.customer["id"]
    assert "owner_id" not in body["data"]


async def test_token_auth_without_token_returns_401(client: Client, tree: Tree) -> None:
    response = await client.get("/v2/token_auth")
    body = await reply_of(response)
    assert response.status == 401, body
    assert body["error"] == "401"


async def test_deleted_token_is_rejected_but_other_sessions_keep_working(
    client: Client, tree: Tree
) -> None:
    token, other = await customer_token(client), await customer_token(client)
    response = await client.delete("/v2/token_auth", headers={"X-Auth-Token": token})
    body = await reply_of(response)
    assert response.status == 200, body
    assert body["status"] == "success"
    assert "data" not in body
    status, body = await get_account(client, tree, headers={"X-Auth-Token": token})
    assert status == 401, body
    assert error_of(body) == TOKEN_REJECTED
    assert body["auth_token"] == token
    status, body = await get_account(client, tree, headers={"X-Auth-Token": other})
    assert status == 200, body


async def test_user_auth_lookup_with_the_same_token_returns_its_details(
    client: Client, tree: Tree
) -> None:
    token = await customer_token(client)
    response = await client.get(f"/v2/user_auth/{token}", headers={"X-Auth-Token": token})
    body = await reply_of(response)
    assert response.status == 200, body
    assert body["data"]["account_id"] == tree.customer["id"]
    assert body["data"]["owner_id"] == tree.users["customer"]["id"]


async def test_user_auth_lookup_with_another_token_returns_401(client: Client, tree: Tree) -> None:
    token, other = await customer_token(client), await customer_token(client)
    response = await client.get(f"/v2/user_auth/{other}", headers={"X-Auth-Token": token})
    body = await reply_of(response)
    assert response.status == 401, body
    assert body["error"] == "401"


# Basic auth


@pytest.mark.parametrize("clear", [False, True])
async def test_basic_auth_authenticates_only_that_request(
    client: Client, tree: Tree, clear: bool
) -> None:
    secret = (
        "customer-admin:customer-secret"
        if clear
        else md5_credentials("customer-admin", "customer-secret")
    )
    status, body = await get_account(client, tree, headers=basic_auth(tree.customer["id"], secret))
    assert status == 200, body
    assert body["data"]["id"] == tree.customer["id"]
    status, body = await get_account(client, tree)
    assert status == 401, body


@pytest.mark.parametrize("who", ["wrong password", "other account"])
async def test_wrong_basic_credentials_return_401(client: Client, tree: Tree, who: str) -> None:
    account = tree.other if who == "other account" else tree.customer
    password = "nope" if who == "wrong password" else "customer-secret"
    headers = basic_auth(account["id"], md5_credentials("customer-admin", password))
    response = await client.get(f"/v2/accounts/{account['id']}", headers=headers)
    body = await reply_of(response)
    assert response.status == 401, body
    assert error_of(body) == INVALID_CREDENTIALS


async def test_basic_auth_stays_inside_its_account_tree(client: Client, tree: Tree) -> None:
    headers = basic_auth(tree.customer["id"], md5_credentials("customer-admin", "customer-secret"))
    response = await client.get(f"/v2/accounts/{tree.reseller['id']}", headers=headers)
    body = await reply_of(response)
    assert response.status == 403, body


# Changes to a user end that user's tokens


async def test_password_change_revokes_old_tokens_and_new_password_logs_in(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    token = await customer_token(client)
    bystander = await auth_headers("other")
    response = await client.patch(
        f"/v2/accounts/{tree.customer['id']}/users/{tree.users['customer']['id']}",
        json={"data": {"password": "changed-secret"}},
        headers={"X-Auth-Token": token},
    )
    assert response.status == 200, await reply_of(response)
    status, body = await get_account(client, tree, headers={"X-Auth-Token": token})
    assert status == 401, body
    assert error_of(body) == TOKEN_REJECTED
    response = await customer_login_attempt(client, "customer-secret")
    assert response.status == 401, await reply_of(response)
    fresh = await login(client, "customer-admin", "changed-secret", "Customer One")
    status, body = await get_account(client, tree, headers={"X-Auth-Token": fresh})
    assert status == 200, body
    response = await client.get(f"/v2/accounts/{tree.other['id']}", headers=bystander)
    assert response.status == 200, await reply_of(response)


@pytest.mark.parametrize("change", [{"priv_level": "user"}, {"enabled": False}])
async def test_privilege_change_or_disabling_revokes_user_tokens(
    client: Client, tree: Tree, auth_headers: Any, change: dict[str, Any]
) -> None:
    token = await customer_token(client)
    response = await client.patch(
        f"/v2/accounts/{tree.customer['id']}/users/{tree.users['customer']['id']}",
        json={"data": change},
        headers=await auth_headers("reseller"),
    )
    assert response.status == 200, await reply_of(response)
    status, body = await get_account(client, tree, headers={"X-Auth-Token": token})
    assert status == 401, body
    assert error_of(body) == TOKEN_REJECTED


async def test_unrelated_user_change_keeps_tokens(client: Client, tree: Tree) -> None:
    token = await customer_token(client)
    response = await client.patch(
        f"/v2/accounts/{tree.customer['id']}/users/{tree.users['customer']['id']}",
        json={"data": {"first_name": "Renamed"}},
        headers={"X-Auth-Token": token},
    )
    assert response.status == 200, await reply_of(response)
    status, body = await get_account(client, tree, headers={"X-Auth-Token": token})
    assert status == 200, body


async def test_deleted_user_tokens_stop_working(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    token = await customer_token(client)
    response = await client.delete(
        f"/v2/accounts/{tree.customer['id']}/users/{tree.users['customer']['id']}",
        headers=await auth_headers("reseller"),
    )
    assert response.status == 200, await reply_of(response)
    status, body = await get_account(client, tree, headers={"X-Auth-Token": token})
    assert status == 401, body
    assert error_of(body) == TOKEN_REJECTED


async def test_auth_tokeninfo_describes_the_token_in_the_body_or_query(
    client: TestClient[Any, Any], tree: Tree
) -> None:
    token = await login(client, "customer-admin", "customer-secret", "Customer One")
    posted = await client.post("/v2/auth/tokeninfo", json={"data": {"token": token}})
    data = (await posted.json())["data"]
    assert posted.status == 200
    assert (data["account_id"], data["owner_id"]) == (
        tree.customer["id"],
        tree.users["customer"]["id"],
    )
    queried = await client.get("/v2/auth/tokeninfo", params={"token": token})
    assert (await queried.json())["data"]["account_name"] == "Customer One"
    bad = await client.post("/v2/auth/tokeninfo", json={"data": {"token": "nope"}})
    assert bad.status == 401
    assert (await client.post("/v2/auth/tokeninfo", json={"data": {}})).status == 401

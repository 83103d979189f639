"""Failed logins are throttled per account selector and client address (429 + Retry-After)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from gateway.settings import Settings
from tests.conftest import Tree, login, md5_credentials
from tests.resources.auth_checks import basic_auth, customer_login_attempt, error_of, reply_of

Client = TestClient[Any, Any]
FAILURE_LIMIT = 3
# The throttle counts in fixed windows; a day-long one cannot roll over during a test.
FAILURE_WINDOW = 86400
TOO_MANY_REQUESTS = {
    "status": "error",
    "error": "429",
    "message": "too_many_requests",
    "data": {"message": "too many requests"},
}
TRUSTED_LOCAL_PROXY = {"trusted_proxies": frozenset({"127.0.0.1"})}


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    """Three failed logins block the next; `indirect` parametrization adds overrides."""
    overrides: dict[str, Any] = getattr(request, "param", {})
    return dataclasses.replace(
        settings,
        login_failure_limit=FAILURE_LIMIT,
        login_failure_window=FAILURE_WINDOW,
        **overrides,
    )


async def fail_logins(client: Client, headers: dict[str, str] | None = None) -> None:
    """FAILURE_LIMIT wrong-password attempts on "Customer One"."""
    for _ in range(FAILURE_LIMIT):
        response = await customer_login_attempt(client, "wrong-secret", headers)
        assert response.status == 401, await reply_of(response)


async def test_login_after_too_many_failures_is_429_even_with_right_password(
    client: Client, tree: Tree
) -> None:
    await fail_logins(client)
    response = await customer_login_attempt(client, "customer-secret")
    body = await reply_of(response)
    assert response.status == 429, body
    assert error_of(body) == TOO_MANY_REQUESTS
    assert "auth_token" not in body
    assert 1 <= int(response.headers["Retry-After"]) <= FAILURE_WINDOW


async def test_failures_on_one_account_do_not_block_another(client: Client, tree: Tree) -> None:
    await fail_logins(client)
    await login(client, "other-admin", "other-secret", "Customer Two")


async def test_respelling_the_account_name_does_not_escape_throttling(
    client: Client, tree: Tree
) -> None:
    await fail_logins(client)
    response = await customer_login_attempt(client, "customer-secret", account_name="customer-one")
    body = await reply_of(response)
    assert response.status == 429, body
    assert error_of(body) == TOO_MANY_REQUESTS


@pytest.mark.parametrize("settings", [TRUSTED_LOCAL_PROXY], indirect=True)
async def test_failures_from_one_client_do_not_block_another_behind_trusted_proxy(
    client: Client, tree: Tree
) -> None:
    await fail_logins(client, {"X-Forwarded-For": "203.0.113.7"})
    response = await customer_login_attempt(
        client, "customer-secret", {"X-Forwarded-For": "203.0.113.8"}
    )
    assert response.status == 201, await reply_of(response)
    response = await customer_login_attempt(
        client, "customer-secret", {"X-Forwarded-For": "203.0.113.7"}
    )
    assert response.status == 429, await reply_of(response)


async def test_forwarded_for_from_untrusted_peer_does_not_escape_throttling(
    client: Client, tree: Tree
) -> None:
    await fail_logins(client)
    response = await customer_login_attempt(
        client, "customer-secret", {"X-Forwarded-For": "203.0.113.9"}
    )
    assert response.status == 429, await reply_of(response)


async def test_api_auth_after_too_many_unknown_keys_is_429(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    response = await client.get(
        f"/v2/accounts/{tree.customer['id']}/api_key", headers=await auth_headers("customer")
    )
    key = (await reply_of(response))["data"]["api_key"]
    for digit in range(FAILURE_LIMIT):
        response = await client.put("/v2/api_auth", json={"data": {"api_key": str(digit) * 64}})
        assert response.status == 404, await reply_of(response)
    response = await client.put("/v2/api_auth", json={"data": {"api_key": key}})
    body = await reply_of(response)
    assert response.status == 429, body
    assert error_of(body) == TOO_MANY_REQUESTS


async def test_basic_auth_after_too_many_failures_is_429(client: Client, tree: Tree) -> None:
    account_id = tree.customer["id"]
    for _ in range(FAILURE_LIMIT):
        headers = basic_auth(account_id, md5_credentials("customer-admin", "wrong-secret"))
        response = await client.get(f"/v2/accounts/{account_id}", headers=headers)
        assert response.status == 401, await reply_of(response)
    headers = basic_auth(account_id, md5_credentials("customer-admin", "customer-secret"))
    response = await client.get(f"/v2/accounts/{account_id}", headers=headers)
    assert response.status == 429, await reply_of(response)

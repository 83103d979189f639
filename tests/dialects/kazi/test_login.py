"""POST /api/admin/login: username or email, the session cookie, and every refusal."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from aiohttp import web

from gateway.app import create_app
from gateway.provision import create_user
from gateway.settings import Settings
from gateway.store import Store
from tests.conftest import Tree, make_tree
from tests.dialects.kazi.helpers import LOGIN, Client, kazi_login


async def test_login_by_username_returns_token_user_and_expiry(client: Client, tree: Tree) -> None:
    response = await client.post(
        LOGIN, json={"login": "Customer-Admin", "password": "customer-secret"}
    )
    body = await response.json()
    assert response.status == 200, body
    assert body["message"] == "Logged in successfully."
    data = body["data"]
    assert set(data) == {"token", "user", "expires_at"}
    assert data["user"]["id"] == tree.users["customer"]["id"]
    assert data["user"]["account_id"] == tree.customer["id"]
    assert data["user"]["username"] == "customer-admin"
    assert datetime.fromisoformat(data["expires_at"]).timestamp() > 0
    assert "X-RateLimit-Limit" in response.headers


async def test_login_by_email_finds_the_user(
    client: Client, app: web.Application, tree: Tree
) -> None:
    user = await create_user(
        app,
        tree.other["id"],
        {
            "first_name": "Mail",
            "last_name": "Admin",
            "username": "mail-admin",
            "email": "Mail.Admin@example.com",
            "password": "mail-secret",
            "priv_level": "admin",
        },
    )
    data = await kazi_login(client, "Mail.Admin@example.com", "mail-secret")
    assert data["user"]["id"] == user["id"]
    assert data["user"]["email"] == "Mail.Admin@example.com"


async def test_login_cookie_is_httponly_lax_scoped_to_api_and_lives_as_long_as_the_token(
    client: Client, app: web.Application, tree: Tree, settings: Settings
) -> None:
    response = await client.post(
        LOGIN, json={"login": "customer-admin", "password": "customer-secret"}
    )
    body = await response.json()
    cookie = response.cookies["kazi_session"]
    assert cookie.value == body["data"]["token"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/api"
    assert cookie["max-age"] == str(settings.token_ttl)
    assert not cookie["secure"]


async def _login_cookie(client: Client, headers: dict[str, str]) -> Any:
    response = await client.post(
        LOGIN, json={"login": "customer-admin", "password": "customer-secret"}, headers=headers
    )
    assert response.status == 200, await response.text()
    return response.cookies["kazi_session"]


async def test_cookie_is_secure_when_a_trusted_proxy_says_https(
    aiohttp_client: Any, settings: Settings, store: Store
) -> None:
    trusting = dataclasses.replace(settings, trusted_proxies=frozenset({"127.0.0.1"}))
    app = create_app(trusting, store)
    client: Client = await aiohttp_client(app)
    await make_tree(app)
    cookie = await _login_cookie(client, {"X-Forwarded-Proto": "https"})
    assert cookie["secure"] is True


async def test_forwarded_proto_from_an_untrusted_peer_is_ignored(
    client: Client, tree: Tree
) -> None:
    cookie = await _login_cookie(client, {"X-Forwarded-Proto": "https"})
    assert not cookie["secure"]


async def test_bad_password_returns_422_invalid_credentials(client: Client, tree: Tree) -> None:
    response = await client.post(LOGIN, json={"login": "customer-admin", "password": "wrong"})
    assert response.status == 422
    assert await response.json() == {
        "message": "Invalid credentials.",
        "errors": {"login": ["These credentials do not match our records."]},
    }
    assert "kazi_session" not in response.cookies


async def test_unknown_login_returns_422_invalid_credentials(client: Client, tree: Tree) -> None:
    response = await client.post(LOGIN, json={"login": "nobody@x.org", "password": "x"})
    assert response.status == 422
    assert (await response.json())["message"] == "Invalid credentials."


async def test_user_level_login_returns_403(
    client: Client, app: web.Application, tree: Tree
) -> None:
    await create_user(
        app,
        tree.customer["id"],
        {
            "first_name": "Plain",
            "last_name": "User",
            "username": "plain-user",
            "password": "plain-secret",
            "priv_level": "user",
        },
    )
    response = await client.post(LOGIN, json={"login": "plain-user", "password": "plain-secret"})
    assert response.status == 403
    assert await response.json() == {"message": "This action is unauthorized."}
    assert "kazi_session" not in response.cookies


async def test_missing_fields_return_422_in_laravel_shape(client: Client, tree: Tree) -> None:
    response = await client.post(LOGIN, json={})
    assert response.status == 422
    assert await response.json() == {
        "message": "The login field is required. (and 1 more error)",
        "errors": {
            "login": ["The login field is required."],
            "password": ["The password field is required."],
        },
    }


async def test_form_body_is_accepted(client: Client, tree: Tree) -> None:
    response = await client.post(
        LOGIN, data={"login": "customer-admin", "password": "customer-secret"}
    )
    assert response.status == 200, await response.text()


async def test_repeated_failures_are_throttled_with_429_and_retry_after(
    aiohttp_client: Any, settings: Settings, store: Store
) -> None:
    app = create_app(dataclasses.replace(settings, login_failure_limit=2), store)
    client: Client = await aiohttp_client(app)
    await make_tree(app)
    for _ in range(2):
        response = await client.post(LOGIN, json={"login": "customer-admin", "password": "wrong"})
        assert response.status == 422
    response = await client.post(
        LOGIN, json={"login": "customer-admin", "password": "customer-secret"}
    )
    body = await response.json()
    assert response.status == 429, body
    assert body["message"].startswith("Too many login attempts.")
    assert int(response.headers["Retry-After"]) >= 1

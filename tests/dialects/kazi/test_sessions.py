"""Sessions on /api: bearer or cookie, logout revoking, CSRF on cookie writes, 401/404/405."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from gateway.provision import create_user
from tests.conftest import Tree, login
from tests.dialects.kazi.helpers import LOGOUT, TENANTS, XHR, Client, bearer, kazi_login


async def test_bearer_token_reaches_tenants(client: Client, tree: Tree) -> None:
    data = await kazi_login(client, "reseller-admin", "reseller-secret")
    client.session.cookie_jar.clear()
    response = await client.get(TENANTS, headers=bearer(data["token"]))
    assert response.status == 200, await response.text()
    assert "X-RateLimit-Remaining" in response.headers


async def test_cookie_reaches_tenants(client: Client, tree: Tree) -> None:
    await kazi_login(client, "reseller-admin", "reseller-secret")
    response = await client.get(TENANTS)
    assert response.status == 200, await response.text()


@pytest.mark.parametrize("path", [TENANTS, LOGOUT, "/api/nothing-here"])
async def test_no_session_returns_401(client: Client, tree: Tree, path: str) -> None:
    response = await client.post(path) if path == LOGOUT else await client.get(path)
    assert response.status == 401
    assert await response.json() == {"message": "Unauthenticated."}
    assert "X-RateLimit-Limit" in response.headers


async def test_unknown_token_returns_401(client: Client, tree: Tree) -> None:
    response = await client.get(TENANTS, headers=bearer("not-a-token"))
    assert response.status == 401


async def test_logout_revokes_the_token_and_clears_the_cookie(client: Client, tree: Tree) -> None:
    data = await kazi_login(client, "reseller-admin", "reseller-secret")
    response = await client.post(LOGOUT, headers=XHR)
    assert response.status == 200, await response.text()
    assert await response.json() == {"message": "Logged out successfully."}
    cleared = response.cookies["kazi_session"]
    assert cleared.value == "" and cleared["max-age"] == "0"
    client.session.cookie_jar.clear()
    after = await client.get(TENANTS, headers=bearer(data["token"]))
    assert after.status == 401


async def test_logout_ends_the_session_for_v2_too(client: Client, tree: Tree) -> None:
    data = await kazi_login(client, "reseller-admin", "reseller-secret")
    client.session.cookie_jar.clear()
    token = {"X-Auth-Token": data["token"]}
    assert (await client.get("/v2/token_auth", headers=token)).status == 200
    assert (await client.post(LOGOUT, headers=bearer(data["token"]))).status == 200
    assert (await client.get("/v2/token_auth", headers=token)).status == 401


async def test_cookie_write_without_csrf_proof_returns_419(client: Client, tree: Tree) -> None:
    await kazi_login(client, "reseller-admin", "reseller-secret")
    response = await client.post(LOGOUT)
    assert response.status == 419
    assert await response.json() == {"message": "CSRF token mismatch."}
    assert (await client.get(TENANTS)).status == 200


async def test_cookie_write_with_matching_origin_passes(client: Client, tree: Tree) -> None:
    await kazi_login(client, "reseller-admin", "reseller-secret")
    origin = f"http://{client.host}:{client.port}"
    response = await client.post(LOGOUT, headers={"Origin": origin})
    assert response.status == 200, await response.text()


async def test_cookie_write_with_foreign_origin_returns_419(client: Client, tree: Tree) -> None:
    await kazi_login(client, "reseller-admin", "reseller-secret")
    response = await client.post(LOGOUT, headers={"Origin": "https://evil.example"})
    assert response.status == 419


async def test_bearer_write_needs_no_csrf_proof(client: Client, tree: Tree) -> None:
    data = await kazi_login(client, "reseller-admin", "reseller-secret")
    client.session.cookie_jar.clear()
    response = await client.post(LOGOUT, headers=bearer(data["token"]))
    assert response.status == 200


async def test_v2_admin_token_works_as_bearer(
    client: Client, tree: Tree, auth_headers: Callable[[str], Awaitable[dict[str, str]]]
) -> None:
    token = (await auth_headers("reseller"))["X-Auth-Token"]
    response = await client.get(TENANTS, headers=bearer(token))
    assert response.status == 200, await response.text()


async def test_user_level_v2_token_is_refused_403(client: Client, tree: Tree) -> None:
    app = client.app
    assert app is not None
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
    token = await login(client, "plain-user", "plain-secret", "Customer One")
    response = await client.get(TENANTS, headers=bearer(token))
    assert response.status == 403
    assert await response.json() == {"message": "This action is unauthorized."}


async def test_unknown_path_returns_404_and_wrong_verb_405(client: Client, tree: Tree) -> None:
    data = await kazi_login(client, "reseller-admin", "reseller-secret")
    headers = bearer(data["token"])
    missing = await client.get("/api/nothing-here", headers=headers)
    assert missing.status == 404
    assert await missing.json() == {"message": "Not found."}
    wrong = await client.delete(TENANTS, headers=headers)
    assert wrong.status == 405
    assert set(await wrong.json()) == {"message"}
    assert wrong.headers["Allow"] == "GET"

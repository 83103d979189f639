"""Logins and requests to /api."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

Client = TestClient[Any, Any]
LOGIN = "/api/admin/login"
LOGOUT = "/api/admin/logout"
TENANTS = "/api/tenants"
XHR = {"X-Requested-With": "XMLHttpRequest"}


async def kazi_login(client: Client, login: str, password: str) -> dict[str, Any]:
    """Log in through /api and return the answer's data (the cookie stays in the jar)."""
    response = await client.post(LOGIN, json={"login": login, "password": password})
    body = await response.json()
    assert response.status == 200, body
    return dict(body["data"])


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for a session token."""
    return {"Authorization": f"Bearer {token}"}

"""Shared by the authentication tests: error shapes, leak-free replies, request helpers."""

from __future__ import annotations

import base64
import json
from typing import Any

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from tests.conftest import MASTER_PASSWORD, md5_credentials

# Every password the auth tests set; none may ever appear in a response.
PASSWORDS = (
    MASTER_PASSWORD,
    "reseller-secret",
    "customer-secret",
    "other-secret",
    "n3w-secret",
    "changed-secret",
)
INVALID_CREDENTIALS = {
    "status": "error",
    "error": "401",
    "message": "invalid_credentials",
    "data": {"message": "invalid credentials"},
}
# Kazoo's early check on a supplied token that is unknown, expired or revoked.
TOKEN_REJECTED = {"status": "error", "error": "401", "message": "invalid credentials", "data": {}}


def private_keys(value: Any, path: str = "") -> list[str]:
    """Dotted paths of every `password` or `pvt_*` key inside a JSON value."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if key == "password" or str(key).startswith("pvt_"):
                found.append(here)
            found.extend(private_keys(item, here))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(private_keys(item, f"{path}.{index}"))
    return found


async def reply_of(response: ClientResponse) -> dict[str, Any]:
    """The JSON body, after checking it shows no password and no private key."""
    text = await response.text()
    for password in PASSWORDS:
        assert password not in text, text
    body: dict[str, Any] = json.loads(text)
    assert private_keys(body) == [], body
    return body


def error_of(body: dict[str, Any]) -> dict[str, Any]:
    """The parts of an error envelope a client branches on."""
    return {key: body.get(key) for key in ("status", "error", "message", "data")}


def basic_auth(account_id: str, secret: str) -> dict[str, str]:
    """An `Authorization: Basic base64(account_id:secret)` header."""
    encoded = base64.b64encode(f"{account_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {encoded}"}


async def customer_login_attempt(
    client: TestClient[Any, Any],
    password: str,
    headers: dict[str, str] | None = None,
    **selector: str,
) -> ClientResponse:
    """One customer-admin login with `password` (selector defaults to the account name)."""
    selector = selector or {"account_name": "Customer One"}
    data = {"credentials": md5_credentials("customer-admin", password), **selector}
    return await client.put("/v2/user_auth", json={"data": data}, headers=headers)

"""Keys minted through /v2 and requests to /v1/pbx with them."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

Client = TestClient[Any, Any]
ALL = ["pbx:*"]


async def mint(
    client: Client, headers: dict[str, str], account: dict[str, Any], **data: Any
) -> dict[str, Any]:
    """Mint a key for `account` (default: every scope); the reply's data, secret included."""
    body = {"name": "integration", "scopes": ALL, **data}
    response = await client.put(
        f"/v2/accounts/{account['id']}/api_keys", json={"data": body}, headers=headers
    )
    reply = await response.json()
    assert response.status == 201, reply
    return dict(reply["data"])


def bearer(key: dict[str, Any] | str) -> dict[str, str]:
    """The Authorization header of a minted key (or of a raw secret)."""
    secret = key if isinstance(key, str) else key["key"]
    return {"Authorization": f"Bearer {secret}"}


async def error_of(response: Any) -> dict[str, Any]:
    """The `error` object of a /v1/pbx error reply, checked for its shape."""
    body = await response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert error["status"] == response.status
    assert isinstance(error["code"], str) and isinstance(error["message"], str)
    return dict(error)

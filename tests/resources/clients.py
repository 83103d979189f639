"""Small HTTP helpers the resource tests share."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from tests.conftest import Tree, login

INTAKE_KEY = "ik_test-intake-key-of-at-least-32-chars"


async def send_events(
    client: TestClient[Any, Any], events: Any, key: str | None = INTAKE_KEY
) -> tuple[int, Any]:
    """POST a batch to the intake; (status, envelope)."""
    headers = {"X-Auth-Token": key} if key else {}
    response = await client.post("/v2/intake", json={"data": events}, headers=headers)
    return response.status, await response.json()


async def create_device(
    client: TestClient[Any, Any], account: dict[str, Any], headers: dict[str, str], **fields: Any
) -> str:
    """PUT a device named Desk into `account`; its id."""
    response = await client.put(
        f"/v2/accounts/{account['id']}/devices",
        json={"data": {"name": "Desk", **fields}},
        headers=headers,
    )
    body = await response.json()
    assert response.status == 201, body
    return str(body["data"]["id"])


def make_user(**overrides: Any) -> dict[str, Any]:
    """A valid user body."""
    return {"first_name": "Ann", "last_name": "Smith", **overrides}


def at(account: dict[str, Any], tail: str = "") -> str:
    """The path of an account, plus a tail."""
    return f"/v2/accounts/{account['id']}{tail}"


@dataclass
class Api:
    """The HTTP client with the customer admin's token, around the customer's users."""

    client: TestClient[Any, Any]
    tree: Tree
    headers: dict[str, str]

    def users(self, user_id: str = "") -> str:
        path = f"/v2/accounts/{self.tree.customer['id']}/users"
        return f"{path}/{user_id}" if user_id else path

    async def send(self, method: str, path: Any, auth: bool = True, **kw: Any) -> ClientResponse:
        headers = {**(self.headers if auth else {}), **kw.pop("headers", {})}
        return await self.client.request(method, path, headers=headers, **kw)

    async def call(self, method: str, path: Any, **kw: Any) -> tuple[int, Any]:
        response = await self.send(method, path, **kw)
        return response.status, await response.json()

    async def create_user(self, **overrides: Any) -> Any:
        """PUT a user; the whole envelope."""
        status, body = await self.call("PUT", self.users(), json={"data": make_user(**overrides)})
        assert status == 201, body
        return body

    async def user_ids(self, query: str = "") -> list[str]:
        status, body = await self.call("GET", self.users() + query)
        assert status == 200, body
        return sorted(row["id"] for row in body["data"])


class TokenApi:
    """Requests carrying one token; each answers (status, envelope)."""

    def __init__(self, client: TestClient[Any, Any], headers: dict[str, str]) -> None:
        self.client, self.headers = client, headers

    async def __call__(self, method: str, path: str, data: Any = None) -> tuple[int, Any]:
        body = None if data is None else {"data": data}
        response = await self.client.request(method, path, headers=self.headers, json=body)
        return response.status, await response.json()

    async def child(self, parent: dict[str, Any], name: str) -> dict[str, Any]:
        """A new account under `parent`."""
        status, body = await self("PUT", at(parent), {"name": name})
        assert status == 201, body
        return dict(body["data"])

    async def rows(self, account: dict[str, Any], listing: str) -> dict[str, Any]:
        """A tree listing's rows by name, in listing order."""
        status, body = await self("GET", at(account, f"/{listing}"))
        assert status == 200, body
        return {row["name"]: row for row in body["data"]}


AsLevel = Callable[[str], Awaitable[TokenApi]]


async def user_level_login(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> tuple[str, dict[str, str]]:
    """Create a `user`-level user in the customer account; its id and token headers."""
    admin = await auth_headers("customer")
    created = await client.put(
        f"/v2/accounts/{tree.customer['id']}/users",
        headers=admin,
        json={
            "data": {
                "first_name": "Uma",
                "last_name": "User",
                "username": "uma",
                "password": "uma-secret",
            }
        },
    )
    user = (await created.json())["data"]
    assert created.status == 201 and user["priv_level"] == "user"
    token = await login(client, "uma", "uma-secret", "Customer One")
    return user["id"], {"X-Auth-Token": token}

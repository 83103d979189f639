"""Verified tokens and accounts are cached in process: one store round trip per read, changes
seen at once by the instance that made them and within the cache lifetime by every other."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from gateway.app import create_app
from gateway.settings import Settings
from gateway.store import Store
from tests.conftest import MASTER_PASSWORD, Tree, in_background, login

Client = TestClient[Any, Any]
TTL_MS = 100


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """A short cache lifetime, so the cross-instance bound is quick to wait out."""
    return dataclasses.replace(settings, cache_ttl_ms=TTL_MS)


async def wait_out_the_cache() -> None:
    await asyncio.sleep(TTL_MS / 1000 + 0.02)


def token_headers(token: str) -> dict[str, str]:
    return {"X-Auth-Token": token}


async def customer_token(client: Client) -> str:
    return await login(client, "customer-admin", "customer-secret", "Customer One")


def customer_path(tree: Tree, tail: str = "") -> str:
    return f"/v2/accounts/{tree.customer['id']}{tail}"


async def revoke_token(client: Client, tree: Tree, token: str, master: str) -> None:
    response = await client.delete("/v2/token_auth", headers=token_headers(token))
    assert response.status == 200


async def change_password(client: Client, tree: Tree, token: str, master: str) -> None:
    path = customer_path(tree, f"/users/{tree.users['customer']['id']}")
    data = {"data": {"password": "changed-secret"}}
    response = await client.patch(path, json=data, headers=token_headers(master))
    assert response.status == 200, await response.text()


async def disable_user(client: Client, tree: Tree, token: str, master: str) -> None:
    path = customer_path(tree, f"/users/{tree.users['customer']['id']}")
    data = {"data": {"enabled": False}}
    response = await client.patch(path, json=data, headers=token_headers(master))
    assert response.status == 200, await response.text()


async def delete_account(client: Client, tree: Tree, token: str, master: str) -> None:
    response = await client.delete(customer_path(tree), headers=token_headers(master))
    assert response.status == 200, await response.text()


Change = Callable[[Client, Tree, str, str], Awaitable[None]]


@pytest.mark.parametrize(
    "change",
    [revoke_token, change_password, disable_user, delete_account],
    ids=lambda c: c.__name__,
)
async def test_a_change_that_ends_a_token_holds_at_once_here_and_within_the_ttl_elsewhere(
    client: Client,
    tree: Tree,
    aiohttp_client: Any,
    settings: Settings,
    store: Store,
    change: Change,
) -> None:
    other: Client = await aiohttp_client(create_app(settings, store))
    token = await customer_token(client)
    master = await login(client, "admin", MASTER_PASSWORD, "Master")
    for instance in (client, other):
        assert (
            await instance.get(customer_path(tree), headers=token_headers(token))
        ).status == 200
    await change(client, tree, token, master)
    assert (await client.get(customer_path(tree), headers=token_headers(token))).status == 401
    await wait_out_the_cache()
    response = await other.get(customer_path(tree), headers=token_headers(token))
    assert response.status == 401
    assert (await response.json())["message"] == "invalid credentials"


async def test_an_account_move_changes_who_may_read_it_here_at_once_and_elsewhere_within_the_ttl(
    client: Client, tree: Tree, aiohttp_client: Any, settings: Settings, store: Store
) -> None:
    other: Client = await aiohttp_client(create_app(settings, store))
    master = token_headers(await login(client, "admin", MASTER_PASSWORD, "Master"))
    reseller = token_headers(await login(client, "reseller-admin", "reseller-secret", "Reseller"))
    response = await client.put(
        f"/v2/accounts/{tree.master['id']}",
        json={"data": {"name": "Reseller Two"}},
        headers=master,
    )
    assert response.status == 201
    second_reseller = (await response.json())["data"]["id"]
    for instance in (client, other):
        assert (await instance.get(customer_path(tree), headers=reseller)).status == 200
    response = await client.post(
        customer_path(tree, "/move"), json={"data": {"to": second_reseller}}, headers=master
    )
    assert response.status == 200, await response.text()
    assert (await client.get(customer_path(tree), headers=reseller)).status == 403
    await wait_out_the_cache()
    assert (await other.get(customer_path(tree), headers=reseller)).status == 403


async def test_with_the_cache_off_another_instance_sees_a_revocation_at_once(
    aiohttp_client: Any, client: Client, tree: Tree, settings: Settings, store: Store
) -> None:
    other: Client = await aiohttp_client(
        create_app(dataclasses.replace(settings, cache_ttl_ms=0), store)
    )
    token = await customer_token(client)
    assert (await other.get(customer_path(tree), headers=token_headers(token))).status == 200
    await revoke_token(client, tree, token, "")
    assert (await other.get(customer_path(tree), headers=token_headers(token))).status == 401


async def test_a_warm_read_of_one_document_costs_one_store_round_trip(
    client: Client, tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = token_headers(await customer_token(client))
    path = customer_path(tree, f"/users/{tree.users['customer']['id']}")
    assert (await client.get(path, headers=headers)).status == 200
    calls: list[str] = []
    for name in ("get", "find", "find_one"):
        original = getattr(Store, name)

        def counted(original: Any = original, name: str = name) -> Any:
            async def call(self: Store, *args: Any, **kwargs: Any) -> Any:
                if not in_background():
                    calls.append(f"{name} {args[0]}")
                return await original(self, *args, **kwargs)

            return call

        monkeypatch.setattr(Store, name, counted())
    response = await client.get(path, headers=headers)
    assert response.status == 200
    assert calls == ["get users"]

"""GET /api/tenants: the accounts below the admin's account, nothing at or above it."""

from __future__ import annotations

from aiohttp import web

from gateway.provision import create_account
from tests.conftest import Tree
from tests.dialects.kazi.helpers import TENANTS, Client, kazi_login


async def _tenants(client: Client, login: str, password: str) -> list[dict[str, str]]:
    await kazi_login(client, login, password)
    response = await client.get(TENANTS)
    body = await response.json()
    assert response.status == 200, body
    assert body["message"] == "Tenants fetched successfully."
    return list(body["data"])


async def test_reseller_sees_its_customers_only(client: Client, tree: Tree) -> None:
    tenants = await _tenants(client, "reseller-admin", "reseller-secret")
    ids = {tenant["account_id"] for tenant in tenants}
    assert ids == {tree.customer["id"], tree.other["id"]}
    assert tree.reseller["id"] not in ids and tree.master["id"] not in ids


async def test_tenant_has_id_name_slug_and_realm_as_domain(client: Client, tree: Tree) -> None:
    tenants = await _tenants(client, "reseller-admin", "reseller-secret")
    customer = next(t for t in tenants if t["account_id"] == tree.customer["id"])
    assert isinstance(customer["id"], int) and customer["id"] > 0
    assert customer == {
        "id": customer["id"],
        "account_id": tree.customer["id"],
        "name": "Customer One",
        "slug": "customer-one",
        "domain": tree.customer["realm"],
    }


async def test_grandchildren_are_tenants_too(
    client: Client, app: web.Application, tree: Tree
) -> None:
    branch = await create_account(app, {"name": "Branch Office"}, tree.customer["id"])
    found = await _tenants(client, "reseller-admin", "reseller-secret")
    assert branch["id"] in {t["account_id"] for t in found}


async def test_customer_without_children_sees_none(client: Client, tree: Tree) -> None:
    assert await _tenants(client, "customer-admin", "customer-secret") == []


async def test_integer_ids_are_stable_and_distinct(client: Client, tree: Tree) -> None:
    first = await _tenants(client, "reseller-admin", "reseller-secret")
    again = await _tenants(client, "reseller-admin", "reseller-secret")
    numbers = {t["account_id"]: t["id"] for t in first}
    assert numbers == {t["account_id"]: t["id"] for t in again}
    assert len(set(numbers.values())) == len(numbers) == 2

"""apps_store lists no apps yet; whitelabel is one branding per account, 404 until set."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp.test_utils import TestClient

from tests.conftest import Tree


async def test_apps_store_is_an_empty_list(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    response = await client.get(f"/v2/accounts/{tree.customer['id']}/apps_store", headers=headers)
    assert (response.status, (await response.json())["data"]) == (200, [])
    missing = await client.get(
        f"/v2/accounts/{tree.customer['id']}/apps_store/{'0' * 32}", headers=headers
    )
    assert missing.status == 404


async def test_whitelabel_lifecycle(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("reseller")
    path = f"/v2/accounts/{tree.reseller['id']}/whitelabel"
    none = await client.get(path, headers=headers)
    assert none.status == 404
    assert (await none.json())["data"] == {"cause": "whitelabel", "message": "bad identifier"}
    created = await client.put(
        path, headers=headers, json={"data": {"company_name": "Northwind", "domain": "UI.Nw.Test"}}
    )
    body = (await created.json())["data"]
    assert created.status == 201
    assert body == {
        "company_name": "Northwind",
        "domain": "UI.Nw.Test",
        "hide_credits": False,
        "hide_registration": False,
        "hide_powered": False,
        "inherit": True,
    }
    replaced = await client.post(path, headers=headers, json={"data": {"company_name": "NW"}})
    assert (await replaced.json())["data"]["company_name"] == "NW"
    assert "domain" not in (await (await client.get(path, headers=headers)).json())["data"]
    deleted = await client.delete(path, headers=headers)
    assert deleted.status == 200
    assert (await client.get(path, headers=headers)).status == 404


async def test_whitelabel_domains_are_unique_case_insensitively(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("reseller")
    first, second = (
        f"/v2/accounts/{tree.customer['id']}/whitelabel",
        f"/v2/accounts/{tree.other['id']}/whitelabel",
    )
    results = await asyncio.gather(
        client.put(first, headers=headers, json={"data": {"domain": "brand.test"}}),
        client.put(second, headers=headers, json={"data": {"domain": "BRAND.test"}}),
    )
    statuses = sorted(response.status for response in results)
    assert statuses == [201, 400]
    refused = next(response for response in results if response.status == 400)
    assert (await refused.json())["data"]["domain"]["unique"]["message"] == "Domain already in use"
    plain = await client.put(
        f"/v2/accounts/{tree.reseller['id']}/whitelabel",
        headers=headers,
        json={"data": {"company_name": "No domain"}},
    )
    assert plain.status == 201

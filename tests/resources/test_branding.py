"""whitelabel: one branding per account, 404 until set; its files; lookups by domain."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp.test_utils import TestClient

from tests.conftest import Tree


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


async def test_whitelabel_logo_upload_and_lookup_by_domain_without_login(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("reseller")
    path = f"/v2/accounts/{tree.reseller['id']}/whitelabel"
    await client.put(path, headers=headers, json={"data": {"domain": "Portal.NW.test"}})
    before = await client.get("/v2/whitelabel/portal.nw.test/logo")
    assert before.status == 404
    uploaded = await client.post(
        f"{path}/logo", headers={**headers, "Content-Type": "image/png"}, data=b"\x89PNG-logo"
    )
    assert uploaded.status == 200, await uploaded.text()
    found = await client.get("/v2/whitelabel/PORTAL.nw.test")
    assert found.status == 200
    assert (await found.json())["data"]["domain"] == "Portal.NW.test"
    logo = await client.get("/v2/whitelabel/portal.nw.test/logo")
    assert (logo.status, logo.content_type, await logo.read()) == (
        200,
        "image/png",
        b"\x89PNG-logo",
    )
    own = await client.get(f"{path}/logo", headers=headers)
    assert await own.read() == b"\x89PNG-logo"
    unknown = await client.get("/v2/whitelabel/nobody.test")
    assert unknown.status == 404
    assert (await unknown.json())["data"]["cause"] == "nobody.test"
    refused = await client.post("/v2/whitelabel/portal.nw.test/logo", data=b"x")
    assert refused.status == 405


async def test_whitelabel_files_need_a_login_on_the_account_path(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    path = f"/v2/accounts/{tree.reseller['id']}/whitelabel/logo"
    assert (await client.get(path)).status == 401
    other = await auth_headers("other")
    upload = await client.post(path, headers={**other, "Content-Type": "image/png"}, data=b"x")
    assert upload.status == 403


async def test_a_stale_token_is_ignored_where_no_login_is_needed(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("reseller")
    path = f"/v2/accounts/{tree.reseller['id']}/whitelabel"
    await client.put(path, headers=headers, json={"data": {"domain": "stale.nw.test"}})
    stale = {"X-Auth-Token": "not-a-token-anymore"}
    found = await client.get("/v2/whitelabel/stale.nw.test", headers=stale)
    assert found.status == 200
    assert "auth_token" not in await found.json()
    assert (await client.get(path, headers=stale)).status == 401
    assert (await client.get("/v2/whitelabel/stale.nw.test/nothing", headers=stale)).status == 401

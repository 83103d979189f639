"""configs/{category}: the account's settings over its reseller's; empty when none are set."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from tests.conftest import Tree
from tests.resources.clients import at


async def test_account_settings_merge_over_the_resellers(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    customer, reseller = await auth_headers("customer"), await auth_headers("reseller")
    path = at(tree.customer, "/configs/kazoo_endpoint")
    empty = await client.get(path, headers=customer)
    assert (empty.status, (await empty.json())["data"]) == (200, {"id": "configs_kazoo_endpoint"})
    await client.post(
        at(tree.reseller, "/configs/kazoo_endpoint"),
        headers=reseller,
        json={"data": {"codecs": ["PCMU"], "timeout": 30}},
    )
    mine = await client.put(path, headers=customer, json={"data": {"timeout": 20}})
    assert (await mine.json())["data"] == {
        "codecs": ["PCMU"],
        "timeout": 20,
        "id": "configs_kazoo_endpoint",
    }
    patched = await client.patch(path, headers=customer, json={"data": {"ring": True}})
    assert (await patched.json())["data"]["timeout"] == 20
    deleted = await client.delete(path, headers=customer)
    assert (await deleted.json())["data"] == {
        "codecs": ["PCMU"],
        "timeout": 30,
        "id": "configs_kazoo_endpoint",
    }


async def test_configs_refuse_bad_categories_bodies_and_strangers(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    customer = await auth_headers("customer")
    assert (
        await client.get(at(tree.customer, "/configs/Bad*Name"), headers=customer)
    ).status == 404
    array = await client.post(
        at(tree.customer, "/configs/notify"), headers=customer, json={"data": [1]}
    )
    assert array.status == 400
    stranger = await client.get(
        at(tree.customer, "/configs/notify"), headers=await auth_headers("other")
    )
    assert stranger.status == 403

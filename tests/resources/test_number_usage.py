"""A number routed by a callflow shows used_by "callflow", however the two were created."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from tests.conftest import Tree

NUMBER = "+14155550199"


async def used_by(client: TestClient[Any, Any], base: str, headers: Any) -> Any:
    response = await client.get(f"{base}/phone_numbers/%2B14155550199", headers=headers)
    body = await response.json()
    assert response.status == 200, body
    return body["data"].get("used_by")


async def test_used_by_follows_the_callflow(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    base = f"/v2/accounts/{tree.customer['id']}"
    added = await client.put(
        f"{base}/phone_numbers/%2B14155550199", headers=headers, json={"data": {}}
    )
    assert added.status == 201
    assert await used_by(client, base, headers) is None
    flow = {"module": "user", "data": {"id": tree.users["customer"]["id"]}}
    created = await client.put(
        f"{base}/callflows",
        headers=headers,
        json={"data": {"numbers": ["4155550199"], "flow": flow}},
    )
    callflow_id = (await created.json())["data"]["id"]
    assert await used_by(client, base, headers) == "callflow"
    await client.patch(
        f"{base}/callflows/{callflow_id}", headers=headers, json={"data": {"numbers": ["1234"]}}
    )
    assert await used_by(client, base, headers) is None
    await client.patch(
        f"{base}/callflows/{callflow_id}", headers=headers, json={"data": {"numbers": [NUMBER]}}
    )
    assert await used_by(client, base, headers) == "callflow"
    assert (await client.delete(f"{base}/callflows/{callflow_id}", headers=headers)).status == 200
    assert await used_by(client, base, headers) is None


async def test_a_number_added_after_its_callflow_is_already_used(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    base = f"/v2/accounts/{tree.customer['id']}"
    flow = {"module": "user", "data": {"id": tree.users["customer"]["id"]}}
    created = await client.put(
        f"{base}/callflows", headers=headers, json={"data": {"numbers": [NUMBER], "flow": flow}}
    )
    assert created.status == 201
    await client.put(f"{base}/phone_numbers/%2B14155550199", headers=headers, json={"data": {}})
    assert await used_by(client, base, headers) == "callflow"
    listing = await client.get(f"{base}/phone_numbers", headers=headers)
    numbers = (await listing.json())["data"]["numbers"]
    assert numbers[NUMBER]["used_by"] == "callflow"

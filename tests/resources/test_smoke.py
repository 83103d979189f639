"""A Kazoo client logs in and walks its tree."""

from typing import Any

from aiohttp.test_utils import TestClient

from tests.conftest import Tree


async def test_login_then_list_children(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("reseller")
    response = await client.get(f"/v2/accounts/{tree.reseller['id']}/children", headers=headers)
    body = await response.json()
    assert response.status == 200
    assert [row["name"] for row in body["data"]] == ["Customer Two", "Customer One"]

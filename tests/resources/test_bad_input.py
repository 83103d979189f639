"""Bodies too deep or too large to walk are refused with 400 before anything reads them."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from gateway.crossbar.body import MAX_DEPTH
from tests.conftest import Tree
from tests.resources.clients import at


def nested(depth: int) -> str:
    """A JSON envelope whose data nests `depth` objects deep in total."""
    return '{"data": {"name": "x", "n": ' + '{"a": ' * (depth - 3) + "1" + "}" * (depth - 3) + "}}"


async def test_a_body_nested_thousands_deep_is_a_400_and_stores_nothing(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = {**await auth_headers("customer"), "Content-Type": "application/json"}
    for depth in (MAX_DEPTH + 1, 5000, 50_000):
        response = await client.put(
            at(tree.customer, "/groups"), data=nested(depth), headers=headers
        )
        body = await response.json()
        assert response.status == 400, (depth, body)
        assert "maxDepth" in body["data"]["json"]
    listed = await client.get(at(tree.customer, "/groups"), headers=headers)
    assert (await listed.json())["data"] == []


async def test_a_body_at_the_depth_bound_is_accepted(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = {**await auth_headers("customer"), "Content-Type": "application/json"}
    response = await client.put(
        at(tree.customer, "/groups"), data=nested(MAX_DEPTH), headers=headers
    )
    assert response.status == 201, await response.text()


async def test_a_deep_callflow_within_the_bound_validates(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    flow: dict[str, Any] = {"module": "hangup", "data": {}}
    for _ in range(MAX_DEPTH // 2 - 3):
        flow = {"module": "sleep", "data": {"duration": 1}, "children": {"_": flow}}
    response = await client.put(
        at(tree.customer, "/callflows"),
        json={"data": {"numbers": ["5550"], "flow": flow}},
        headers=headers,
    )
    assert response.status == 201, await response.text()


async def test_a_body_with_too_many_values_is_a_400(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = {**await auth_headers("customer"), "Content-Type": "application/json"}
    many = '{"data": {"name": "x", "list": [' + ",".join(["1"] * 100_001) + "]}}"
    response = await client.put(at(tree.customer, "/groups"), data=many, headers=headers)
    assert response.status == 400
    assert "maxItems" in (await response.json())["data"]["json"]

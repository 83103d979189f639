"""GET /v2/schemas serves our schemas as JSON Schema, without a login."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient


async def test_schema_names_are_listed_without_a_token(client: TestClient[Any, Any]) -> None:
    response = await client.get("/v2/schemas")
    body = await response.json()
    assert response.status == 200
    assert {"accounts", "users"} <= set(body["data"])


async def test_a_schema_carries_types_limits_enums_defaults_and_required(
    client: TestClient[Any, Any],
) -> None:
    response = await client.get("/v2/schemas/users")
    schema = (await response.json())["data"]
    assert response.status == 200
    assert schema["id"] == "users"
    assert schema["required"] == ["first_name", "last_name"]
    properties = schema["properties"]
    assert properties["first_name"] == {"type": "string", "minLength": 1, "maxLength": 128}
    assert properties["priv_level"] == {
        "type": "string",
        "enum": ["user", "admin"],
        "default": "user",
    }
    assert properties["enabled"] == {"type": "boolean", "default": True}
    assert properties["caller_id"]["properties"]["internal"]["properties"]["number"] == {
        "type": "string",
        "maxLength": 35,
    }
    assert properties["hotdesk"]["default"]["require_pin"] is False


async def test_an_unknown_schema_is_404(client: TestClient[Any, Any]) -> None:
    response = await client.get("/v2/schemas/nope")
    body = await response.json()
    assert response.status == 404
    assert body["data"] == {"cause": "nope", "message": "bad identifier"}


async def test_every_resource_schema_renders(client: TestClient[Any, Any]) -> None:
    names = (await (await client.get("/v2/schemas")).json())["data"]
    assert {"devices", "callflows", "vmboxes", "media", "phone_numbers", "webhooks"} <= set(names)
    for name in names:
        response = await client.get(f"/v2/schemas/{name}")
        schema = (await response.json())["data"]
        assert response.status == 200 and schema["type"] == "object", name
    flow = (await (await client.get("/v2/schemas/callflows")).json())["data"]
    children = flow["properties"]["flow"]["properties"]["children"]
    assert children == {"type": "object", "additionalProperties": {"type": "object"}}
    device = (await (await client.get("/v2/schemas/devices")).json())["data"]
    assert "exclude" in device["properties"]["contact_list"]["properties"]

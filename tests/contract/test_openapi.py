"""The generated OpenAPI contract: valid 3.1, served bare, and in step with the routes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from openapi_spec_validator import validate

from gateway.crossbar.resource import ID, Registry
from gateway.openapi import CONTRACT_PATH, build_document
from gateway.resources import RESOURCES

VERBS = ("get", "put", "post", "patch", "delete")
_PLACEHOLDER = re.compile(r"\{[^}]+\}")
MADE_UP_ID = "0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    """The contract of the full registry."""
    return build_document(Registry.of(RESOURCES))


def shape(path: str) -> str:
    """A path with every placeholder as `{}`."""
    return _PLACEHOLDER.sub("{}", path)


def documented(document: dict[str, Any]) -> set[tuple[str, str]]:
    """(path shape, VERB) of every documented operation."""
    return {
        (shape(path), verb.upper())
        for path, item in document["paths"].items()
        for verb in VERBS
        if verb in item
    }


def served(registry: Registry) -> set[tuple[str, str]]:
    """(path shape, VERB) of every route at the account (or at /v2 for unscoped ones)."""
    found = set()
    for resource in registry.resources.values():
        base = f"/v2/accounts/{{}}/{resource.name}" if resource.scoped else f"/v2/{resource.name}"
        placed = [(base, route) for route in resource.routes]
        placed += [(f"/v2/{resource.name}", route) for route in resource.unscoped]
        for prefix, route in placed:
            tail = "".join("/{}" if part == ID else f"/{part}" for part in route.pattern)
            found.update((prefix + tail, verb) for verb in route.handlers)
    return found


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_route_and_verb_the_registry_serves_is_documented(
    document: dict[str, Any],
) -> None:
    missing = served(Registry.of(RESOURCES)) - documented(document)
    assert not missing, sorted(missing)


def test_nested_and_subtree_chains_are_documented(document: dict[str, Any]) -> None:
    paths = set(document["paths"])
    assert "/v2/accounts/{account_id}/users/{user_id}/devices" in paths
    assert "/v2/accounts/{account_id}/descendants/webhooks" in paths
    assert "/v2/accounts/{account_id}/devices/{device_id}/channels" in paths


def test_operation_ids_are_unique(document: dict[str, Any]) -> None:
    ids = [
        item[verb]["operationId"]
        for item in document["paths"].values()
        for verb in VERBS
        if verb in item
    ]
    assert len(ids) == len(set(ids))


def test_patch_bodies_require_no_key_and_other_writes_use_the_schema(
    document: dict[str, Any],
) -> None:
    item = document["paths"]["/v2/accounts/{account_id}/users/{user_id}"]
    schemas = document["components"]["schemas"]

    def data_schema(verb: str) -> dict[str, Any]:
        body = item[verb]["requestBody"]["content"]["application/json"]["schema"]
        assert body["required"] == ["data"]
        name = body["properties"]["data"]["$ref"].rsplit("/", 1)[-1]
        return dict(schemas[name])

    assert data_schema("post")["required"] == ["first_name", "last_name"]
    assert "required" not in data_schema("patch")


def test_public_verbs_need_no_token_and_the_rest_do(document: dict[str, Any]) -> None:
    assert document["components"]["securitySchemes"]["authToken"]["name"] == "X-Auth-Token"
    assert document["paths"]["/v2/user_auth"]["put"]["security"] == []
    assert document["paths"]["/v2/webhooks"]["get"]["security"] == []
    assert "security" not in document["paths"]["/v2/accounts/{account_id}/users"]["get"]


def test_listings_and_writes_carry_their_parameters(document: dict[str, Any]) -> None:
    users = document["paths"]["/v2/accounts/{account_id}/users"]
    listing = {parameter["$ref"].rsplit("/", 1)[-1] for parameter in users["get"]["parameters"]}
    assert {"page_size", "start_key", "paginate", "filters", "accept"} <= listing
    created = {parameter["$ref"].rsplit("/", 1)[-1] for parameter in users["put"]["parameters"]}
    assert "Idempotency-Key" in created
    assert set(users["get"]["responses"]["200"]["content"]) == {"application/json", "text/csv"}
    assert "Retry-After" in document["components"]["responses"]["Error429"]["headers"]


def test_binary_routes_document_their_media_types(document: dict[str, Any]) -> None:
    raw = document["paths"]["/v2/accounts/{account_id}/media/{media_id}/raw"]
    assert {"audio/mpeg", "multipart/form-data"} <= set(raw["post"]["requestBody"]["content"])
    assert "audio/mpeg" in raw["get"]["responses"]["200"]["content"]


async def test_the_contract_needs_no_login_and_has_no_envelope(
    client: TestClient[Any, Any],
) -> None:
    response = await client.get(CONTRACT_PATH)
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/json"
    body = await response.json()
    assert body["openapi"] == "3.1.0"
    assert not {"data", "status", "request_id", "auth_token"} & set(body)
    again = await client.get(CONTRACT_PATH, headers={"X-Auth-Token": "not-a-token"})
    assert await again.json() == body


async def test_every_documented_operation_is_routed(
    client: TestClient[Any, Any], document: dict[str, Any]
) -> None:
    unrouted = []
    for path, item in document["paths"].items():
        concrete = _PLACEHOLDER.sub(MADE_UP_ID, path)
        for verb in VERBS:
            if verb not in item:
                continue
            response = await client.request(verb.upper(), concrete)
            if response.status == 405:
                unrouted.append((verb, path, 405))
            elif response.status == 404 and response.content_type == "application/json":
                if (await response.json()).get("message") == "not_found":
                    unrouted.append((verb, path, 404))
    assert not unrouted, unrouted

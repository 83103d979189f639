"""The helpers endpoint modules build on: the route table, prefixed ids, cursor pages, field
validation."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient, make_mocked_request

from gateway.auth.api_keys import API_KEYS, grants
from gateway.crossbar.context import Context
from gateway.dialects.dodev.body import StrictSchema, load_fields
from gateway.dialects.dodev.endpoint import Answer, Call, Endpoint
from gateway.dialects.dodev.errors import PbxError
from gateway.dialects.dodev.ids import EXTENSION, INBOUND_NUMBER
from gateway.dialects.dodev.pages import cursor_page
from gateway.dialects.dodev.routes import TABLE, compile_table, match
from schemas.api_keys import SCOPES
from schemas.fields import Bool, Str
from tests.conftest import Tree
from tests.dialects.dodev.helpers import mint

HEX = "0123456789abcdef" * 2


async def answer(call: Call) -> Answer:
    return Answer(dict(call.params))


ROUTES = compile_table(
    [
        Endpoint("GET", "extensions", "pbx:extensions:read", answer),
        Endpoint("POST", "extensions", "pbx:extensions:write", answer),
        Endpoint("GET", "extensions/stats", "pbx:extensions:read", answer),
        Endpoint("PATCH", "extensions/{id}", "pbx:extensions:write", answer),
    ]
)


def test_routes_match_literals_before_values_and_refuse_other_verbs() -> None:
    endpoint, values = match("extensions/stats", "GET", ROUTES)
    assert endpoint.path == "extensions/stats" and values == {}
    endpoint, values = match("/extensions/ext_1/", "PATCH", ROUTES)
    assert endpoint.scope == "pbx:extensions:write" and values == {"id": "ext_1"}
    with pytest.raises(PbxError) as refused:
        match("extensions/ext_1", "GET", ROUTES)
    assert refused.value.status == 405 and refused.value.headers["Allow"] == "PATCH"
    with pytest.raises(PbxError) as missing:
        match("extensions/ext_1/more", "GET", ROUTES)
    assert missing.value.status == 404


def test_a_verb_declared_twice_on_a_path_is_refused() -> None:
    twice = [Endpoint("GET", "x", "pbx:settings:read", answer)] * 2
    with pytest.raises(ValueError, match="declared twice"):
        compile_table(twice)


def test_every_endpoint_needs_a_known_scope() -> None:
    assert TABLE and all(endpoint.scope in SCOPES for endpoint in TABLE)
    assert all(endpoint.scope.count(":") == 2 for endpoint in TABLE)


def test_write_scopes_grant_no_reads() -> None:
    assert grants(frozenset({"pbx:*:write"}), "pbx:settings:write")
    assert not grants(frozenset({"pbx:*:write"}), "pbx:settings:read")
    assert not grants(frozenset({"pbx:settings:write"}), "pbx:settings:read")
    assert grants(frozenset({"pbx:*"}), "pbx:webrtc:read")


def test_prefixed_ids_name_their_document_or_nothing() -> None:
    assert EXTENSION.public(HEX) == f"ext_{HEX}"
    assert EXTENSION.document_id(f"ext_{HEX}") == HEX
    for wrong in (
        f"did_{HEX}",
        HEX,
        "ext_abc123",
        f"ext_{HEX.upper()}",
        f"ext_{HEX}\n",
        f"ext_{HEX}0",
    ):
        with pytest.raises(PbxError) as refused:
            EXTENSION.document_id(wrong)
        assert refused.value.status == 404 and refused.value.code == "EXTENSION_NOT_FOUND"
    assert refused.value.message == f"Extension with ID ext_{HEX}0 not found"
    assert INBOUND_NUMBER.not_found("did_x").code == "NUMBER_NOT_FOUND"


class Wanted(StrictSchema):
    name = Str(required=True, min_length=1)
    enabled = Bool()


def test_load_fields_names_each_bad_or_unknown_field() -> None:
    assert load_fields(Wanted, {"name": "a", "enabled": True}) == {"name": "a", "enabled": True}
    with pytest.raises(PbxError) as refused:
        load_fields(Wanted, {"enabled": 3, "colour": "red"})
    error = refused.value
    assert error.status == 400 and error.code == "VALIDATION_ERROR"
    assert {(item["field"], item["rule"]) for item in error.extra["fields"]} == {
        ("name", "required"),
        ("enabled", "type"),
        ("colour", "unknown"),
    }


async def test_cursor_pages_walk_a_listing_once(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    made = [await mint(client, headers, tree.customer, name=f"key {n}") for n in range(5)]
    await mint(client, await auth_headers("other"), tree.other)

    def call(query: str) -> Call:
        request = make_mocked_request("GET", f"/v1/pbx/keys{query}", app=client.app)
        ctx = Context(app=client.app, request_id="r", verb="GET", request=request)
        ctx.account_id = tree.customer["id"]
        return Call(ctx, {})

    seen: list[str] = []
    cursor = ""
    for _ in range(3):
        page = await cursor_page(call(f"?limit=2{cursor}"), API_KEYS, "keys", item)
        seen += [row["name"] for row in page.body["keys"]]
        cursor = f"&cursor={page.body['nextCursor']}" if page.body["nextCursor"] else ""
    assert seen == [key["name"] for key in made] and not cursor
    for bad in ("?limit=0", "?limit=101", "?limit=x", "?cursor=zzz"):
        with pytest.raises(PbxError) as refused:
            await cursor_page(call(bad), API_KEYS, "keys", item)
        assert refused.value.code == "VALIDATION_ERROR"


def item(doc: dict[str, Any]) -> dict[str, Any]:
    return {"name": doc["name"]}

"""What a Kazoo client sees on every reply: envelope keys, headers, CORS, hidden fields."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp import web

from gateway.keys import STORE
from gateway.store import StoreUnavailable
from tests.resources.clients import Api

HEX32 = re.compile(r"^[0-9a-f]{32}$")
ERROR_KEYS = {"data", "error", "message", "request_id", "status", "timestamp", "node"}
DOC_KEYS = {"auth_token", "data", "node", "request_id", "revision", "status", "timestamp"}
# Kazoo master's `tokens`: the request bucket after this request.
DOC_KEYS |= {"version", "tokens"}
ALLOW_HEADERS = (
    "content-type, depth, user-agent, x-http-method-override, x-file-size, x-requested-with, "
    "if-modified-since, x-file-name, cache-control, x-auth-token, x-kazoo-cluster-id, if-match"
)
EXPOSE = {"content-type", "x-auth-token", "x-request-id", "x-kazoo-cluster-id", "location", "etag"}
PREFLIGHT = {"Origin": "https://ui.example", "Access-Control-Request-Method": "PUT"}


def assert_public(doc: dict[str, Any]) -> None:
    leaked = [key for key in doc if key.startswith(("_", "pvt_")) and key != "_read_only"]
    assert leaked == [], doc
    assert "password" not in doc, doc


def listed(header: str) -> list[str]:
    return [item.strip() for item in header.split(",")]


async def test_document_success_envelope_has_exactly_kazoo_keys(api: Api) -> None:
    user = (await api.create_user())["data"]
    status, body = await api.call("GET", api.users(user["id"]))
    assert status == 200
    assert set(body) == DOC_KEYS
    assert body["status"] == "success"
    assert body["auth_token"] == api.headers["X-Auth-Token"]
    assert body["data"]["id"] == user["id"]
    assert re.match(r"^\d+-[0-9a-f]{32}$", body["revision"])
    stamp = datetime.strptime(body["timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - stamp).total_seconds()) < 60
    assert re.match(r"^[A-Za-z0-9_-]{22}$", body["node"])
    assert isinstance(body["version"], str) and body["version"]


async def test_listing_envelope_adds_page_size_and_a_content_revision(api: Api) -> None:
    status, body = await api.call("GET", api.users())
    assert status == 200
    assert set(body) == DOC_KEYS | {"page_size"}
    assert isinstance(body["data"], list) and body["page_size"] == len(body["data"]) == 1
    assert HEX32.match(body["revision"])


async def test_error_envelope_carries_code_as_string_and_no_revision(api: Api) -> None:
    status, body = await api.call("GET", api.users("0" * 32))
    assert status == 404
    assert ERROR_KEYS | {"auth_token"} <= set(body) <= ERROR_KEYS | {"auth_token", "version"}
    assert (body["status"], body["error"], body["message"]) == ("error", "404", "bad_identifier")
    assert body["data"] == {"cause": "0" * 32, "message": "bad identifier"}
    assert body["auth_token"] == api.headers["X-Auth-Token"]


async def test_json_replies_have_content_type_exactly_application_json(api: Api) -> None:
    json_type = {"Content-Type": "application/json"}
    replies = [
        await api.send("PUT", api.users(), json={"data": {"first_name": "A", "last_name": "B"}}),
        await api.send("GET", api.users()),
        await api.send("GET", api.users("0" * 32)),
        await api.send("GET", "/v2/foo", auth=False),
        await api.send("POST", api.users(), json={"data": {}}),
        await api.send("PUT", api.users(), data=b"{oops", headers=json_type),
        await api.send("GET", f"/v1/accounts/{api.tree.customer['id']}/users"),
    ]
    assert [r.status for r in replies] == [201, 200, 404, 401, 405, 400, 410]
    assert {r.headers["Content-Type"] for r in replies} == {"application/json"}


@pytest.mark.parametrize("path", ["/v2/account/users", "/v2/foo"])
async def test_request_id_is_echoed_in_header_and_body(api: Api, path: str) -> None:
    response = await api.send("GET", path, headers={"X-Request-ID": "monster-42.abc"})
    body = await response.json()
    assert response.status in (200, 404)
    assert response.headers["X-Request-ID"] == body["request_id"] == "monster-42.abc"


@pytest.mark.parametrize("path", ["/v2/account/users", "/v2/foo"])
async def test_request_id_is_generated_as_32_hex_when_not_sent(api: Api, path: str) -> None:
    seen = set()
    for _ in range(2):
        response = await api.send("GET", path)
        body = await response.json()
        assert response.headers["X-Request-ID"] == body["request_id"]
        assert HEX32.match(body["request_id"])
        seen.add(body["request_id"])
    assert len(seen) == 2


@pytest.mark.parametrize(
    # `/api` itself is the Kazi dialect's (tests/dialects/kazi).
    ("method", "path"),
    [("GET", "/"), ("POST", "/foo"), ("DELETE", "/apis/v2/accounts")],
)
async def test_non_api_path_answers_a_plain_text_banner(api: Api, method: str, path: str) -> None:
    response = await api.send(method, path, auth=False)
    assert response.status == 200
    assert response.content_type == "text/plain"
    assert (await response.text()).strip()


@pytest.mark.parametrize("listing", [False, True])
async def test_get_etag_is_the_quoted_revision_and_if_none_match_gives_304(
    api: Api, listing: bool
) -> None:
    path = api.users() if listing else api.users(api.tree.users["customer"]["id"])
    response = await api.send("GET", path)
    body = await response.json()
    assert response.headers.get("ETag") == f'"{body["revision"]}"'
    again = await api.send("GET", path, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status == 304
    assert await again.read() == b""


async def test_errors_carry_cors_headers_without_origin(api: Api) -> None:
    response = await api.send("GET", api.users(), auth=False)
    assert response.status == 401
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Allow-Headers"] == ALLOW_HEADERS
    assert set(listed(response.headers["Access-Control-Expose-Headers"])) == EXPOSE
    assert response.headers["Access-Control-Max-Age"] == "86400"


async def test_error_after_routing_lists_the_resource_verbs_in_cors_methods(api: Api) -> None:
    response = await api.send("GET", api.users(), auth=False)
    assert response.status == 401
    assert response.headers["Access-Control-Allow-Methods"] == "OPTIONS, GET, PUT"


async def test_success_carries_cors_headers_only_for_cors_requests(api: Api) -> None:
    plain = await api.send("GET", api.users())
    assert plain.status == 200
    assert "Access-Control-Allow-Origin" not in plain.headers
    browser = await api.send("GET", api.users(), headers={"Origin": "https://ui.example"})
    assert browser.status == 200
    assert browser.headers["Access-Control-Allow-Origin"] == "*"
    assert browser.headers["Access-Control-Allow-Methods"] == "OPTIONS, GET, PUT"


async def test_preflight_needs_no_token_and_answers_200_with_empty_body(api: Api) -> None:
    response = await api.send("OPTIONS", api.users(), auth=False, headers=PREFLIGHT)
    assert response.status == 200
    assert await response.read() == b""
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert set(listed(response.headers["Access-Control-Allow-Methods"])) == {
        "OPTIONS",
        "GET",
        "PUT",
    }
    assert response.headers["Access-Control-Allow-Headers"] == ALLOW_HEADERS
    assert set(listed(response.headers["Access-Control-Expose-Headers"])) == EXPOSE
    assert response.headers["Access-Control-Max-Age"] == "86400"


async def test_preflight_passes_for_unknown_paths_and_stale_tokens(api: Api) -> None:
    unknown = api.users().replace("/users", "/no_such_module")
    response = await api.send("OPTIONS", unknown, auth=False, headers=PREFLIGHT)
    assert (response.status, response.headers["Access-Control-Allow-Origin"]) == (200, "*")
    stale = {**PREFLIGHT, "X-Auth-Token": "undefined"}
    response = await api.send("OPTIONS", "/v2/auth/tokeninfo", auth=False, headers=stale)
    assert response.status == 200


async def test_preflight_lists_a_requested_method_the_resource_lacks_first(api: Api) -> None:
    headers = {**PREFLIGHT, "Access-Control-Request-Method": "DELETE"}
    response = await api.send("OPTIONS", api.users(), auth=False, headers=headers)
    assert response.status == 200
    # Kazoo api_util:add_cors_headers: [ReqMethod | [OPTIONS | Allowed]] when not allowed
    assert response.headers["Access-Control-Allow-Methods"] == "DELETE, OPTIONS, GET, PUT"


async def test_options_without_cors_headers_is_405(api: Api) -> None:
    status, body = await api.call("OPTIONS", api.users(), auth=False)
    assert (status, body["message"]) == (405, "invalid_method")


async def test_head_is_405_with_no_body(api: Api) -> None:
    response = await api.send("HEAD", api.users())
    assert response.status == 405
    assert await response.read() == b""


async def test_unknown_http_method_is_501(api: Api) -> None:
    response = await api.send("TRACE", api.users())
    assert response.status == 501


async def test_private_fields_and_password_never_leave_the_server(api: Api) -> None:
    private = {"pvt_type": "device", "pvt_account_id": api.tree.other["id"], "_rev": "9-x"}
    created = (await api.create_user(username="ann", password="s3cret-pass", _x=1, **private))[
        "data"
    ]
    assert_public(created)
    status, listing = await api.call("GET", api.users())
    assert created["id"] in [row["id"] for row in listing["data"]]
    for row in listing["data"]:
        assert_public(row)
    path = api.users(created["id"])
    patch = {"pvt_enabled": False, "_id": "x", "timezone": "Europe/Paris"}
    replies = [
        await api.call("GET", path),
        await api.call("PATCH", path, json={"data": patch}),
        await api.call("POST", path, json={"data": {**created, "pvt_deleted": True}}),
        await api.call("DELETE", path),
    ]
    assert [status for status, _ in replies] == [200, 200, 200, 200]
    for _, body in replies:
        assert_public(body["data"])


async def test_internal_error_is_a_500_envelope_without_details(
    api: Api, app: web.Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(app[STORE], "find", broken)
    response = await api.send("GET", api.users())
    text = await response.text()
    body = await response.json()
    assert response.status == 500
    assert response.headers["Content-Type"] == "application/json"
    assert (body["error"], body["status"]) == ("500", "error")
    assert isinstance(body["message"], str) and isinstance(body["data"], dict)
    assert "secret detail" not in text and "RuntimeError" not in text


async def test_unreachable_store_is_503_datastore_unreachable(
    api: Api, app: web.Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def down(*args: Any, **kwargs: Any) -> Any:
        raise StoreUnavailable()

    monkeypatch.setattr(app[STORE], "find", down)
    status, body = await api.call("GET", api.users())
    assert (status, body["message"]) == (503, "datastore_unreachable")
    assert body["data"] == {"message": "datastore timeout"}


@pytest.mark.parametrize(
    ("query", "accept"), [("?accept=csv", None), ("", "text/csv"), ("?accept=csv", "text/xml")]
)
async def test_users_listing_renders_a_csv_attachment(
    api: Api, query: str, accept: str | None
) -> None:
    response = await api.send("GET", api.users() + query, headers={"Accept": accept or "*/*"})
    text = await response.text()
    assert response.status == 200
    assert response.content_type == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="result.csv"'
    header, *rows = text.splitlines()
    assert '"ID"' in header.split(",")
    assert len(rows) == 1 and '"Customer"' in rows[0].split(",")


async def test_accept_nothing_offered_is_406_and_nothing_is_saved(api: Api) -> None:
    data = {"first_name": "Xml", "last_name": "Fan"}
    xml = {"Accept": "application/xml"}
    response = await api.send("PUT", api.users(), json={"data": data}, headers=xml)
    assert response.status == 406
    assert await response.read() == b""
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert HEX32.match(response.headers["X-Request-ID"])
    status, listing = await api.call("GET", api.users())
    assert len(listing["data"]) == 1

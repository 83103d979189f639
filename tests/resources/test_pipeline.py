"""Kazoo's request pipeline through HTTP: paths, bodies, verbs, revisions, tolerated extras."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from aiohttp import web
from yarl import URL

from gateway.keys import STORE, TOKENS
from gateway.settings import Settings
from tests.resources.clients import Api, make_user

UPLOAD_LIMIT = 4096
JSON_TYPE = {"Content-Type": "application/json"}
NO_CREDS = {"message": "invalid credentials"}
NOT_FOUND = {"message": "not found"}
GONE = "API version 1 is not supported. Please upgrade your code to use version 2."


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """A small upload limit so oversize bodies stay cheap."""
    return replace(settings, max_upload_size=UPLOAD_LIMIT)


def expect_error(reply: tuple[int, Any], code: int, message: str, data: Any) -> None:
    status, body = reply
    assert status == code, body
    assert (body["status"], body["error"], body["message"]) == ("error", str(code), message)
    assert body["data"] == data


async def test_api_version_1_is_410_gone(api: Api) -> None:
    reply = await api.call("GET", "/v1" + api.users()[3:], auth=False)
    expect_error(reply, 410, "gone", {"message": GONE})


@pytest.mark.parametrize("path", ["/v2/foo", "/v2/shared_auth", "/v2"])
async def test_unknown_module_is_401_without_token_and_404_with_one(api: Api, path: str) -> None:
    expect_error(await api.call("GET", path, auth=False), 401, "invalid_credentials", NO_CREDS)
    expect_error(await api.call("GET", path), 404, "not_found", NOT_FOUND)


@pytest.mark.parametrize("tail", ["foo", "users/{U}/bogus", "users/{U}/x/y"])
async def test_unknown_sub_path_is_404_not_found_before_auth(api: Api, tail: str) -> None:
    path = api.users()[:-5] + tail.replace("{U}", api.tree.users["customer"]["id"])
    expect_error(await api.call("GET", path, auth=False), 404, "not_found", NOT_FOUND)


BAD_ACCOUNTS = [
    ("abc", "bad identifier", {"message": "invalid account_id 'abc'"}),
    ("", "bad identifier", {"message": "missing account_id"}),
    ("a" * 32, "bad_identifier", {"cause": "a" * 32, "message": "bad identifier"}),
]


@pytest.mark.parametrize(("account", "message", "data"), BAD_ACCOUNTS)
async def test_bad_account_id_is_404_before_authentication(
    api: Api, account: str, message: str, data: Any
) -> None:
    reply = await api.call("GET", f"/v2/accounts/{account}/users", auth=False)
    expect_error(reply, 404, message, data)


@pytest.mark.parametrize("path", ["/v2/accounts/{A}/users", "/v2/accounts/{A}/foo", "/v2/foo"])
async def test_garbage_token_is_401_with_empty_data_before_routing(api: Api, path: str) -> None:
    path = path.replace("{A}", api.tree.customer["id"])
    reply = await api.call("GET", path, auth=False, headers={"X-Auth-Token": "not-a-token"})
    expect_error(reply, 401, "invalid credentials", {})
    assert reply[1]["auth_token"] == "not-a-token"


async def test_expired_token_is_401_with_empty_data(
    api: Api, app: web.Application, auth_headers: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app[TOKENS], "ttl", -120)
    expired = await auth_headers("customer")
    reply = await api.call("GET", api.users(), auth=False, headers=expired)
    expect_error(reply, 401, "invalid credentials", {})


REQUIRED = {"message": "Field is required but missing", "value": "data"}
NOT_OBJECT = {"message": "Value did not match type(s): object, array", "value": "x"}
NOT_OBJECT["target"] = "object, array"


@pytest.mark.parametrize(
    ("raw", "errors"),
    [(b'{"foo": 1}', {"required": REQUIRED}), (b'{"data": "x"}', {"type": NOT_OBJECT})],
)
async def test_bad_envelope_is_400_before_authentication(
    api: Api, raw: bytes, errors: Any
) -> None:
    reply = await api.call("PUT", api.users(), auth=False, data=raw, headers=JSON_TYPE)
    expect_error(reply, 400, "validation error", {"data": errors})


async def test_malformed_json_is_400_json_invalid_before_authentication(api: Api) -> None:
    reply = await api.call("PUT", api.users(), auth=False, data=b'{"data":{', headers=JSON_TYPE)
    status, body = reply
    assert (status, body["error"], body["message"]) == (400, "400", "validation error")
    assert set(body["data"]) == {"json"} and body["data"]["json"]["invalid"]["target"] == "body"
    assert isinstance(body["data"]["json"]["invalid"]["message"], str)


def sized_body(size: int) -> bytes:
    padding = size - len(json.dumps({"data": make_user(notes="")}).encode())
    return json.dumps({"data": make_user(notes="n" * padding)}).encode()


async def in_chunks(raw: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(raw), 1000):
        yield raw[start : start + 1000]


@pytest.mark.parametrize("chunked", [False, True])
async def test_oversized_body_is_400_max_size(api: Api, chunked: bool) -> None:
    raw = sized_body(UPLOAD_LIMIT + 1)
    data = in_chunks(raw) if chunked else raw
    reply = await api.call("PUT", api.users(), auth=False, data=data, headers=JSON_TYPE)
    text = f"Payload or Files must not be more than {UPLOAD_LIMIT} bytes"
    errors = {"file": {"maxSize": {"message": text, "target": UPLOAD_LIMIT}}}
    expect_error(reply, 400, "validation error", errors)


async def test_body_exactly_at_the_limit_is_accepted(api: Api) -> None:
    raw = sized_body(UPLOAD_LIMIT)
    assert len(raw) == UPLOAD_LIMIT
    status, body = await api.call("PUT", api.users(), data=raw, headers=JSON_TYPE)
    assert status == 201, body


async def test_unsupported_content_type_is_415_after_auth_and_saves_nothing(api: Api) -> None:
    xml = {"Content-Type": "text/xml"}
    response = await api.send("PUT", api.users(), auth=False, data=b"<user/>", headers=xml)
    assert response.status == 401
    response = await api.send("PUT", api.users(), data=b"<user/>", headers=xml)
    assert response.status == 415
    assert await response.read() == b""
    assert await api.user_ids() == [api.tree.users["customer"]["id"]]


@pytest.mark.parametrize("content_type", [None, "application/x-www-form-urlencoded"])
async def test_json_body_without_json_content_type_is_read_as_json(
    api: Api, content_type: str | None
) -> None:
    raw = json.dumps({"data": make_user(last_name="Raw")}).encode()
    headers = {"Content-Type": content_type} if content_type else {}
    skip = [] if content_type else ["Content-Type"]
    response = await api.send(
        "PUT", api.users(), data=raw, headers=headers, skip_auto_headers=skip
    )
    assert response.status == 201, (response.status, await response.text())
    assert (await response.json())["data"]["last_name"] == "Raw"


async def test_envelope_keys_are_normalised_and_empty_body_means_empty_data(api: Api) -> None:
    status, body = await api.call("PUT", api.users(), json={"Data": make_user()})
    assert status == 201, body
    status, body = await api.call("PUT", api.users(), data=b"", headers=JSON_TYPE)
    assert (status, body["message"]) == (400, "validation error")
    assert {"first_name", "last_name"} <= set(body["data"])


async def test_put_creates_with_201_and_relative_location(api: Api) -> None:
    response = await api.send("PUT", api.users(), json={"data": make_user()})
    body = await response.json()
    assert response.status == 201
    assert response.headers["Location"] == api.users(body["data"]["id"])
    status, fetched = await api.call("GET", response.headers["Location"])
    assert status == 200 and fetched["data"] == body["data"]


async def test_post_on_collection_is_405_invalid_method_with_allowed_verbs(api: Api) -> None:
    response = await api.send("POST", api.users(), json={"data": make_user()})
    reply = (response.status, await response.json())
    expect_error(reply, 405, "invalid_method", {"message": "method not allowed"})
    assert response.headers["Access-Control-Allow-Methods"] == "OPTIONS, GET, PUT"
    assert {verb.strip() for verb in response.headers["Allow"].split(",")} == {"GET", "PUT"}
    assert await api.user_ids() == [api.tree.users["customer"]["id"]]


async def test_verb_check_comes_before_account_check_and_authentication(api: Api) -> None:
    status, body = await api.call("POST", "/v2/accounts/abc/users", auth=False, json={"data": {}})
    assert (status, body["message"]) == (405, "invalid_method")


async def test_tunnelled_verbs_create_patch_and_delete(api: Api) -> None:
    status, body = await api.call("POST", api.users() + "?verb=DELETE", json={"data": {}})
    assert (status, body["message"]) == (405, "invalid_method")
    response = await api.send("POST", api.users() + "?verb=PUT", json={"data": make_user()})
    created = (await response.json())["data"]
    assert response.status == 201
    assert response.headers["Location"] == api.users(created["id"])
    path = api.users(created["id"])
    status, body = await api.call("POST", path + "?verb=patch", json={"data": {"last_name": "Jo"}})
    assert (status, body["data"]["last_name"], body["data"]["first_name"]) == (200, "Jo", "Ann")
    status, body = await api.call("POST", path, json={"data": {}, "verb": "DELETE"})
    assert (status, body["data"]["_read_only"]) == (200, {"deleted": True})
    assert await api.user_ids() == [api.tree.users["customer"]["id"]]


async def test_patch_deep_merges_replaces_lists_and_null_removes(api: Api) -> None:
    caller_id = {"internal": {"name": "Ann"}}
    created = await api.create_user(email="ann@acme.com", caller_id=caller_id, flags=["a", "b"])
    path = api.users(created["data"]["id"])
    patch = {"vm_to_email_enabled": False, "email": None, "flags": ["c"]}
    patch["caller_id"] = {"internal": {"number": "1001"}}
    status, body = await api.call("PATCH", path, json={"data": patch})
    assert status == 200, body
    assert body["revision"] != created["revision"]
    status, stored = await api.call("GET", path)
    for doc in (body["data"], stored["data"]):
        assert doc["vm_to_email_enabled"] is False and doc["flags"] == ["c"]
        assert doc["caller_id"] == {"internal": {"name": "Ann", "number": "1001"}}
        assert "email" not in doc
        assert (doc["first_name"], doc["last_name"]) == ("Ann", "Smith")
    status, body = await api.call("PATCH", path, json={"data": {"caller_id": {}}})
    assert (status, body["data"]["caller_id"]) == (200, {})


async def test_patch_revalidates_the_merged_document_and_keeps_the_stored_one(api: Api) -> None:
    created = await api.create_user()
    path = api.users(created["data"]["id"])
    status, body = await api.call("PATCH", path, json={"data": {"last_name": None}})
    required = {"message": "Field is required but missing", "value": "last_name"}
    assert (status, body["data"]) == (400, {"last_name": {"required": required}})
    status, stored = await api.call("GET", path)
    assert (stored["data"]["last_name"], stored["revision"]) == ("Smith", created["revision"])


async def test_patch_fails_on_a_stored_field_it_did_not_touch(
    api: Api, app: web.Application
) -> None:
    created = await api.create_user()
    doc = await app[STORE].get("users", created["data"]["id"])
    assert doc is not None
    await app[STORE].replace("users", {**doc, "email": "not-an-email"})
    patch = {"data": {"first_name": "B"}}
    status, body = await api.call("PATCH", api.users(doc["id"]), json=patch)
    assert (status, body["message"]) == (400, "validation error")
    assert set(body["data"]) == {"email"} and "wrong_format" in body["data"]["email"]


async def test_delete_returns_the_deleted_doc_and_later_get_is_404(api: Api) -> None:
    created = (await api.create_user(timezone="Europe/Paris"))["data"]
    status, body = await api.call("DELETE", api.users(created["id"]))
    assert status == 200
    assert body["data"] == {**created, "_read_only": {"deleted": True}}
    missing = {"cause": created["id"], "message": "bad identifier"}
    expect_error(await api.call("GET", api.users(created["id"])), 404, "bad_identifier", missing)


async def test_if_match_guards_writes_and_each_write_changes_the_revision(api: Api) -> None:
    created = await api.create_user()
    path = api.users(created["data"]["id"])
    first = {"If-Match": f'"{created["revision"]}"'}
    status, patched = await api.call(
        "PATCH", path, json={"data": {"last_name": "Jo"}}, headers=first
    )
    assert status == 200 and patched["revision"] != created["revision"]
    stale = await api.send("POST", path, json={"data": make_user(last_name="X")}, headers=first)
    assert stale.status == 412
    assert await stale.read() == b""
    status, stored = await api.call("GET", path)
    assert (stored["data"]["last_name"], stored["revision"]) == ("Jo", patched["revision"])
    current = {"If-Match": f'"{patched["revision"]}"'}
    status, posted = await api.call("POST", path, json={"data": make_user()}, headers=current)
    assert status == 200
    assert len({created["revision"], patched["revision"], posted["revision"]}) == 3


async def test_extra_envelope_keys_and_cache_buster_are_ignored(api: Api) -> None:
    envelope = {"data": make_user(), "ui_metadata": {"ui": "monster-ui"}, "accept_charges": True}
    status, body = await api.call("PUT", api.users(), json=envelope)
    assert status == 201, body
    assert not {"ui_metadata", "accept_charges"} & set(body["data"])
    everyone = await api.user_ids()
    assert len(everyone) == 2
    assert await api.user_ids("?_=1712345678901") == everyone
    status, _ = await api.call("GET", api.users(body["data"]["id"]) + "?_=123")
    assert status == 200


async def test_trailing_slash_and_url_encoded_segments_are_accepted(api: Api) -> None:
    user_id = api.tree.users["customer"]["id"]
    status, body = await api.call("GET", api.users() + "/")
    assert status == 200 and [row["id"] for row in body["data"]] == [user_id]
    encoded = "".join(f"%{ord(char):02X}" for char in user_id)
    path = URL(f"/v2/accounts/{api.tree.customer['id']}/%75sers/{encoded}/", encoded=True)
    status, body = await api.call("GET", path)
    assert status == 200 and body["data"]["id"] == user_id
    status, body = await api.call("GET", URL(api.users("%2B14155551234"), encoded=True))
    assert status == 404 and body["data"]["cause"] == "+14155551234"


async def test_singular_account_alias_needs_a_token(api: Api) -> None:
    reply = await api.call("GET", "/v2/account/users", auth=False)
    expect_error(reply, 401, "invalid_credentials", NO_CREDS)
    status, body = await api.call("GET", "/v2/account/users")
    assert status == 200
    assert [row["id"] for row in body["data"]] == [api.tree.users["customer"]["id"]]

"""`/v1/pbx/settings` over the account document: a change through either API is seen by the
other; validation names each field; an Idempotency-Key replays a PATCH."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.conftest import Tree
from tests.dialects.dodev.helpers import bearer, error_of, mint
from tests.resources.clients import at

Client = TestClient[Any, Any]
SETTINGS = "/v1/pbx/settings"
KEYS = {"timezone", "language", "callerIdName", "callerIdNumber", "holdMusicId"}


async def test_a_patch_here_is_the_account_on_v2_and_back(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    key = bearer(await mint(client, headers, tree.customer))
    shown = await client.get(SETTINGS, headers=key)
    assert shown.status == 200 and set(await shown.json()) == KEYS
    change = {
        "timezone": "Europe/Berlin",
        "language": "de-de",
        "callerIdName": "Acme Corp",
        "callerIdNumber": "2395551234",
        "holdMusicId": "a" * 32,
    }
    patched = await client.patch(SETTINGS, json=change, headers=key)
    assert patched.status == 200 and await patched.json() == change
    account = (await (await client.get(at(tree.customer, ""), headers=headers)).json())["data"]
    assert account["timezone"] == "Europe/Berlin" and account["language"] == "de-de"
    assert account["caller_id"]["external"] == {"name": "Acme Corp", "number": "2395551234"}
    assert account["music_on_hold"] == {"media_id": "a" * 32}
    assert account["name"] == "Customer One"
    v2 = {"data": {"caller_id": {"external": {"name": "Other Name"}}, "language": "fr-fr"}}
    assert (await client.patch(at(tree.customer, ""), json=v2, headers=headers)).status == 200
    again = await (await client.get(SETTINGS, headers=key)).json()
    assert again == {**change, "callerIdName": "Other Name", "language": "fr-fr"}


async def test_null_clears_a_setting_and_absent_keys_stay(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    first = {"callerIdName": "Front Desk", "holdMusicId": "b" * 32}
    assert (await client.patch(SETTINGS, json=first, headers=key)).status == 200
    cleared = await client.patch(SETTINGS, json={"holdMusicId": None}, headers=key)
    body = await cleared.json()
    assert cleared.status == 200 and body["holdMusicId"] is None
    assert body["callerIdName"] == "Front Desk"
    untouched = await client.patch(SETTINGS, json={"callerIdNumber": None}, headers=key)
    assert (await untouched.json())["callerIdNumber"] is None


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"timezone": 5}, {("timezone", "type")}),
        ({"timezone": "UTC"}, {("timezone", "minLength")}),
        (
            {"callerIdName": "x" * 36, "language": []},
            {("callerIdName", "maxLength"), ("language", "type")},
        ),
        ({"colour": "blue"}, {("colour", "unknown")}),
        ([1, 2], {("body", "type")}),
    ],
)
async def test_a_bad_patch_is_400_validation_error_naming_each_field(
    client: Client, tree: Tree, auth_headers: Any, body: Any, fields: set[tuple[str, str]]
) -> None:
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    before = await (await client.get(SETTINGS, headers=key)).json()
    response = await client.patch(SETTINGS, json=body, headers=key)
    error = await error_of(response)
    assert response.status == 400 and error["code"] == "VALIDATION_ERROR"
    assert {(item["field"], item["rule"]) for item in error["fields"]} == fields
    assert all(item["message"] for item in error["fields"])
    assert await (await client.get(SETTINGS, headers=key)).json() == before


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b'{"timezone": ', "body"),
        (b'{"timezone": "Europe/Ber\\u0000lin"}', "timezone"),
        (b'{"language": 99999999999999999999999}', "language"),
        (b"[" * 100 + b"]" * 100, "body"),
    ],
)
async def test_bodies_past_the_bounds_are_400_in_this_shape(
    client: Client, tree: Tree, auth_headers: Any, raw: bytes, field: str
) -> None:
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    response = await client.patch(
        SETTINGS, data=raw, headers={**key, "Content-Type": "application/json"}
    )
    error = await error_of(response)
    assert response.status == 400 and error["code"] == "VALIDATION_ERROR"
    assert [item["field"] for item in error["fields"]] == [field]


async def test_a_body_that_is_not_json_is_415(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    response = await client.patch(
        SETTINGS, data=b"timezone=UTC", headers={**key, "Content-Type": "text/plain"}
    )
    assert response.status == 415
    assert (await error_of(response))["code"] == "UNSUPPORTED_MEDIA_TYPE"


async def test_an_idempotency_key_replays_the_patch(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    key = bearer(await mint(client, headers, tree.customer))
    once = {**key, "Idempotency-Key": "settings-1", "X-Request-ID": "first"}
    first = await client.patch(SETTINGS, json={"language": "it-it"}, headers=once)
    assert first.status == 200 and "Idempotent-Replayed" not in first.headers
    v2 = {"data": {"language": "pt-br"}}
    assert (await client.patch(at(tree.customer, ""), json=v2, headers=headers)).status == 200
    replayed = await client.patch(
        SETTINGS, json={"language": "it-it"}, headers={**once, "X-Request-ID": "second"}
    )
    assert replayed.status == 200 and replayed.headers["Idempotent-Replayed"] == "true"
    assert replayed.headers["X-Request-ID"] == "second"
    assert replayed.headers["X-RateLimit-Limit"] == "60"
    assert await replayed.json() == await first.json()
    assert (await (await client.get(SETTINGS, headers=key)).json())["language"] == "pt-br"
    reused = await client.patch(SETTINGS, json={"language": "es-es"}, headers=once)
    assert reused.status == 422
    assert (await error_of(reused))["code"] == "IDEMPOTENCY_KEY_REUSED"
    bad = await client.patch(
        SETTINGS, json={"language": "es-es"}, headers={**key, "Idempotency-Key": "a b"}
    )
    assert bad.status == 400
    assert (await error_of(bad))["fields"][0]["field"] == "Idempotency-Key"

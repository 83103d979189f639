"""`/v1/pbx/hold-music`: media flagged as music on hold, and signed upload URLs that take one
PUT of the audio without a key (reused, expired or forged ones refused); the audio then plays on
`/v2/accounts/{A}/media/{M}/raw`."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from gateway.dialects.dodev.endpoints import hold_music
from gateway.settings import Settings
from gateway.store import Store
from tests.conftest import Tree
from tests.dialects.dodev.helpers import bearer, error_of, mint
from tests.resources.clients import at
from tests.resources.test_audit import about, trail

Client = TestClient[Any, Any]
HOLD_MUSIC = "/v1/pbx/hold-music"
UPLOAD_URL = f"{HOLD_MUSIC}/upload-url"
AUDIO = b"ID3\x03\x00hold music frames" * 100
MPEG = {"Content-Type": "audio/mpeg"}
LIMIT = 64_000


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, max_upload_size=LIMIT)


async def upload_url(client: Client, key: dict[str, str], **body: Any) -> dict[str, Any]:
    response = await client.post(UPLOAD_URL, json={"name": "Jazz loop", **body}, headers=key)
    reply = await response.json()
    assert response.status == 201, reply
    return dict(reply)


def path_of(url: str) -> str:
    return urlsplit(url).path


async def test_a_signed_url_takes_one_upload_that_then_plays_on_v2(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    key = bearer(await mint(client, headers, tree.customer))
    granted = await upload_url(client, key, durationSeconds=95)
    assert set(granted) == {"uploadUrl", "expiresAt", "mediaId"}
    url = urlsplit(granted["uploadUrl"])
    assert f"{url.scheme}://{url.netloc}" == str(client.make_url("")).rstrip("/")
    assert url.path.startswith(f"{HOLD_MUSIC}/uploads/{granted['mediaId']}.")
    media_id = granted["mediaId"]
    [pending] = (await (await client.get(HOLD_MUSIC, headers=key)).json())["holdMusic"]
    assert pending == {
        "id": media_id,
        "name": "Jazz loop",
        "contentType": None,
        "durationSeconds": 95,
        "createdAt": pending["createdAt"],
    }
    uploaded = await client.put(url.path, data=AUDIO, headers=MPEG)
    body = await uploaded.json()
    assert uploaded.status == 200, body
    assert (body["id"], body["contentType"]) == (media_id, "audio/mpeg")
    raw = await client.get(at(tree.customer, f"/media/{media_id}/raw"), headers=headers)
    assert raw.status == 200 and await raw.read() == AUDIO
    media = await (
        await client.get(at(tree.customer, f"/media/{media_id}"), headers=headers)
    ).json()
    doc = media["data"]
    assert (doc["music_on_hold"], doc["media_source"]) == (True, "upload")
    assert (doc["content_type"], doc["content_length"]) == ("audio/mpeg", len(AUDIO))
    assert not any(name.startswith("pvt_") for name in doc)
    again = await client.put(url.path, data=b"other audio", headers=MPEG)
    assert again.status == 403 and (await error_of(again))["code"] == "UPLOAD_URL_USED"
    raw = await client.get(at(tree.customer, f"/media/{media_id}/raw"), headers=headers)
    assert await raw.read() == AUDIO
    [listed] = (await (await client.get(HOLD_MUSIC, headers=key)).json())["holdMusic"]
    assert listed["contentType"] == "audio/mpeg"


async def test_two_puts_at_once_store_one_audio(
    client: Client, tree: Tree, auth_headers: Any, store: Store
) -> None:
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    path = path_of((await upload_url(client, key))["uploadUrl"])
    first, second = await asyncio.gather(
        client.put(path, data=AUDIO, headers=MPEG),
        client.put(path, data=AUDIO[::-1], headers=MPEG),
    )
    assert sorted([first.status, second.status]) == [200, 403]
    assert await store.files.find_count() == 1


async def test_an_expired_url_is_refused_and_stores_nothing(
    client: Client, tree: Tree, auth_headers: Any, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    monkeypatch.setattr(hold_music, "UPLOAD_SECONDS", -5)
    path = path_of((await upload_url(client, key))["uploadUrl"])
    response = await client.put(path, data=AUDIO, headers=MPEG)
    assert response.status == 403
    assert (await error_of(response))["code"] == "UPLOAD_URL_EXPIRED"
    assert await store.files.find_count() == 0


async def test_a_forged_url_is_401(
    client: Client, tree: Tree, auth_headers: Any, store: Store
) -> None:
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    path = path_of((await upload_url(client, key))["uploadUrl"])
    other = (await upload_url(client, key))["mediaId"]
    token = path.rsplit("/", 1)[1]
    media_id, expires, signature = token.split(".")
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    for forged in (
        f"{media_id}.{expires}.{flipped}",
        f"{media_id}.{int(expires) + 3600}.{signature}",
        f"{other}.{expires}.{signature}",
        f"{media_id}.{expires}",
        "nothing-like-a-token",
    ):
        response = await client.put(f"{HOLD_MUSIC}/uploads/{forged}", data=AUDIO, headers=MPEG)
        assert response.status == 401, forged
        assert (await error_of(response))["code"] == "UNAUTHORIZED"
    assert await store.files.find_count() == 0
    assert (await client.put(path, data=AUDIO, headers=MPEG)).status == 200


async def test_a_failed_upload_leaves_the_url_usable(
    client: Client, tree: Tree, auth_headers: Any, store: Store
) -> None:
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    path = path_of((await upload_url(client, key))["uploadUrl"])
    too_large = await client.put(path, data=b"x" * (LIMIT + 1), headers=MPEG)
    assert too_large.status == 413
    assert (await error_of(too_large))["code"] == "PAYLOAD_TOO_LARGE"
    not_audio = await client.put(path, data=b"{}", headers={"Content-Type": "application/json"})
    assert not_audio.status == 415
    assert (await error_of(not_audio))["code"] == "UNSUPPORTED_MEDIA_TYPE"
    empty = await client.put(path, data=b"", headers=MPEG)
    assert empty.status == 400 and (await error_of(empty))["fields"][0]["field"] == "body"
    assert await store.files.find_count() == 0
    assert (await client.put(path, data=AUDIO, headers=MPEG)).status == 200


async def test_only_flagged_media_of_the_keys_account_is_hold_music(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    key = bearer(await mint(client, headers, tree.customer))
    prompt = await client.put(
        at(tree.customer, "/media"), json={"data": {"name": "Welcome"}}, headers=headers
    )
    assert prompt.status == 201
    made = [(await upload_url(client, key, name=f"Loop {n}"))["mediaId"] for n in range(3)]
    other = bearer(await mint(client, await auth_headers("other"), tree.other))
    assert (await (await client.get(HOLD_MUSIC, headers=other)).json())["holdMusic"] == []
    seen: list[str] = []
    cursor = ""
    while True:
        page = await (await client.get(f"{HOLD_MUSIC}?limit=2{cursor}", headers=key)).json()
        seen += [item["id"] for item in page["holdMusic"]]
        if page["nextCursor"] is None:
            break
        cursor = f"&cursor={page['nextCursor']}"
    assert seen == sorted(made)


async def test_the_hold_music_id_is_what_settings_take(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    key = bearer(await mint(client, headers, tree.customer))
    media_id = (await upload_url(client, key))["mediaId"]
    patched = await client.patch("/v1/pbx/settings", json={"holdMusicId": media_id}, headers=key)
    assert patched.status == 200
    account = (await (await client.get(at(tree.customer), headers=headers)).json())["data"]
    assert account["music_on_hold"] == {"media_id": media_id}


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {("name", "required")}),
        ({"name": ""}, {("name", "minLength")}),
        ({"name": "Loop", "durationSeconds": 0}, {("durationSeconds", "minimum")}),
        ({"name": "Loop", "colour": "blue"}, {("colour", "unknown")}),
    ],
)
async def test_a_bad_upload_url_request_is_400_naming_each_field(
    client: Client, tree: Tree, auth_headers: Any, body: Any, fields: set[tuple[str, str]]
) -> None:
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    response = await client.post(UPLOAD_URL, json=body, headers=key)
    error = await error_of(response)
    assert response.status == 400 and error["code"] == "VALIDATION_ERROR"
    assert {(item["field"], item["rule"]) for item in error["fields"]} == fields
    assert (await (await client.get(HOLD_MUSIC, headers=key)).json())["holdMusic"] == []


async def test_listing_needs_settings_read_and_upload_urls_settings_write(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    reader = bearer(await mint(client, headers, tree.customer, scopes=["pbx:settings:read"]))
    assert (await client.get(HOLD_MUSIC, headers=reader)).status == 200
    refused = await client.post(UPLOAD_URL, json={"name": "Loop"}, headers=reader)
    assert refused.status == 403
    assert (await error_of(refused))["requiredScope"] == "pbx:settings:write"
    writer = bearer(await mint(client, headers, tree.customer, scopes=["pbx:settings:write"]))
    assert (await client.get(HOLD_MUSIC, headers=writer)).status == 403
    assert (await client.post(UPLOAD_URL, json={"name": "Loop"})).status == 401


async def test_the_upload_is_audited_as_the_url_of_the_key_that_asked_for_it(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    minted = await mint(client, headers, tree.customer)
    granted = await upload_url(client, bearer(minted))
    assert (await client.put(path_of(granted["uploadUrl"]), data=AUDIO, headers=MPEG)).ok
    entries = about(await trail(client, app, tree.customer, headers), granted["mediaId"])
    [upload, create] = entries
    assert create["actor"] == {
        "account_id": tree.customer["id"],
        "method": "api_key",
        "key_id": minted["id"],
    }
    assert upload["actor"] == {**create["actor"], "method": "upload_url"}
    assert {"pvt_attachment", "pvt_upload_grant", "content_type"} <= set(upload["changed"])


async def test_a_url_whose_media_was_deleted_is_hold_music_not_found(
    client: Client, tree: Tree, auth_headers: Any, store: Store
) -> None:
    headers = await auth_headers("customer")
    granted = await upload_url(client, bearer(await mint(client, headers, tree.customer)))
    media = at(tree.customer, f"/media/{granted['mediaId']}")
    assert (await client.delete(media, headers=headers)).status == 200
    response = await client.put(path_of(granted["uploadUrl"]), data=AUDIO, headers=MPEG)
    assert response.status == 404
    assert (await error_of(response))["code"] == "HOLD_MUSIC_NOT_FOUND"
    assert await store.files.find_count() == 0

"""media and media/{M}/raw: metadata CRUD, uploads three ways, ranged downloads, references."""

from __future__ import annotations

import base64
import dataclasses
import os
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from gateway.settings import Settings
from gateway.store import Store
from tests.conftest import Tree, login
from tests.resources.clients import at

LIMIT = 400_000


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, max_upload_size=LIMIT)


def media(tree: Tree, tail: str = "", account: str = "customer") -> str:
    return at(getattr(tree, account), f"/media{tail}")


async def create(client: TestClient[Any, Any], tree: Tree, headers: Any, **data: Any) -> Any:
    response = await client.put(media(tree), headers=headers, json={"data": data})
    body = await response.json()
    assert response.status == 201, body
    return body["data"]


async def upload(
    client: TestClient[Any, Any], tree: Tree, headers: Any, media_id: str, data: Any, **hdrs: str
) -> tuple[int, Any]:
    response = await client.post(
        media(tree, f"/{media_id}/raw"), data=data, headers={**headers, **hdrs}
    )
    return response.status, await response.json()


async def test_create_applies_defaults_and_location(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    response = await client.put(media(tree), headers=headers, json={"data": {"name": "Hold"}})
    body = await response.json()
    assert response.status == 201, body
    data = body["data"]
    assert response.headers["Location"].endswith(f"/media/{data['id']}")
    assert data == {
        "id": data["id"],
        "name": "Hold",
        "media_source": "upload",
        "language": "en-us",
        "streamable": True,
        "tts": {"voice": "female/en-US"},
    }
    got = await client.get(media(tree, f"/{data['id']}"), headers=headers)
    assert (await got.json())["data"] == data


async def test_create_validates_name_and_media_source(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    for data, path, rule in (
        ({}, "name", "required"),
        ({"name": "x", "media_source": "fax"}, "media_source", "enum"),
        ({"name": "x" * 129}, "name", "maxLength"),
    ):
        response = await client.put(media(tree), headers=headers, json={"data": data})
        body = await response.json()
        assert response.status == 400, body
        assert rule in body["data"][path]


async def test_listing_rows_ordered_by_id_descending_by_default(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    first = await create(
        client, tree, headers, name="Prompt", prompt_id="vm-enter", language="FR-fr"
    )
    second = await create(client, tree, headers, name="Music", media_type="mp3")
    response = await client.get(media(tree), headers=headers)
    body = await response.json()
    assert response.status == 200
    expected = {
        first["id"]: {
            "id": first["id"],
            "name": "Prompt",
            "media_source": "upload",
            "language": "fr-fr",
            "is_prompt": True,
        },
        second["id"]: {
            "id": second["id"],
            "name": "Music",
            "media_type": "mp3",
            "media_source": "upload",
            "language": "en-us",
            "is_prompt": False,
        },
    }
    assert body["data"] == [expected[key] for key in sorted(expected, reverse=True)]
    ascending = await (await client.get(media(tree, "?ascending=true"), headers=headers)).json()
    assert ascending["data"] == [expected[key] for key in sorted(expected)]


async def test_post_replaces_and_patch_is_not_allowed(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    made = await create(client, tree, headers, name="Old", description="d")
    path = media(tree, f"/{made['id']}")
    response = await client.post(path, headers=headers, json={"data": {"name": "New"}})
    body = await response.json()
    assert response.status == 200, body
    assert body["data"]["name"] == "New" and "description" not in body["data"]
    patched = await client.patch(path, headers=headers, json={"data": {"name": "P"}})
    assert patched.status == 405
    got = await (await client.get(path, headers=headers)).json()
    assert got["data"]["name"] == "New"


async def test_raw_upload_sets_type_and_length_then_ranged_download(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    made = await create(client, tree, headers, name="Greeting", media_source="tts")
    audio = os.urandom(200_000)
    status, body = await upload(
        client, tree, headers, made["id"], audio, **{"Content-Type": "audio/mpeg"}
    )
    assert status == 200, body
    assert body["data"]["content_type"] == "audio/mpeg"
    assert body["data"]["content_length"] == len(audio)
    assert body["data"]["media_source"] == "upload"
    assert not any(key.startswith(("pvt_", "_")) for key in body["data"])
    raw = media(tree, f"/{made['id']}/raw")
    whole = await client.get(raw, headers=headers)
    assert whole.status == 200
    assert whole.headers["Content-Type"] == "audio/mpeg"
    disposition = whole.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=uploaded_file_")
    assert disposition.endswith(".mp3")
    assert await whole.read() == audio
    part = await client.get(raw, headers={**headers, "Range": "bytes=10-19"})
    assert part.status == 206
    assert part.headers["Content-Range"] == f"bytes 10-19/{len(audio)}"
    assert await part.read() == audio[10:20]
    covering = await client.get(raw, headers={**headers, "Range": f"bytes=0-{len(audio)}"})
    assert covering.status == 200
    meta = await (await client.get(media(tree, f"/{made['id']}"), headers=headers)).json()
    assert meta["data"]["content_length"] == len(audio)


async def test_multipart_upload_keeps_the_file_name(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    made = await create(client, tree, headers, name="Menu")
    form = aiohttp.FormData()
    form.add_field("file", b"RIFF-wave", filename="menu.wav", content_type="audio/x-wav")
    status, body = await upload(client, tree, headers, made["id"], form)
    assert status == 200, body
    assert (body["data"]["content_type"], body["data"]["content_length"]) == ("audio/x-wav", 9)
    got = await client.get(media(tree, f"/{made['id']}/raw"), headers=headers)
    assert got.headers["Content-Disposition"] == "attachment; filename=menu.wav"
    assert (got.headers["Content-Type"], await got.read()) == ("audio/x-wav", b"RIFF-wave")


async def test_base64_data_uri_upload(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    made = await create(client, tree, headers, name="Ogg")
    uri = "data:audio/ogg;base64," + base64.b64encode(b"OggS-bytes").decode()
    status, body = await upload(
        client, tree, headers, made["id"], uri, **{"Content-Type": "application/base64"}
    )
    assert status == 200, body
    assert body["data"]["content_type"] == "audio/ogg"
    got = await client.get(media(tree, f"/{made['id']}/raw"), headers=headers)
    assert (got.headers["Content-Type"], await got.read()) == ("audio/ogg", b"OggS-bytes")


async def test_post_with_audio_body_on_the_document_is_an_upload(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    made = await create(client, tree, headers, name="Direct")
    response = await client.post(
        media(tree, f"/{made['id']}"),
        data=b"mp3!",
        headers={**headers, "Content-Type": "audio/mp3", "X-File-Name": "direct.mp3"},
    )
    body = await response.json()
    assert response.status == 200, body
    assert body["data"]["name"] == "Direct" and body["data"]["content_length"] == 4
    got = await client.get(media(tree, f"/{made['id']}/raw"), headers=headers)
    assert got.headers["Content-Disposition"] == "attachment; filename=direct.mp3"


async def test_replacing_the_audio_deletes_the_old_file(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any, store: Store
) -> None:
    headers = await auth_headers("customer")
    made = await create(client, tree, headers, name="Twice")
    ctype = {"Content-Type": "audio/wav"}
    assert (await upload(client, tree, headers, made["id"], b"one", **ctype))[0] == 200
    assert await store.files.find_count() == 1
    assert (await upload(client, tree, headers, made["id"], b"second", **ctype))[0] == 200
    assert await store.files.find_count() == 1
    got = await client.get(media(tree, f"/{made['id']}/raw"), headers=headers)
    assert await got.read() == b"second"


async def test_oversize_upload_is_400_max_size_and_keeps_the_old_audio(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any, store: Store
) -> None:
    headers = await auth_headers("customer")
    made = await create(client, tree, headers, name="Big")
    ctype = {"Content-Type": "audio/mpeg"}
    assert (await upload(client, tree, headers, made["id"], b"small", **ctype))[0] == 200

    async def chunks() -> Any:
        for _ in range(LIMIT // 50_000 + 2):
            yield b"x" * 50_000

    status, body = await upload(client, tree, headers, made["id"], chunks(), **ctype)
    assert status == 400, body
    assert body["data"]["file"]["maxSize"]["target"] == LIMIT
    got = await client.get(media(tree, f"/{made['id']}/raw"), headers=headers)
    assert await got.read() == b"small"
    assert await store.files.find_count() == 1


async def test_upload_of_an_unsupported_type_is_400_and_stores_nothing(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any, store: Store
) -> None:
    headers = await auth_headers("customer")
    made = await create(client, tree, headers, name="Odd")
    status, body = await upload(
        client, tree, headers, made["id"], b"zz", **{"Content-Type": "application/octet-stream"}
    )
    assert status == 400, body
    assert "enum" in body["data"]["content_type"]
    assert await store.files.find_count() == 0


async def test_raw_before_upload_is_404(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    made = await create(client, tree, headers, name="Empty")
    response = await client.get(media(tree, f"/{made['id']}/raw"), headers=headers)
    body = await response.json()
    assert response.status == 404
    assert body["error"] == "404" and body["message"] == "bad_identifier"


async def test_delete_removes_document_and_audio(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any, store: Store
) -> None:
    headers = await auth_headers("customer")
    made = await create(client, tree, headers, name="Gone")
    await upload(client, tree, headers, made["id"], b"abc", **{"Content-Type": "audio/ogg"})
    response = await client.delete(media(tree, f"/{made['id']}"), headers=headers)
    body = await response.json()
    assert response.status == 200, body
    assert body["data"]["_read_only"] == {"deleted": True}
    assert (await client.get(media(tree, f"/{made['id']}"), headers=headers)).status == 404
    assert await store.files.find_count() == 0


async def test_delete_is_refused_while_a_callflow_plays_it(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    made = await create(client, tree, headers, name="Used")
    callflow = {"numbers": ["2000"], "flow": {"module": "play", "data": {"id": made["id"]}}}
    created = await client.put(
        at(tree.customer, "/callflows"), headers=headers, json={"data": callflow}
    )
    callflow_id = (await created.json())["data"]["id"]
    assert created.status == 201
    response = await client.delete(media(tree, f"/{made['id']}"), headers=headers)
    body = await response.json()
    assert response.status == 400, body
    assert body["data"]["id"]["referenced"]["cause"] == callflow_id
    assert (await client.get(media(tree, f"/{made['id']}"), headers=headers)).status == 200
    gone = await client.delete(at(tree.customer, f"/callflows/{callflow_id}"), headers=headers)
    assert gone.status == 200
    response = await client.delete(media(tree, f"/{made['id']}"), headers=headers)
    assert response.status == 200


async def test_media_of_another_account_is_404(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    other = await auth_headers("other")
    response = await client.put(
        media(tree, account="other"), headers=other, json={"data": {"name": "Theirs"}}
    )
    their_id = (await response.json())["data"]["id"]
    headers = await auth_headers("customer")
    for method, tail in (("GET", ""), ("DELETE", ""), ("GET", "/raw")):
        got = await client.request(method, media(tree, f"/{their_id}{tail}"), headers=headers)
        assert got.status == 404, (method, tail)
    refused = await client.post(
        media(tree, f"/{their_id}/raw"),
        data=b"x",
        headers={**headers, "Content-Type": "audio/mpeg"},
    )
    assert refused.status == 404


async def test_user_level_login_may_read_but_not_write(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    made = await create(client, tree, headers, name="Admin only")
    users = at(tree.customer, "/users")
    await client.put(
        users,
        headers=headers,
        json={
            "data": {
                "first_name": "Plain",
                "last_name": "User",
                "username": "plain",
                "password": "plain-secret",
                "priv_level": "user",
            }
        },
    )
    token = await login(client, "plain", "plain-secret", "Customer One")
    plain = {"X-Auth-Token": token}
    assert (await client.get(media(tree, f"/{made['id']}"), headers=plain)).status == 200
    put = await client.put(media(tree), headers=plain, json={"data": {"name": "Nope"}})
    assert put.status == 403
    raw = await client.post(
        media(tree, f"/{made['id']}/raw"),
        data=b"x",
        headers={**plain, "Content-Type": "audio/mpeg"},
    )
    assert raw.status == 403

"""users/{U}/photo (raw, multipart and base64 uploads; ranged downloads) and users/{U}/vcard."""

from __future__ import annotations

import base64
import dataclasses
import os
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from gateway.settings import Settings
from tests.conftest import Tree

LIMIT = 600_000


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, max_upload_size=LIMIT)


def photo_path(tree: Tree) -> str:
    return f"/v2/accounts/{tree.customer['id']}/users/{tree.users['customer']['id']}/photo"


async def test_raw_upload_then_download_whole_and_by_range(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    data = os.urandom(300_000)
    uploaded = await client.post(
        photo_path(tree), data=data, headers={**headers, "Content-Type": "image/png"}
    )
    body = await uploaded.json()
    assert uploaded.status == 200, body
    assert not any(key.startswith("pvt_") for key in body["data"])
    whole = await client.get(photo_path(tree), headers=headers)
    assert whole.status == 200
    assert whole.headers["Content-Type"] == "image/png"
    assert whole.headers["Accept-Ranges"] == "bytes"
    assert await whole.read() == data
    part = await client.get(photo_path(tree), headers={**headers, "Range": "bytes=100-299"})
    assert part.status == 206
    assert part.headers["Content-Range"] == f"bytes 100-299/{len(data)}"
    assert await part.read() == data[100:300]
    tail = await client.get(photo_path(tree), headers={**headers, "Range": "bytes=-10"})
    assert (tail.status, await tail.read()) == (206, data[-10:])
    token = headers["X-Auth-Token"]
    by_query = await client.get(f"{photo_path(tree)}?auth_token={token}")
    assert (by_query.status, await by_query.read()) == (200, data)


async def test_multipart_and_base64_uploads(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    form = aiohttp.FormData()
    form.add_field("file", b"\x89PNG-multipart", filename="me.png", content_type="image/png")
    assert (await client.post(photo_path(tree), data=form, headers=headers)).status == 200
    got = await client.get(photo_path(tree), headers=headers)
    assert await got.read() == b"\x89PNG-multipart"
    uri = "data:image/jpeg;base64," + base64.b64encode(b"jpeg-bytes").decode()
    sent = await client.post(
        photo_path(tree), data=uri, headers={**headers, "Content-Type": "application/base64"}
    )
    assert sent.status == 200
    got = await client.get(photo_path(tree), headers=headers)
    assert (got.headers["Content-Type"], await got.read()) == ("image/jpeg", b"jpeg-bytes")


async def test_oversize_upload_is_400_and_keeps_the_old_photo(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = {**await auth_headers("customer"), "Content-Type": "image/png"}
    assert (await client.post(photo_path(tree), data=b"small", headers=headers)).status == 200

    async def chunks() -> Any:
        for _ in range(LIMIT // 50_000 + 2):
            yield b"x" * 50_000

    refused = await client.post(photo_path(tree), data=chunks(), headers=headers)
    body = await refused.json()
    assert refused.status == 400
    assert body["data"]["file"]["maxSize"]["target"] == LIMIT
    got = await client.get(photo_path(tree), headers=headers)
    assert await got.read() == b"small"


async def test_deleted_photo_is_404(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    assert (await client.get(photo_path(tree), headers=headers)).status == 404
    await client.post(
        photo_path(tree), data=b"p", headers={**headers, "Content-Type": "image/png"}
    )
    assert (await client.delete(photo_path(tree), headers=headers)).status == 200
    assert (await client.get(photo_path(tree), headers=headers)).status == 404


async def test_vcard_of_a_user(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    path = f"/v2/accounts/{tree.customer['id']}/users"
    created = await client.put(
        path,
        headers=headers,
        json={
            "data": {
                "first_name": "Ann",
                "last_name": "Lee, Jr",
                "email": "ann@example.com",
                "caller_id": {"internal": {"number": "1001"}},
            }
        },
    )
    user_id = (await created.json())["data"]["id"]
    response = await client.get(f"{path}/{user_id}/vcard", headers=headers)
    text = await response.text()
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/x-vcard")
    assert "FN:Ann Lee\\, Jr\r\n" in text
    assert "EMAIL;TYPE=INTERNET:ann@example.com" in text and "TEL;TYPE=WORK:1001" in text


async def test_deleting_an_account_deletes_its_files(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any, store: Any
) -> None:
    headers = await auth_headers("customer")
    child = await client.put(
        f"/v2/accounts/{tree.customer['id']}",
        headers=headers,
        json={"data": {"name": "Short lived"}},
    )
    child_id = (await child.json())["data"]["id"]
    user = await client.put(
        f"/v2/accounts/{child_id}/users",
        headers=headers,
        json={"data": {"first_name": "Tem", "last_name": "Porary"}},
    )
    user_id = (await user.json())["data"]["id"]
    photo = f"/v2/accounts/{child_id}/users/{user_id}/photo"
    sent = await client.post(photo, data=b"img", headers={**headers, "Content-Type": "image/png"})
    assert sent.status == 200
    file_id = (await store.get("users", user_id))["pvt_photo"]["file_id"]
    assert await store.files.open(file_id) is not None
    assert (await client.delete(f"/v2/accounts/{child_id}", headers=headers)).status == 200
    assert await store.files.open(file_id) is None

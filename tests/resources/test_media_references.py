"""Media ids in menus, boxes, users, devices and groups must exist; media in use stays."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.conftest import Tree

MISSING = "0" * 32


async def put(
    client: TestClient[Any, Any], base: str, headers: Any, kind: str, data: dict[str, Any]
) -> tuple[int, Any]:
    response = await client.put(f"{base}/{kind}", headers=headers, json={"data": data})
    return response.status, await response.json()


@pytest.mark.parametrize(
    ("kind", "data", "path"),
    [
        ("menus", {"name": "Main", "media": {"greeting": MISSING}}, "media.greeting"),
        (
            "vmboxes",
            {"name": "Box", "mailbox": "900", "media": {"unavailable": MISSING}},
            "media.unavailable",
        ),
        (
            "users",
            {"first_name": "A", "last_name": "B", "music_on_hold": {"media_id": MISSING}},
            "music_on_hold.media_id",
        ),
        (
            "devices",
            {"name": "Phone", "music_on_hold": {"media_id": MISSING}},
            "music_on_hold.media_id",
        ),
        (
            "groups",
            {"name": "G", "endpoints": {}, "music_on_hold": {"media_id": MISSING}},
            "music_on_hold.media_id",
        ),
    ],
)
async def test_an_unknown_media_id_is_refused(
    client: TestClient[Any, Any],
    tree: Tree,
    auth_headers: Any,
    kind: str,
    data: dict[str, Any],
    path: str,
) -> None:
    headers = await auth_headers("customer")
    base = f"/v2/accounts/{tree.customer['id']}"

    async def count() -> int:
        listing = await client.get(f"{base}/{kind}", headers=headers)
        return len((await listing.json())["data"])

    before = await count()
    status, body = await put(client, base, headers, kind, data)
    assert status == 400
    assert body["data"] == {
        path: {
            "not_found": {
                "message": f"Media {MISSING} does not exist in this account",
                "cause": MISSING,
            }
        }
    }
    assert await count() == before


async def test_media_in_use_by_a_menu_cannot_be_deleted_until_released(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    base = f"/v2/accounts/{tree.customer['id']}"
    status, media = await put(client, base, headers, "media", {"name": "Greeting"})
    assert status == 201
    media_id = media["data"]["id"]
    status, menu = await put(
        client, base, headers, "menus", {"name": "Main", "media": {"greeting": media_id}}
    )
    assert status == 201
    refused = await client.delete(f"{base}/media/{media_id}", headers=headers)
    body = await refused.json()
    assert refused.status == 400
    assert body["data"]["id"]["referenced"]["cause"] == menu["data"]["id"]
    await client.patch(
        f"{base}/menus/{menu['data']['id']}",
        headers=headers,
        json={"data": {"media": {"greeting": "http://example.test/hello.mp3"}}},
    )
    assert (await client.delete(f"{base}/media/{media_id}", headers=headers)).status == 200


async def test_a_media_url_is_not_taken_for_an_id(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    base = f"/v2/accounts/{tree.customer['id']}"
    status, _ = await put(
        client,
        base,
        headers,
        "users",
        {
            "first_name": "A",
            "last_name": "B",
            "music_on_hold": {"media_id": "silence_stream://300000"},
        },
    )
    assert status == 201

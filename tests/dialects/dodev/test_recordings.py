"""`/v1/pbx/recordings` over the recordings the intake stores: the same documents as
`/v2/accounts/{A}/recordings`, a signed download link, delete with the audio, one account only."""

from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient

from gateway.resources import recordings as recording_resource
from gateway.settings import Settings
from gateway.store import Store
from tests.conftest import Tree
from tests.dialects.dodev.helpers import bearer, error_of, mint
from tests.resources.clients import INTAKE_KEY, at
from tests.resources.test_recordings import AUDIO, START, recorded, recording

Client = TestClient[Any, Any]
RECORDINGS = "/v1/pbx/recordings"
KEYS = {
    "id",
    "callId",
    "extensionId",
    "from",
    "to",
    "durationSeconds",
    "createdAt",
    "contentType",
    "downloadUrl",
}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, intake_keys=frozenset({INTAKE_KEY}))


def local(url: str) -> str:
    """The path and query of an absolute URL the gateway handed out."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


async def test_an_intake_recording_is_listed_read_downloaded_and_deleted(
    client: Client, tree: Tree, auth_headers: Any, store: Store
) -> None:
    headers = await auth_headers("customer")
    key = bearer(await mint(client, headers, tree.customer))
    await recorded(client, recording(tree), recording(tree, "rec-2", start=START + 60))
    v2 = await (await client.get(at(tree.customer, "/recordings"), headers=headers)).json()
    newest, oldest = (row["id"] for row in v2["data"])
    listing = await client.get(RECORDINGS, headers=key)
    body = await listing.json()
    assert listing.status == 200 and body["nextCursor"] is None
    assert [item["id"] for item in body["recordings"]] == [f"rec_{newest}", f"rec_{oldest}"]
    item = body["recordings"][1]
    assert set(item) == KEYS
    assert item["callId"] == "call-rec-1"
    assert item["extensionId"] == f"ext_{tree.users['customer']['id']}"
    assert (item["from"], item["to"], item["durationSeconds"]) == ("+14155550142", "2001", 62)
    assert (item["contentType"], item["createdAt"]) == ("audio/mpeg", "2026-03-06T07:06:40Z")
    shown = await client.get(f"{RECORDINGS}/rec_{oldest}", headers=key)
    assert shown.status == 200 and (await shown.json())["callId"] == "call-rec-1"
    audio = await client.get(local(item["downloadUrl"]))
    assert audio.status == 200 and await audio.read() == AUDIO
    files = await store.files.find_count()
    deleted = await client.delete(f"{RECORDINGS}/rec_{oldest}", headers=key)
    assert deleted.status == 204 and await deleted.read() == b""
    assert await store.files.find_count() == files - 1
    gone = await client.get(f"{RECORDINGS}/rec_{oldest}", headers=key)
    assert gone.status == 404 and (await error_of(gone))["code"] == "RECORDING_NOT_FOUND"
    v2_gone = await client.get(at(tree.customer, f"/recordings/{oldest}"), headers=headers)
    assert v2_gone.status == 404
    assert (await client.get(local(item["downloadUrl"]))).status == 404


async def test_a_recording_deleted_on_v2_is_gone_here(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    key = bearer(await mint(client, headers, tree.customer))
    await recorded(client, recording(tree))
    [item] = (await (await client.get(RECORDINGS, headers=key)).json())["recordings"]
    doc_id = item["id"].removeprefix("rec_")
    assert (await client.delete(at(tree.customer, f"/recordings/{doc_id}"), headers=headers)).ok
    assert (await client.get(RECORDINGS, headers=key)).status == 200
    assert (await (await client.get(RECORDINGS, headers=key)).json())["recordings"] == []


async def test_another_accounts_recording_is_recording_not_found(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    await recorded(client, recording(tree))
    own = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    [item] = (await (await client.get(RECORDINGS, headers=own)).json())["recordings"]
    other = bearer(await mint(client, await auth_headers("other"), tree.other))
    assert (await (await client.get(RECORDINGS, headers=other)).json())["recordings"] == []
    for verb in ("GET", "DELETE"):
        response = await client.request(verb, f"{RECORDINGS}/{item['id']}", headers=other)
        assert response.status == 404
        assert (await error_of(response))["code"] == "RECORDING_NOT_FOUND"
    still = await client.get(f"{RECORDINGS}/{item['id']}", headers=own)
    assert still.status == 200


@pytest.mark.parametrize("wrong", ["rec_abc", "ext_" + "a" * 32, "a" * 32, "rec_" + "0" * 32])
async def test_an_id_that_names_no_recording_is_404(
    client: Client, tree: Tree, auth_headers: Any, wrong: str
) -> None:
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    response = await client.get(f"{RECORDINGS}/{wrong}", headers=key)
    assert response.status == 404
    assert (await error_of(response))["code"] == "RECORDING_NOT_FOUND"


async def test_reading_needs_the_read_scope_and_deleting_the_write_scope(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    await recorded(client, recording(tree))
    reader = bearer(await mint(client, headers, tree.customer, scopes=["pbx:recordings:read"]))
    [item] = (await (await client.get(RECORDINGS, headers=reader)).json())["recordings"]
    refused = await client.delete(f"{RECORDINGS}/{item['id']}", headers=reader)
    assert refused.status == 403
    assert (await error_of(refused))["requiredScope"] == "pbx:recordings:write"
    other = bearer(await mint(client, headers, tree.customer, scopes=["pbx:settings:read"]))
    assert (await client.get(RECORDINGS, headers=other)).status == 403


async def test_pages_follow_the_cursor_newest_first(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    events = [recording(tree, f"rec-{n}", start=START + n) for n in range(5)]
    await recorded(client, *events)
    seen: list[str] = []
    cursor = ""
    while True:
        page = await (await client.get(f"{RECORDINGS}?limit=2{cursor}", headers=key)).json()
        seen += [item["callId"] for item in page["recordings"]]
        if page["nextCursor"] is None:
            break
        cursor = f"&cursor={page['nextCursor']}"
    assert seen == [f"call-rec-{n}" for n in reversed(range(5))]


async def test_a_forged_or_expired_download_link_is_401(
    client: Client, tree: Tree, auth_headers: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    await recorded(client, recording(tree))
    [item] = (await (await client.get(RECORDINGS, headers=key)).json())["recordings"]
    link = local(item["downloadUrl"])
    path, query = link.split("?")
    expires = query.split("&")[0].split("=")[1]
    for forged in (
        link.replace(f"expires={expires}", f"expires={int(expires) + 3600}"),
        link[:-2] + ("AA" if not link.endswith("AA") else "BB"),
        path,
        link.replace(tree.customer["id"], tree.other["id"]),
    ):
        assert (await client.get(forged)).status == 401, forged
    monkeypatch.setattr(recording_resource, "LINK_SECONDS", -5)
    [stale] = (await (await client.get(RECORDINGS, headers=key)).json())["recordings"]
    assert (await client.get(local(stale["downloadUrl"]))).status == 401

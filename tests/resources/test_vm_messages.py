"""vmboxes/{B}/messages: deposits, listings, folder moves, soft deletes and the raw audio."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import aiohttp
from aiohttp.test_utils import TestClient

from gateway.store import Store
from tests.conftest import Tree
from tests.resources.clients import Api
from tests.resources.test_vmboxes import user_login
from tests.resources.vmbox_helpers import boxes, create_box, deposit, make_vmbox

MEDIA_ID = re.compile(r"^\d{6}-[0-9a-f]{32}$")
GREGORIAN_2016 = 63630058722  # 2016-05-10 00:18:42 UTC


def messages(api: Api, box_id: str, tail: str = "") -> str:
    return boxes(api, f"/{box_id}/messages{tail}")


async def test_multipart_deposit_keeps_metadata_defaults_and_audio(api: Api) -> None:
    box = await create_box(api)
    audio = b"ID3" + bytes(range(256)) * 4
    message = await deposit(
        api, box["id"], audio, caller_id_number="1001", caller_id_name="Bob", **{"from": "b@x"}
    )
    assert MEDIA_ID.match(message["media_id"])
    assert message["media_id"][:6] == datetime.now(UTC).strftime("%Y%m")
    assert not any(key == "id" or key.startswith("pvt_") for key in message)
    realm = api.tree.customer["realm"]
    assert message == {
        "media_id": message["media_id"],
        "caller_id_number": "1001",
        "caller_id_name": "Bob",
        "from": "b@x",
        "to": f"3000@{realm}",
        "folder": "new",
        "timestamp": message["timestamp"],
        "length": 0,
        "call_id": message["call_id"],
    }
    status, body = await api.call("GET", messages(api, box["id"], f"/{message['media_id']}"))
    assert (status, body["data"]) == (200, message)
    raw = await api.send("GET", messages(api, box["id"], f"/{message['media_id']}/raw"))
    assert raw.status == 200
    assert raw.headers["Content-Type"] == "audio/mpeg"
    when = datetime.fromtimestamp(message["timestamp"] - 62167219200, UTC)
    name = f"1001_{when.strftime('%Y-%m-%d_%H:%M:%S')}.mp3"
    assert raw.headers["Content-Disposition"] == f"attachment; filename={name}"
    assert await raw.read() == audio


async def test_json_deposit_then_raw_put_adds_and_replaces_the_audio(
    api: Api, store: Store
) -> None:
    box = await create_box(api)
    status, body = await api.call(
        "PUT",
        messages(api, box["id"]),
        json={"data": {"caller_id_number": "6001", "timestamp": GREGORIAN_2016, "to": "x@y"}},
    )
    assert status == 201, body
    media_id = body["data"]["media_id"]
    assert body["data"]["to"] == "x@y" and body["data"]["timestamp"] == GREGORIAN_2016
    raw_path = messages(api, box["id"], f"/{media_id}/raw")
    assert (await api.send("GET", raw_path)).status == 404
    for audio in (b"RIFF-first", b"RIFF-second"):
        response = await api.send(
            "PUT", raw_path, data=audio, headers={"Content-Type": "audio/x-wav"}
        )
        body = await response.json()
        assert response.status == 200, body
        assert body["data"]["media_id"] == media_id
        raw = await api.send("GET", raw_path)
        assert await raw.read() == audio
        assert raw.headers["Content-Type"] == "audio/x-wav"
        assert raw.headers["Content-Disposition"] == (
            "attachment; filename=6001_2016-05-10_00:18:42.wav"
        )
    assert await store.files.find_count() == 1


async def test_raw_download_by_range_and_with_auth_token_in_query(api: Api) -> None:
    box = await create_box(api)
    audio = bytes(range(200))
    message = await deposit(api, box["id"], audio)
    path = messages(api, box["id"], f"/{message['media_id']}/raw")
    part = await api.send("GET", path, headers={"Range": "bytes=10-19"})
    assert part.status == 206
    assert part.headers["Content-Range"] == "bytes 10-19/200"
    assert await part.read() == audio[10:20]
    token = api.headers["X-Auth-Token"]
    by_query = await api.send("GET", f"{path}?auth_token={token}", auth=False)
    assert (by_query.status, await by_query.read()) == (200, audio)
    assert (await api.send("GET", path, auth=False)).status == 401


async def test_listing_is_newest_first_and_leaves_out_deleted(api: Api) -> None:
    box = await create_box(api)
    old = await deposit(api, box["id"], timestamp=GREGORIAN_2016)
    new = await deposit(api, box["id"], timestamp=GREGORIAN_2016 + 60)
    gone = await deposit(api, box["id"], timestamp=GREGORIAN_2016 + 120)
    assert (await api.call("DELETE", messages(api, box["id"], f"/{gone['media_id']}")))[0] == 200
    status, body = await api.call("GET", messages(api, box["id"]))
    assert status == 200
    assert body["data"] == [new, old]


async def test_post_moves_listed_messages_and_reports_unknown_ids(api: Api) -> None:
    box = await create_box(api)
    one = await deposit(api, box["id"])
    two = await deposit(api, box["id"])
    bogus = "201601-" + "0" * 32
    status, body = await api.call(
        "POST",
        messages(api, box["id"]),
        json={"data": {"messages": [one["media_id"], bogus], "folder": "saved"}},
    )
    assert (status, body["data"]) == (
        200,
        {"succeeded": [one["media_id"]], "failed": [{bogus: "not_found"}]},
    )
    folders = {
        m["media_id"]: m["folder"]
        for m in (await api.call("GET", messages(api, box["id"])))[1]["data"]
    }
    assert folders == {one["media_id"]: "saved", two["media_id"]: "new"}
    status, body = await api.call(
        "POST",
        messages(api, box["id"], "?folder=saved"),
        json={"data": {"messages": [two["media_id"]]}},
    )
    assert body["data"] == {"succeeded": [two["media_id"]], "failed": []}


async def test_post_without_a_folder_or_with_an_unknown_one_is_400(api: Api) -> None:
    box = await create_box(api)
    message = await deposit(api, box["id"])
    status, body = await api.call("POST", messages(api, box["id"]), json={"data": {}})
    assert status == 400 and "required" in body["data"]["folder"]
    status, body = await api.call(
        "POST", messages(api, box["id"], f"/{message['media_id']}"), json={"data": {"folder": "x"}}
    )
    assert status == 400 and "enum" in body["data"]["folder"]
    status, body = await api.call("GET", messages(api, box["id"], f"/{message['media_id']}"))
    assert body["data"]["folder"] == "new"


async def test_single_message_folder_change_and_delete_moves_to_deleted(api: Api) -> None:
    box = await create_box(api)
    message = await deposit(api, box["id"])
    path = messages(api, box["id"], f"/{message['media_id']}")
    status, body = await api.call("POST", path, json={"data": {"folder": "saved"}})
    assert (status, body["data"]) == (200, {**message, "folder": "saved"})
    status, body = await api.call("DELETE", path)
    assert (status, body["data"]) == (200, {**message, "folder": "deleted"})
    status, body = await api.call("GET", path)
    assert (status, body["data"]["folder"]) == (200, "deleted")
    status, body = await api.call("GET", boxes(api))
    assert body["data"][0]["messages"] == 0


async def test_collection_delete_moves_listed_by_folder_or_all(api: Api) -> None:
    box = await create_box(api)
    first, second, third = [await deposit(api, box["id"]) for _ in range(3)]
    await api.call(
        "POST",
        messages(api, box["id"]),
        json={"data": {"messages": [second["media_id"]], "folder": "saved"}},
    )
    status, body = await api.call(
        "DELETE", messages(api, box["id"]), json={"data": {"messages": [first["media_id"]]}}
    )
    assert body["data"] == {"succeeded": [first["media_id"]], "failed": []}
    status, body = await api.call("DELETE", messages(api, box["id"], "?folder=saved"))
    assert body["data"] == {"succeeded": [second["media_id"]], "failed": []}
    listing = (await api.call("GET", messages(api, box["id"])))[1]["data"]
    assert [m["media_id"] for m in listing] == [third["media_id"]]
    status, body = await api.call("DELETE", messages(api, box["id"]))
    assert body["data"] == {"succeeded": [third["media_id"]], "failed": []}
    assert (await api.call("GET", messages(api, box["id"])))[1]["data"] == []


async def test_account_wide_listing_has_every_box_message(api: Api) -> None:
    one = await create_box(api)
    two = await create_box(api, mailbox="3001")
    a = await deposit(api, one["id"], timestamp=GREGORIAN_2016)
    b = await deposit(api, two["id"], timestamp=GREGORIAN_2016 + 5)
    status, body = await api.call("GET", boxes(api, "/messages"))
    assert (status, body["data"]) == (200, [b, a])
    status, _ = await api.call("DELETE", boxes(api, "/messages"))
    assert status == 405


async def test_messages_of_another_box_or_account_are_not_found(
    api: Api, client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    box = await create_box(api)
    other_box = await create_box(api, mailbox="3001")
    message = await deposit(api, box["id"])
    wrong = messages(api, other_box["id"], f"/{message['media_id']}")
    for method in ("GET", "POST", "DELETE"):
        kw = {"json": {"data": {"folder": "saved"}}} if method == "POST" else {}
        status, body = await api.call(method, wrong, **kw)
        assert (status, body["error"]) == (404, "404"), method
    assert (await api.send("GET", wrong + "/raw")).status == 404
    other = await auth_headers("other")
    created = await client.put(
        f"/v2/accounts/{tree.other['id']}/vmboxes", headers=other, json={"data": make_vmbox()}
    )
    foreign_box = (await created.json())["data"]["id"]
    status, _ = await api.call("PUT", messages(api, foreign_box), json={"data": {}})
    assert status == 404
    foreign = await client.put(
        f"/v2/accounts/{tree.other['id']}/vmboxes/{foreign_box}/messages",
        headers=other,
        json={"data": {}},
    )
    foreign_id = (await foreign.json())["data"]["media_id"]
    status, _ = await api.call("GET", messages(api, box["id"], f"/{foreign_id}"))
    assert status == 404
    status, body = await api.call("GET", boxes(api, "/messages"))
    assert [m["media_id"] for m in body["data"]] == [message["media_id"]]


async def test_user_level_handles_messages_only_in_boxes_it_owns(
    api: Api, client: TestClient[Any, Any]
) -> None:
    own_id, headers = await user_login(api, client)
    own = await create_box(api, mailbox="4000", owner_id=own_id)
    theirs = await create_box(api, mailbox="4001")
    theirs_message = await deposit(api, theirs["id"])
    as_user = {"headers": headers, "auth": False}
    status, body = await api.call("PUT", messages(api, own["id"]), json={"data": {}}, **as_user)
    assert status == 201
    own_message = body["data"]["media_id"]
    status, _ = await api.call(
        "POST",
        messages(api, own["id"], f"/{own_message}"),
        json={"data": {"folder": "saved"}},
        **as_user,
    )
    assert status == 200
    status, _ = await api.call("GET", messages(api, theirs["id"]), **as_user)
    assert status == 200
    for method, path in (
        ("PUT", messages(api, theirs["id"])),
        ("POST", messages(api, theirs["id"], f"/{theirs_message['media_id']}")),
        ("DELETE", messages(api, theirs["id"], f"/{theirs_message['media_id']}")),
        ("DELETE", messages(api, theirs["id"])),
    ):
        status, body = await api.call(method, path, json={"data": {"folder": "saved"}}, **as_user)
        assert (status, body["data"]) == (403, {"message": "forbidden"}), (method, path)
    status, body = await api.call(
        "GET", messages(api, theirs["id"], f"/{theirs_message['media_id']}")
    )
    assert body["data"]["folder"] == "new"


async def test_multipart_deposit_takes_the_parts_in_any_order(api: Api) -> None:
    box = await create_box(api)
    writer = aiohttp.MultipartWriter("form-data")
    part = writer.append(b"OggS-audio", {"Content-Type": "audio/ogg"})
    part.set_content_disposition("form-data", name="file", filename="v.ogg")
    writer.append(json.dumps({"caller_id_number": "7"}), {"Content-Type": "application/json"})
    status, body = await api.call("PUT", messages(api, box["id"]), data=writer)
    assert status == 201, body
    assert body["data"]["caller_id_number"] == "7"
    raw = await api.send("GET", messages(api, box["id"], f"/{body['data']['media_id']}/raw"))
    assert (raw.headers["Content-Type"], await raw.read()) == ("audio/ogg", b"OggS-audio")
    assert raw.headers["Content-Disposition"].endswith(".ogg")


async def test_bad_metadata_part_is_400_and_keeps_no_audio(api: Api, store: Store) -> None:
    box = await create_box(api)
    writer = aiohttp.MultipartWriter("mixed")
    part = writer.append(b"ID3", {"Content-Type": "audio/mpeg"})
    part.set_content_disposition("attachment", filename="v.mp3")
    writer.append("{not json", {"Content-Type": "application/json"})
    status, body = await api.call("PUT", messages(api, box["id"]), data=writer)
    assert status == 400 and "json" in body["data"]
    assert await store.files.find_count() == 0
    assert (await api.call("GET", messages(api, box["id"])))[1]["data"] == []

"""vmboxes: CRUD with defaults, listing rows, the mailbox rules, references, user level."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp.test_utils import TestClient

from gateway.store import Store
from tests.conftest import Tree, login
from tests.resources.clients import Api
from tests.resources.vmbox_helpers import boxes, create_box, deposit, make_vmbox

DEFAULTS = {
    "media": {},
    "media_extension": "mp3",
    "notify_email_addresses": [],
    "seek_duration_ms": 10000,
    "announcement_only": False,
    "check_if_owner": True,
    "delete_after_notify": False,
    "include_message_on_notify": True,
    "include_transcription_on_notify": True,
    "is_setup": False,
    "is_voicemail_ff_rw_enabled": False,
    "not_configurable": False,
    "oldest_message_first": False,
    "require_pin": False,
    "save_after_notify": False,
    "skip_envelope": False,
    "skip_greeting": False,
    "skip_instructions": False,
    "transcribe": False,
}
NOT_UNIQUE = "Invalid mailbox number or already exists"


async def test_create_applies_defaults_and_read_returns_the_same(api: Api) -> None:
    response = await api.send("PUT", boxes(api), json={"data": make_vmbox(pin="1234")})
    body = await response.json()
    assert response.status == 201, body
    box = body["data"]
    assert box == {**make_vmbox(pin="1234"), **DEFAULTS, "id": box["id"]}
    assert response.headers["Location"].endswith(f"/vmboxes/{box['id']}")
    status, read = await api.call("GET", boxes(api, f"/{box['id']}"))
    assert (status, read["data"]) == (200, box)


async def test_post_replaces_patch_merges_and_delete_removes(api: Api) -> None:
    box = await create_box(api, pin="1234", timezone="Europe/Paris")
    path = boxes(api, f"/{box['id']}")
    status, body = await api.call("POST", path, json={"data": make_vmbox(name="Renamed")})
    assert status == 200, body
    assert body["data"] == {**make_vmbox(name="Renamed"), **DEFAULTS, "id": box["id"]}
    status, body = await api.call("PATCH", path, json={"data": {"skip_greeting": True}})
    assert status == 200 and body["data"]["skip_greeting"] is True
    assert body["data"]["name"] == "Renamed"
    status, body = await api.call("DELETE", path)
    assert status == 200 and body["data"]["_read_only"] == {"deleted": True}
    status, body = await api.call("GET", path)
    assert (status, body["error"]) == (404, "404")


async def test_listing_rows_are_sorted_by_name_and_count_live_messages(api: Api) -> None:
    owner = api.tree.users["customer"]["id"]
    zulu = await create_box(api, name="Zulu", mailbox="3001", flags=["x"])
    alpha = await create_box(api, name="alpha", mailbox="3002", owner_id=owner)
    first = await deposit(api, alpha["id"])
    await deposit(api, alpha["id"])
    await deposit(api, alpha["id"])
    status, _ = await api.call(
        "DELETE", boxes(api, f"/{alpha['id']}/messages/{first['media_id']}")
    )
    assert status == 200
    status, body = await api.call("GET", boxes(api, "?ascending=true"))
    assert status == 200, body
    assert body["data"] == [
        {
            "id": alpha["id"],
            "name": "alpha",
            "mailbox": "3002",
            "owner_id": owner,
            "messages": 2,
            "flags": [],
        },
        {
            "id": zulu["id"],
            "name": "Zulu",
            "mailbox": "3001",
            "messages": 0,
            "flags": ["x"],
        },
    ]
    status, body = await api.call("GET", boxes(api))
    assert [row["name"] for row in body["data"]] == ["Zulu", "alpha"]  # Kazoo: descending


async def test_required_fields_are_reported(api: Api) -> None:
    status, body = await api.call("PUT", boxes(api), json={"data": {}})
    assert status == 400
    assert set(body["data"]) == {"mailbox", "name"}
    assert "required" in body["data"]["mailbox"]


async def test_mailbox_is_unique_in_the_account_as_an_integer(api: Api) -> None:
    await create_box(api, mailbox="100")
    for mailbox in ("100", "0100"):
        status, body = await api.call(
            "PUT", boxes(api), json={"data": make_vmbox(mailbox=mailbox)}
        )
        assert status == 400, body
        assert body["data"] == {"mailbox": {"unique": {"message": NOT_UNIQUE, "cause": mailbox}}}


async def test_same_mailbox_in_another_account_is_fine(
    api: Api, client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    await create_box(api, mailbox="100")
    other = await auth_headers("other")
    response = await client.put(
        f"/v2/accounts/{tree.other['id']}/vmboxes",
        headers=other,
        json={"data": make_vmbox(mailbox="100")},
    )
    assert response.status == 201


async def test_mailbox_that_is_not_an_integer_is_reported_as_not_unique(api: Api) -> None:
    status, body = await api.call("PUT", boxes(api), json={"data": make_vmbox(mailbox="12ab")})
    assert status == 400
    assert body["data"] == {"mailbox": {"unique": {"message": NOT_UNIQUE, "cause": "12ab"}}}
    status, listing = await api.call("GET", boxes(api))
    assert listing["data"] == []


async def test_changing_to_a_taken_mailbox_is_refused_and_keeps_the_doc(api: Api) -> None:
    await create_box(api, mailbox="200")
    box = await create_box(api, mailbox="201")
    path = boxes(api, f"/{box['id']}")
    status, body = await api.call("PATCH", path, json={"data": {"mailbox": "200"}})
    assert status == 400 and "unique" in body["data"]["mailbox"]
    status, body = await api.call("GET", path)
    assert body["data"]["mailbox"] == "201"


async def test_two_concurrent_creates_of_one_mailbox_exactly_one_wins(api: Api) -> None:
    results = await asyncio.gather(
        *(
            api.call("PUT", boxes(api), json={"data": make_vmbox(name=f"B{n}", mailbox="555")})
            for n in range(2)
        )
    )
    assert sorted(status for status, _ in results) == [201, 400]
    status, listing = await api.call("GET", boxes(api))
    assert [row["mailbox"] for row in listing["data"]] == ["555"]


async def test_owner_must_be_a_user_of_the_account(api: Api, tree: Tree) -> None:
    stranger = tree.users["other"]["id"]
    status, body = await api.call("PUT", boxes(api), json={"data": make_vmbox(owner_id=stranger)})
    assert status == 400
    assert body["data"] == {
        "owner_id": {
            "not_found": {
                "message": f"user {stranger} does not exist in this account",
                "cause": stranger,
            }
        }
    }


async def test_delete_is_refused_while_a_callflow_uses_the_box(api: Api) -> None:
    box = await create_box(api)
    flow = {"module": "voicemail", "data": {"id": box["id"]}, "children": {}}
    path = f"/v2/accounts/{api.tree.customer['id']}/callflows"
    status, body = await api.call("PUT", path, json={"data": {"numbers": ["2000"], "flow": flow}})
    assert status == 201, body
    status, refused = await api.call("DELETE", boxes(api, f"/{box['id']}"))
    assert status == 400
    assert refused["data"]["id"]["referenced"]["cause"] == body["data"]["id"]
    assert (await api.call("DELETE", f"{path}/{body['data']['id']}"))[0] == 200
    assert (await api.call("DELETE", boxes(api, f"/{box['id']}")))[0] == 200


async def test_deleting_a_box_deletes_its_messages_and_their_audio(api: Api, store: Store) -> None:
    box = await create_box(api)
    kept = await create_box(api, mailbox="3999")
    await deposit(api, box["id"])
    await deposit(api, box["id"])
    await deposit(api, kept["id"])
    assert await store.files.find_count() == 3
    assert (await api.call("DELETE", boxes(api, f"/{box['id']}")))[0] == 200
    assert await store.files.find_count() == 1
    status, body = await api.call("GET", boxes(api, "/messages"))
    assert status == 200 and len(body["data"]) == 1
    status, _ = await api.call("GET", boxes(api, f"/{box['id']}/messages"))
    assert status == 404


async def test_ids_of_another_account_are_not_found(
    api: Api, client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    other = await auth_headers("other")
    response = await client.put(
        f"/v2/accounts/{tree.other['id']}/vmboxes", headers=other, json={"data": make_vmbox()}
    )
    foreign = (await response.json())["data"]["id"]
    for method in ("GET", "POST", "PATCH", "DELETE"):
        kw = {"json": {"data": make_vmbox()}} if method in ("POST", "PATCH") else {}
        status, body = await api.call(method, boxes(api, f"/{foreign}"), **kw)
        assert (status, body["error"]) == (404, "404"), method
    status, _ = await api.call("GET", boxes(api, f"/{foreign}/messages"))
    assert status == 404


async def user_login(api: Api, client: TestClient[Any, Any]) -> tuple[str, dict[str, str]]:
    """A `user`-level login in the customer account: its user id and headers."""
    user = (
        await api.create_user(
            first_name="Uma", last_name="User", username="uma", password="pw-uma"
        )
    )["data"]
    token = await login(client, "uma", "pw-uma", "Customer One")
    return user["id"], {"X-Auth-Token": token}


async def test_user_level_changes_only_the_boxes_it_owns(
    api: Api, client: TestClient[Any, Any]
) -> None:
    own_id, headers = await user_login(api, client)
    admin_id = api.tree.users["customer"]["id"]
    own = await create_box(api, mailbox="4000", owner_id=own_id)
    theirs = await create_box(api, mailbox="4001", owner_id=admin_id)
    as_user = {"headers": headers, "auth": False}
    status, body = await api.call("GET", boxes(api, f"/{theirs['id']}"), **as_user)
    assert status == 200
    status, body = await api.call(
        "PATCH", boxes(api, f"/{own['id']}"), json={"data": {"pin": "9876"}}, **as_user
    )
    assert status == 200 and body["data"]["pin"] == "9876"
    for method, path, data in (
        ("PATCH", f"/{theirs['id']}", {"pin": "9876"}),
        ("DELETE", f"/{theirs['id']}", None),
        ("PUT", "", make_vmbox(mailbox="4002", owner_id=own_id)),
        ("PATCH", f"/{own['id']}", {"owner_id": admin_id}),
    ):
        kw = {"json": {"data": data}} if data is not None else {}
        status, body = await api.call(method, boxes(api, path), **kw, **as_user)
        assert (status, body["data"]) == (403, {"message": "forbidden"}), (method, path)
    status, body = await api.call("GET", boxes(api, f"/{own['id']}"))
    assert body["data"]["owner_id"] == own_id

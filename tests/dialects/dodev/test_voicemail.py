"""`/v1/pbx/voicemail` over Kazoo vmboxes: a box changed through either API is seen by the
other; the PIN is taken and never shown; message counts; validation names each field."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.conftest import Tree
from tests.dialects.dodev.helpers import bearer, error_of, mint
from tests.resources.clients import at, make_user

Client = TestClient[Any, Any]
VOICEMAIL = "/v1/pbx/voicemail"
MISSING = "0" * 32
KEYS = {
    "id",
    "mailbox",
    "name",
    "extensionId",
    "pinRequired",
    "pinSet",
    "emails",
    "emailNotifications",
    "emailAudio",
    "emailTranscription",
    "deleteAfterEmail",
    "transcription",
    "greetingId",
    "messages",
}


async def v2(
    client: Client, headers: dict[str, str], verb: str, path: str, data: Any = None
) -> tuple[int, Any]:
    body = None if data is None else {"data": data}
    response = await client.request(verb, path, json=body, headers=headers)
    return response.status, (await response.json()).get("data")


async def v2_box(
    client: Client, headers: dict[str, str], account: dict[str, Any], **data: Any
) -> str:
    box = {"name": "Front Desk", "mailbox": "101", **data}
    status, body = await v2(client, headers, "PUT", at(account, "/vmboxes"), box)
    assert status == 201, body
    return str(body["id"])


async def leave(
    client: Client, headers: dict[str, str], tree: Tree, box_id: str, folder: str
) -> str:
    path = at(tree.customer, f"/vmboxes/{box_id}/messages")
    status, body = await v2(client, headers, "PUT", path, {"folder": folder})
    assert status == 201, body
    return str(body["media_id"])


async def mailboxes(client: Client, key: dict[str, str], query: str = "") -> Any:
    response = await client.get(VOICEMAIL + query, headers=key)
    body = await response.json()
    assert response.status == 200, body
    return body


async def test_a_v2_box_is_listed_with_its_counts_and_never_its_pin(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    key = bearer(await mint(client, headers, tree.customer, scopes=["pbx:voicemail:read"]))
    _, user = await v2(client, headers, "PUT", at(tree.customer, "/users"), make_user())
    box_id = await v2_box(
        client,
        headers,
        tree.customer,
        pin="4711",
        owner_id=user["id"],
        notify_email_addresses=["desk@example.com"],
        transcribe=True,
    )
    await v2_box(client, headers, tree.customer, name="Zeta", mailbox="102")
    for folder in ("new", "new", "saved", "deleted"):
        await leave(client, headers, tree, box_id, folder)
    response = await client.get(VOICEMAIL, headers=key)
    assert "4711" not in await response.text()
    first, second = (await response.json())["mailboxes"]
    assert set(first) == KEYS
    assert first == {
        "id": f"vm_{box_id}",
        "mailbox": "101",
        "name": "Front Desk",
        "extensionId": f"ext_{user['id']}",
        "pinRequired": False,
        "pinSet": True,
        "emails": ["desk@example.com"],
        "emailNotifications": True,
        "emailAudio": True,
        "emailTranscription": True,
        "deleteAfterEmail": False,
        "transcription": True,
        "greetingId": None,
        "messages": {"new": 2, "saved": 1},
    }
    assert (second["name"], second["extensionId"], second["pinSet"]) == ("Zeta", None, False)
    assert second["messages"] == {"new": 0, "saved": 0}
    assert second["emailNotifications"] is False


async def test_a_patch_here_is_the_box_on_v2_and_back(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    key = bearer(await mint(client, headers, tree.customer))
    box_id = await v2_box(client, headers, tree.customer, pin="1111")
    await leave(client, headers, tree, box_id, "new")
    change = {
        "name": "Support",
        "pin": "246810",
        "pinRequired": True,
        "emails": ["a@example.com", "b@example.com"],
        "emailAudio": False,
        "emailTranscription": False,
        "deleteAfterEmail": True,
        "transcription": True,
    }
    patched = await client.patch(f"{VOICEMAIL}/vm_{box_id}", json=change, headers=key)
    text = await patched.text()
    assert patched.status == 200 and "246810" not in text and "1111" not in text
    shown = await patched.json()
    assert "pin" not in shown and shown["pinSet"] is True
    assert {name: shown[name] for name in change if name != "pin"} == {
        name: value for name, value in change.items() if name != "pin"
    }
    assert shown["emailNotifications"] is True and shown["messages"] == {"new": 1, "saved": 0}
    status, doc = await v2(client, headers, "GET", at(tree.customer, f"/vmboxes/{box_id}"))
    assert status == 200 and (doc["name"], doc["pin"], doc["require_pin"]) == (
        "Support",
        "246810",
        True,
    )
    assert doc["notify_email_addresses"] == ["a@example.com", "b@example.com"]
    assert (doc["include_message_on_notify"], doc["delete_after_notify"]) == (False, True)
    assert doc["transcribe"] is True and doc["mailbox"] == "101"
    path = at(tree.customer, f"/vmboxes/{box_id}")
    assert (await v2(client, headers, "PATCH", path, {"name": "Renamed"}))[0] == 200
    [again] = (await mailboxes(client, key))["mailboxes"]
    assert again["name"] == "Renamed" and again["transcription"] is True


async def test_notifications_off_clears_the_addresses_and_on_needs_some(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    key = bearer(await mint(client, headers, tree.customer))
    box_id = await v2_box(client, headers, tree.customer, notify_email_addresses=["x@example.com"])
    url = f"{VOICEMAIL}/vm_{box_id}"
    off = await client.patch(url, json={"emailNotifications": False}, headers=key)
    assert (await off.json())["emails"] == [] and (await off.json())["emailNotifications"] is False
    for body, field, rule in (
        ({"emailNotifications": True}, "emails", "required"),
        (
            {"emailNotifications": False, "emails": ["y@example.com"]},
            "emailNotifications",
            "conflict",
        ),
        ({"emailNotifications": "yes"}, "emailNotifications", "type"),
    ):
        response = await client.patch(url, json=body, headers=key)
        error = await error_of(response)
        assert response.status == 400 and error["fields"][0]["field"] == field
        assert error["fields"][0]["rule"] == rule
    on = {"emailNotifications": True, "emails": ["y@example.com"]}
    shown = await (await client.patch(url, json=on, headers=key)).json()
    assert shown["emails"] == ["y@example.com"] and shown["emailNotifications"] is True


async def test_the_greeting_must_be_media_of_the_account_and_null_clears_it(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    key = bearer(await mint(client, headers, tree.customer))
    status, media = await v2(
        client, headers, "PUT", at(tree.customer, "/media"), {"name": "Greeting"}
    )
    assert status == 201, media
    box_id = await v2_box(client, headers, tree.customer)
    url = f"{VOICEMAIL}/vm_{box_id}"
    missing = await client.patch(url, json={"greetingId": MISSING}, headers=key)
    error = await error_of(missing)
    assert missing.status == 400 and error["fields"][0]["field"] == "greetingId"
    assert error["fields"][0]["rule"] == "not_found"
    set_it = await client.patch(url, json={"greetingId": media["id"]}, headers=key)
    assert (await set_it.json())["greetingId"] == media["id"]
    cleared = await client.patch(url, json={"greetingId": None}, headers=key)
    assert (await cleared.json())["greetingId"] is None
    status, doc = await v2(client, headers, "GET", at(tree.customer, f"/vmboxes/{box_id}"))
    assert doc["media"] == {}


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"pin": "12"}, {("pin", "minLength")}),
        ({"pin": 1234}, {("pin", "type")}),
        ({"name": "", "pinRequired": "yes"}, {("name", "minLength"), ("pinRequired", "type")}),
        ({"name": None}, {("name", "required")}),
        ({"emails": ["desk@example.com", "not an address"]}, {("emails", "wrong_format")}),
        ({"emails": "desk@example.com"}, {("emails", "type")}),
        ({"mailbox": "102", "owner": "x"}, {("mailbox", "unknown"), ("owner", "unknown")}),
        ("pin", {("body", "type")}),
    ],
)
async def test_a_bad_patch_is_400_naming_each_field_and_keeps_the_box(
    client: Client, tree: Tree, auth_headers: Any, body: Any, fields: set[tuple[str, str]]
) -> None:
    headers = await auth_headers("customer")
    key = bearer(await mint(client, headers, tree.customer))
    box_id = await v2_box(client, headers, tree.customer, pin="1234")
    path = at(tree.customer, f"/vmboxes/{box_id}")
    before = await v2(client, headers, "GET", path)
    response = await client.patch(f"{VOICEMAIL}/vm_{box_id}", json=body, headers=key)
    error = await error_of(response)
    assert response.status == 400 and error["code"] == "VALIDATION_ERROR"
    assert {(item["field"], item["rule"]) for item in error["fields"]} == fields
    assert await v2(client, headers, "GET", path) == before


async def test_another_accounts_box_and_bad_ids_are_voicemail_not_found(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    other = await auth_headers("other")
    theirs = await v2_box(client, other, tree.other)
    for public_id in (f"vm_{theirs}", f"vm_{MISSING}", theirs, f"q_{theirs}", "vm_101"):
        response = await client.patch(
            f"{VOICEMAIL}/{public_id}", json={"name": "Mine"}, headers=key
        )
        error = await error_of(response)
        assert response.status == 404 and error["code"] == "VOICEMAIL_NOT_FOUND", public_id
    assert (await mailboxes(client, key))["mailboxes"] == []
    status, doc = await v2(client, other, "GET", at(tree.other, f"/vmboxes/{theirs}"))
    assert doc["name"] == "Front Desk"


async def test_voicemail_scopes(client: Client, tree: Tree, auth_headers: Any) -> None:
    headers = await auth_headers("customer")
    box_id = await v2_box(client, headers, tree.customer)
    read = bearer(await mint(client, headers, tree.customer, scopes=["pbx:voicemail:read"]))
    write = bearer(await mint(client, headers, tree.customer, scopes=["pbx:voicemail:write"]))
    refused = await client.patch(f"{VOICEMAIL}/vm_{box_id}", json={"name": "X"}, headers=read)
    error = await error_of(refused)
    assert refused.status == 403 and error["requiredScope"] == "pbx:voicemail:write"
    refused = await client.get(VOICEMAIL, headers=write)
    assert refused.status == 403
    assert (await error_of(refused))["requiredScope"] == "pbx:voicemail:read"
    done = await client.patch(f"{VOICEMAIL}/vm_{box_id}", json={"name": "X"}, headers=write)
    assert done.status == 200


async def test_mailboxes_page_by_name_with_a_cursor(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    key = bearer(await mint(client, headers, tree.customer))
    for index, name in enumerate(("Delta", "alpha", "Charlie", "bravo", "Echo")):
        await v2_box(client, headers, tree.customer, name=name, mailbox=str(200 + index))
    first = await mailboxes(client, key, "?limit=3")
    assert [box["name"] for box in first["mailboxes"]] == ["alpha", "bravo", "Charlie"]
    rest = await mailboxes(client, key, f"?limit=3&cursor={first['nextCursor']}")
    assert [box["name"] for box in rest["mailboxes"]] == ["Delta", "Echo"]
    assert rest["nextCursor"] is None

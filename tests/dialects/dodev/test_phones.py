"""`/v1/pbx/phones`: registrations reported through the intake are the account's phones, the
same ones `/v2/accounts/{A}/registrations` lists; stats, paging, scope, other accounts."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from gateway.settings import Settings
from tests.conftest import Tree
from tests.dialects.dodev.helpers import bearer, error_of, mint
from tests.resources.clients import INTAKE_KEY, at, create_device, make_user, send_events

Client = TestClient[Any, Any]
PHONES = "/v1/pbx/phones"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, intake_keys=frozenset({INTAKE_KEY}))


def registration(account: dict[str, Any], username: str, **fields: Any) -> dict[str, Any]:
    """A register event (a field given as None is left out)."""
    event = {
        "event_id": f"{account['id']}-{username}-{fields.get('action', 'register')}",
        "type": "registration",
        "account_id": account["id"],
        "action": "register",
        "username": username,
        "realm": account["realm"],
        "contact": f"sip:{username}@192.0.2.10:5060;transport=udp",
        "user_agent": "Yealink SIP-T46S 66.86.0.15",
        "expires": 300,
        **fields,
    }
    return {name: value for name, value in event.items() if value is not None}


async def register(client: Client, *events: dict[str, Any]) -> None:
    status, body = await send_events(client, list(events))
    assert status == 200 and not body["data"]["rejected"], body


async def phones(client: Client, key: dict[str, str], query: str = "") -> Any:
    response = await client.get(PHONES + query, headers=key)
    body = await response.json()
    assert response.status == 200, body
    return body


async def test_a_registration_through_the_intake_is_a_phone(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    key = bearer(await mint(client, headers, tree.customer, scopes=["pbx:phones:read"]))
    assert await phones(client, key) == {"phones": [], "nextCursor": None}
    response = await client.put(
        at(tree.customer, "/users"), json={"data": make_user()}, headers=headers
    )
    owner = (await response.json())["data"]["id"]
    device = await create_device(client, tree.customer, headers, owner_id=owner)
    await register(
        client,
        registration(
            tree.customer,
            "User_1001",
            owner_id=owner,
            authorizing_id=device,
            authorizing_type="device",
        ),
    )
    [phone] = (await phones(client, key))["phones"]
    realm = tree.customer["realm"]
    assert phone == {
        "id": f"phone_user_1001@{realm}",
        "extensionId": f"ext_{owner}",
        "deviceId": device,
        "username": "User_1001",
        "realm": realm,
        "userAgent": "Yealink SIP-T46S 66.86.0.15",
        "contact": "sip:User_1001@192.0.2.10:5060;transport=udp",
        "ip": "192.0.2.10",
        "registeredAt": phone["registeredAt"],
        "expiresAt": phone["expiresAt"],
    }
    assert phone["registeredAt"].endswith("Z") and phone["expiresAt"] > phone["registeredAt"]
    v2 = await client.get(at(tree.customer, "/registrations"), headers=headers)
    [row] = (await v2.json())["data"]
    assert (row["username"], row["owner_id"]) == ("User_1001", owner)


async def test_an_unregistered_phone_leaves_and_one_without_owner_has_no_extension(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    await register(
        client,
        registration(tree.customer, "a", contact="<sip:a@[2001:db8::1]:5060>"),
        registration(tree.customer, "b", contact="sip:b@pbx.example.com", user_agent=None),
    )
    listed = (await phones(client, key))["phones"]
    assert [(p["username"], p["ip"], p["extensionId"]) for p in listed] == [
        ("a", "2001:db8::1", None),
        ("b", None, None),
    ]
    await register(client, registration(tree.customer, "a", action="unregister"))
    assert [p["username"] for p in (await phones(client, key))["phones"]] == ["b"]


async def test_only_the_keys_account_phones_are_listed(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    await register(client, registration(tree.other, "theirs"), registration(tree.reseller, "up"))
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    assert (await phones(client, key))["phones"] == []
    stats = await (await client.get(f"{PHONES}/stats", headers=key)).json()
    assert stats["registered"] == 0


async def test_phones_page_with_a_cursor(client: Client, tree: Tree, auth_headers: Any) -> None:
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    names = [f"user_{index}" for index in range(5)]
    await register(client, *(registration(tree.customer, name) for name in names))
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = await phones(client, key, "?limit=2" + (f"&cursor={cursor}" if cursor else ""))
        seen += [phone["username"] for phone in page["phones"]]
        pages += 1
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert seen == names and pages == 3
    response = await client.get(f"{PHONES}?limit=500", headers=key)
    assert response.status == 400
    assert (await error_of(response))["fields"][0]["field"] == "limit"


async def test_stats_count_by_user_agent_family_and_extension(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    empty = await (await client.get(f"{PHONES}/stats", headers=key)).json()
    assert empty == {"registered": 0, "byUserAgent": {}, "byExtension": {}, "withoutExtension": 0}
    owner = "a" * 32
    await register(
        client,
        registration(tree.customer, "1", owner_id=owner),
        registration(tree.customer, "2", owner_id=owner, user_agent="Yealink SIP-W60B"),
        registration(tree.customer, "3", user_agent="Polycom/5.9.0 PolycomVVX-VVX_450"),
        registration(tree.customer, "4", user_agent=None),
    )
    stats = await (await client.get(f"{PHONES}/stats", headers=key)).json()
    assert stats == {
        "registered": 4,
        "byUserAgent": {"polycom": 1, "unknown": 1, "yealink": 2},
        "byExtension": {f"ext_{owner}": 2},
        "withoutExtension": 2,
    }


async def test_phones_need_the_phones_read_scope(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    for scopes in (["pbx:extensions:read"], ["pbx:*:write"]):
        key = bearer(await mint(client, headers, tree.customer, scopes=scopes))
        for path in (PHONES, f"{PHONES}/stats"):
            response = await client.get(path, headers=key)
            error = await error_of(response)
            assert response.status == 403 and error["requiredScope"] == "pbx:phones:read"
    wildcard = bearer(await mint(client, headers, tree.customer, scopes=["pbx:*:read"]))
    assert (await client.get(PHONES, headers=wildcard)).status == 200
    refused = await client.post(PHONES, json={}, headers=wildcard)
    assert refused.status == 405 and (await error_of(refused))["code"] == "METHOD_NOT_ALLOWED"

"""Devices over HTTP: defaults, listing rows, SIP/MAC uniqueness, type changes, actions,
users/{U}/devices, references, other accounts and `user`-level logins."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from aiohttp.test_utils import TestClient

from tests.conftest import Tree
from tests.resources.clients import user_level_login

Client = TestClient[Any, Any]
Body = dict[str, Any]

# Appendix A3 of the reference: what PUT answers for a device with name, owner and credentials.
A3_DEFAULTS = {
    "enabled": True,
    "call_restriction": {},
    "caller_id": {},
    "contact_list": {},
    "dial_plan": {},
    "exclude_from_queues": False,
    "media": {
        "audio": {},
        "encryption": {"enforce_security": False, "methods": []},
        "video": {"codecs": []},
    },
    "music_on_hold": {},
    "mwi_unsolicited_updates": True,
    "register_overwrite_notify": False,
    "ringtones": {},
    "suppress_unregister_notifications": False,
}
SIP_DEFAULTS = {"method": "password", "invite_format": "contact", "expire_seconds": 300}
FORBIDDEN = {"message": "forbidden"}


def sip_in_use(username: str) -> Body:
    return {
        "sip.username": {
            "unique": {"message": "SIP credentials already in use", "cause": username}
        }
    }


def mac_in_use(mac: str) -> Body:
    return {"mac_address": {"unique": {"message": "MAC address already in use", "cause": mac}}}


def make_device(**overrides: Any) -> Body:
    """A valid device body; overrides replace or add keys."""
    return {"name": "Desk 1001", **overrides}


def creds(username: str, **more: Any) -> Body:
    return {"username": username, "password": "s3cr3tpass", **more}


@dataclass
class Devices:
    """The devices of one account, seen with one token."""

    client: Client
    headers: dict[str, str]
    account: dict[str, Any]

    def url(self, tail: str = "") -> str:
        return f"/v2/accounts/{self.account['id']}/devices{tail}"

    async def call(self, verb: str, tail: str = "", data: Any = None) -> tuple[int, Body]:
        payload = None if data is None else {"data": data}
        response = await self.client.request(
            verb, self.url(tail), headers=self.headers, json=payload
        )
        return response.status, await response.json()

    async def create(self, **fields: Any) -> Body:
        status, body = await self.call("PUT", data=make_device(**fields))
        assert status == 201, body
        return dict(body["data"])

    async def stored(self, device_id: str) -> Body:
        status, body = await self.call("GET", f"/{device_id}")
        assert status == 200, body
        return dict(body["data"])

    async def rows(self, query: str = "") -> list[Body]:
        status, body = await self.call("GET", query)
        assert status == 200, body
        return list(body["data"])


def devices_of(client: Client, headers: dict[str, str], account: dict[str, Any]) -> Devices:
    return Devices(client, headers, account)


async def customer_devices(client: Client, tree: Tree, auth_headers: Any) -> Devices:
    return Devices(client, await auth_headers("customer"), tree.customer)


def assert_invalid(status: int, body: Body, data: Body) -> None:
    assert status == 400, body
    assert body["error"] == "400" and body["message"] == "validation error"
    assert body["data"] == data


# --- CRUD and defaults --------------------------------------------------------------------


async def test_put_applies_a3_defaults_and_get_returns_the_same(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    devices = await customer_devices(client, tree, auth_headers)
    owner = tree.users["customer"]["id"]
    response = await client.put(
        devices.url(),
        headers=devices.headers,
        json={"data": make_device(owner_id=owner, sip=creds("user_1001"))},
    )
    body = await response.json()
    assert response.status == 201, body
    created = body["data"]
    assert response.headers["Location"] == devices.url(f"/{created['id']}")
    assert created == {
        "id": created["id"],
        "name": "Desk 1001",
        "owner_id": owner,
        "sip": {**creds("user_1001"), **SIP_DEFAULTS},
        **A3_DEFAULTS,
    }
    assert await devices.stored(created["id"]) == created


async def test_put_without_name_is_400_required(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    devices = await customer_devices(client, tree, auth_headers)
    status, body = await devices.call("PUT", data={"sip": creds("user_1001")})
    assert_invalid(
        status,
        body,
        {"name": {"required": {"message": "Field is required but missing", "value": "name"}}},
    )
    assert await devices.rows() == []


async def test_post_replaces_and_patch_merges(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    devices = await customer_devices(client, tree, auth_headers)
    device = await devices.create(sip=creds("user_1001"), language="en-us")
    status, body = await devices.call("POST", f"/{device['id']}", {"name": "Renamed"})
    assert status == 200, body
    assert body["data"] == {
        "id": device["id"],
        "name": "Renamed",
        "sip": SIP_DEFAULTS,
        **A3_DEFAULTS,
    }
    status, body = await devices.call(
        "PATCH",
        f"/{device['id']}",
        {"timezone": "Europe/Rome", "media": {"audio": {"codecs": ["PCMU"]}}},
    )
    assert status == 200, body
    stored = await devices.stored(device["id"])
    assert stored["name"] == "Renamed" and stored["timezone"] == "Europe/Rome"
    assert stored["media"]["audio"] == {"codecs": ["PCMU"]}
    assert stored["media"]["video"] == {"codecs": []}


async def test_delete_answers_the_doc_marked_deleted_then_404(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    devices = await customer_devices(client, tree, auth_headers)
    device = await devices.create(sip=creds("user_1001"))
    status, body = await devices.call("DELETE", f"/{device['id']}")
    assert status == 200, body
    assert body["data"] == {**device, "_read_only": {"deleted": True}}
    status, body = await devices.call("GET", f"/{device['id']}")
    assert status == 404 and body["data"] == {"cause": device["id"], "message": "bad identifier"}
    assert await devices.rows() == []
    await devices.create(sip=creds("user_1001"))  # the username is free again


# --- listing ------------------------------------------------------------------------------


async def test_listing_rows_are_kazoo_rows_ordered_by_id(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    devices = await customer_devices(client, tree, auth_headers)
    owner = tree.users["customer"]["id"]
    full = await devices.create(
        name="Full",
        owner_id=owner,
        sip=creds("full_1"),
        mac_address="00:0B:82:AA:BB:CC",
        device_type="softphone",
        enabled=False,
        mobile={"mdn": "5551234"},
        call_recording={"inbound": {"onnet": {"enabled": True}}},
        flags=["vip"],
    )
    bare = await devices.create(name="Bare")
    rows = await devices.rows()
    expected = {
        full["id"]: {
            "id": full["id"],
            "name": "Full",
            "username": "full_1",
            "mac_address": "000b82aabbcc",
            "owner_id": owner,
            "enabled": False,
            "device_type": "softphone",
            "mobile": {"mdn": "5551234"},
            "call_recording": {"inbound": {"onnet": {"enabled": True}}},
            "flags": ["vip"],
        },
        bare["id"]: {
            "id": bare["id"],
            "name": "Bare",
            "mac_address": "",
            "enabled": True,
            "device_type": "sip_device",
            "flags": [],
        },
    }
    # The core lists descending by default (Kazoo's crossbar default), ascending on request.
    assert rows == [expected[device_id] for device_id in sorted(expected, reverse=True)]
    assert await devices.rows("?ascending=true") == rows[::-1]


async def test_users_devices_lists_only_the_users_devices(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    devices = await customer_devices(client, tree, auth_headers)
    owner = tree.users["customer"]["id"]
    mine = [await devices.create(name=f"Mine {n}", owner_id=owner) for n in range(3)]
    await devices.create(name="Nobody's")
    url = f"/v2/accounts/{tree.customer['id']}/users/{owner}/devices"
    response = await client.get(url, headers=devices.headers)
    body = await response.json()
    assert response.status == 200, body
    assert [row["id"] for row in body["data"]] == sorted(
        (device["id"] for device in mine), reverse=True
    )
    assert all(row["owner_id"] == owner for row in body["data"])


async def test_users_devices_of_an_unknown_user_is_404(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    devices = await customer_devices(client, tree, auth_headers)
    for user_id in ("0" * 32, tree.users["other"]["id"]):
        url = f"/v2/accounts/{tree.customer['id']}/users/{user_id}/devices"
        response = await client.get(url, headers=devices.headers)
        body = await response.json()
        assert response.status == 404, body
        assert body["data"] == {"cause": user_id, "message": "bad identifier"}


# --- owner --------------------------------------------------------------------------------


async def test_owner_id_must_name_a_user_of_the_account(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    devices = await customer_devices(client, tree, auth_headers)
    for owner in ("0" * 32, tree.users["other"]["id"]):
        status, body = await devices.call("PUT", data=make_device(owner_id=owner))
        assert_invalid(
            status,
            body,
            {
                "owner_id": {
                    "not_found": {
                        "message": f"User {owner} does not exist in this account",
                        "cause": owner,
                    }
                }
            },
        )
    assert await devices.rows() == []


# --- SIP credentials ----------------------------------------------------------------------


async def test_duplicate_sip_username_in_any_case_is_400(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    devices = await customer_devices(client, tree, auth_headers)
    await devices.create(sip=creds("user_1001"))
    status, body = await devices.call("PUT", data=make_device(sip=creds("USER_1001")))
    assert_invalid(status, body, sip_in_use("USER_1001"))
    other = await devices.create(name="Other", sip=creds("user_1002"))
    status, body = await devices.call(
        "PATCH", f"/{other['id']}", {"sip": {"username": "User_1001"}}
    )
    assert_invalid(status, body, sip_in_use("User_1001"))
    assert (await devices.stored(other["id"]))["sip"]["username"] == "user_1002"
    assert len(await devices.rows()) == 2


async def test_two_concurrent_creates_with_one_sip_username_exactly_one_wins(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    devices = await customer_devices(client, tree, auth_headers)
    results = await asyncio.gather(
        *(devices.call("PUT", data=make_device(name=f"D{n}", sip=creds("race"))) for n in range(2))
    )
    statuses = sorted(status for status, _ in results)
    assert statuses == [201, 400], results
    loser = next(body for status, body in results if status == 400)
    assert loser["data"] == sip_in_use("race")
    assert len(await devices.rows()) == 1


async def test_sip_username_is_unique_across_accounts_sharing_a_realm(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("reseller")
    customer = devices_of(client, headers, tree.customer)
    other = devices_of(client, headers, tree.other)
    await customer.create(sip=creds("alice", realm="shared.example.com"))
    status, body = await other.call(
        "PUT", data=make_device(sip=creds("ALICE", realm="Shared.Example.com"))
    )
    assert_invalid(status, body, sip_in_use("ALICE"))
    # A device naming the customer's realm explicitly clashes with its defaulted devices.
    await customer.create(name="Bob", sip=creds("bob"))
    status, body = await other.call(
        "PUT", data=make_device(sip=creds("bob", realm=tree.customer["realm"].upper()))
    )
    assert_invalid(status, body, sip_in_use("bob"))
    assert await other.rows() == []


async def test_same_sip_username_in_different_realms_is_accepted(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("reseller")
    await devices_of(client, headers, tree.customer).create(sip=creds("user_1001"))
    await devices_of(client, headers, tree.other).create(sip=creds("user_1001"))
    await devices_of(client, headers, tree.reseller).create(
        name="Elsewhere", sip=creds("user_1001", realm="elsewhere.example.com")
    )


async def test_sip_username_is_unique_per_account_whatever_the_realm(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    devices = await customer_devices(client, tree, auth_headers)
    await devices.create(sip=creds("user_1001"))
    status, body = await devices.call(
        "PUT", data=make_device(sip=creds("user_1001", realm="elsewhere.example.com"))
    )
    assert_invalid(status, body, sip_in_use("user_1001"))


async def test_sip_realm_equal_to_the_account_realm_is_not_stored(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    devices = await customer_devices(client, tree, auth_headers)
    device = await devices.create(sip=creds("user_1001", realm=tree.customer["realm"]))
    assert device["sip"] == {**creds("user_1001"), **SIP_DEFAULTS}
    assert (await devices.stored(device["id"]))["sip"] == device["sip"]


# --- MAC address --------------------------------------------------------------------------


async def test_mac_address_is_normalised_and_unique_per_account(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    devices = await customer_devices(client, tree, auth_headers)
    device = await devices.create(mac_address="00:0B:82:AA:BB:CC")
    assert device["mac_address"] == "000b82aabbcc"
    status, body = await devices.call("PUT", data=make_device(mac_address="00-0b-82-aa-bb-cc"))
    assert_invalid(status, body, mac_in_use("000b82aabbcc"))
    # Keeping its own address is no clash; another account may use the same address.
    status, body = await devices.call("PATCH", f"/{device['id']}", {"name": "Same MAC"})
    assert status == 200, body
    other = devices_of(client, await auth_headers("reseller"), tree.other)
    await other.create(mac_address="000B82AABBCC")
    assert len(await devices.rows()) == 1


# --- device type --------------------------------------------------------------------------


async def test_only_a_superduper_admin_changes_device_type(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    devices = await customer_devices(client, tree, auth_headers)
    device = await devices.create(device_type="sip_device")
    status, body = await devices.call("PATCH", f"/{device['id']}", {"device_type": "softphone"})
    assert_invalid(
        status,
        body,
        {
            "device_type": {
                "invalid": {
                    "message": "Not authorized to change type of device",
                    "cause": "softphone",
                }
            }
        },
    )
    status, body = await devices.call("POST", f"/{device['id']}", {"name": "No type"})
    assert_invalid(
        status,
        body,
        {
            "device_type": {
                "invalid": {"message": "Not authorized to change type of device", "cause": ""}
            }
        },
    )
    assert (await devices.stored(device["id"]))["device_type"] == "sip_device"
    master = devices_of(client, await auth_headers("master"), tree.customer)
    status, body = await master.call("PATCH", f"/{device['id']}", {"device_type": "softphone"})
    assert status == 200, body
    assert (await devices.stored(device["id"]))["device_type"] == "softphone"


# --- references ---------------------------------------------------------------------------


async def test_delete_is_refused_while_a_callflow_uses_the_device(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    devices = await customer_devices(client, tree, auth_headers)
    device = await devices.create()
    callflows = f"/v2/accounts/{tree.customer['id']}/callflows"
    flow = {"numbers": ["1001"], "flow": {"module": "device", "data": {"id": device["id"]}}}
    response = await client.put(callflows, headers=devices.headers, json={"data": flow})
    callflow = (await response.json())["data"]
    assert response.status == 201, callflow
    status, body = await devices.call("DELETE", f"/{device['id']}")
    assert status == 400, body
    assert body["data"]["id"]["referenced"]["cause"] == callflow["id"]
    await devices.stored(device["id"])
    response = await client.delete(f"{callflows}/{callflow['id']}", headers=devices.headers)
    assert response.status == 200
    status, body = await devices.call("DELETE", f"/{device['id']}")
    assert status == 200, body


# --- status, sync, notify -----------------------------------------------------------------


async def test_status_is_an_empty_list_while_nothing_is_registered(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    devices = await customer_devices(client, tree, auth_headers)
    await devices.create()
    status, body = await devices.call("GET", "/status")
    assert status == 200 and body["data"] == []
    status, body = await devices.call("POST", "/status", {})
    assert status == 405, body


async def test_sync_answers_sync_request_sent(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    devices = await customer_devices(client, tree, auth_headers)
    device = await devices.create()
    status, body = await devices.call("POST", f"/{device['id']}/sync", {})
    assert status == 200 and body["data"] == "sync request sent"
    status, body = await devices.call("POST", f"/{'0' * 32}/sync", {})
    assert status == 404 and body["data"]["cause"] == "0" * 32
    status, body = await devices.call("GET", f"/{device['id']}/sync")
    assert status == 405, body


async def test_put_notify_action_is_acknowledged_with_201(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    devices = await customer_devices(client, tree, auth_headers)
    device = await devices.create(sip=creds("user_1001"))
    status, body = await devices.call(
        "PUT", f"/{device['id']}", {"action": "notify", "data": {"event": "check-sync"}}
    )
    assert status == 201 and body["data"] == "NOTIFY sent"
    status, body = await devices.call("PUT", f"/{device['id']}", {})
    assert (status, body["message"], body["data"]) == (400, "action required", {})
    status, body = await devices.call("PUT", f"/{device['id']}", {"action": "reboot"})
    assert (status, body["message"], body["data"]) == (400, "invalid action", {})
    status, body = await devices.call("PUT", f"/{device['id']}", {"action": "notify", "data": {}})
    assert_invalid(
        status,
        body,
        {
            "data.event": {
                "required": {"message": "Field is required but missing", "value": "event"}
            }
        },
    )
    assert await devices.stored(device["id"]) == device


# --- other accounts -----------------------------------------------------------------------


async def test_a_device_of_another_account_is_404(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    reseller = devices_of(client, await auth_headers("reseller"), tree.other)
    foreign = await reseller.create(sip=creds("foreign"))
    devices = await customer_devices(client, tree, auth_headers)
    not_found = {"cause": foreign["id"], "message": "bad identifier"}
    for verb, tail, data in (
        ("GET", "", None),
        ("POST", "", make_device()),
        ("PATCH", "", {"name": "x"}),
        ("PUT", "", {"action": "notify", "data": {"event": "check-sync"}}),
        ("DELETE", "", None),
        ("POST", "/sync", {}),
    ):
        status, body = await devices.call(verb, f"/{foreign['id']}{tail}", data)
        assert (status, body["data"]) == (404, not_found), (verb, tail)
    assert (await reseller.stored(foreign["id"]))["name"] == "Desk 1001"


# --- user-level logins --------------------------------------------------------------------


async def user_level(client: Client, tree: Tree, admin: Devices) -> tuple[str, Devices]:
    """A `user`-level user of the customer account; its id and its devices client."""

    async def admin_headers(level: str) -> dict[str, str]:
        return admin.headers

    user_id, headers = await user_level_login(client, tree, admin_headers)
    return user_id, devices_of(client, headers, tree.customer)


async def test_user_level_changes_only_its_own_devices(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    admin = await customer_devices(client, tree, auth_headers)
    uma_id, uma = await user_level(client, tree, admin)
    own = await admin.create(name="Uma's", owner_id=uma_id)
    others = await admin.create(name="Admin's", owner_id=tree.users["customer"]["id"])
    unowned = await admin.create(name="Lobby")
    assert len(await uma.rows()) == 3
    assert (await uma.stored(others["id"]))["name"] == "Admin's"
    status, body = await uma.call("PATCH", f"/{own['id']}", {"timezone": "Europe/Rome"})
    assert status == 200, body
    status, body = await uma.call("POST", f"/{own['id']}", make_device(owner_id=uma_id))
    assert status == 200, body
    status, body = await uma.call("POST", f"/{own['id']}/sync", {})
    assert status == 200 and body["data"] == "sync request sent"
    for device in (others, unowned):
        for verb, tail, data in (
            ("PATCH", "", {"name": "Mine now"}),
            ("POST", "", make_device(owner_id=uma_id)),
            ("POST", "/sync", {}),
        ):
            status, body = await uma.call(verb, f"/{device['id']}{tail}", data)
            assert (status, body["data"]) == (403, FORBIDDEN), (verb, tail)
    assert (await admin.stored(others["id"]))["name"] == "Admin's"


async def test_user_level_may_not_create_delete_or_give_away_devices(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    admin = await customer_devices(client, tree, auth_headers)
    uma_id, uma = await user_level(client, tree, admin)
    own = await admin.create(name="Uma's", owner_id=uma_id)
    status, body = await uma.call("PUT", data=make_device(owner_id=uma_id))
    assert (status, body["data"]) == (403, FORBIDDEN)
    status, body = await uma.call("DELETE", f"/{own['id']}")
    assert (status, body["data"]) == (403, FORBIDDEN)
    admin_id = tree.users["customer"]["id"]
    status, body = await uma.call("PATCH", f"/{own['id']}", {"owner_id": admin_id})
    assert (status, body["data"]) == (403, FORBIDDEN)
    status, body = await uma.call("POST", f"/{own['id']}", make_device())
    assert (status, body["data"]) == (403, FORBIDDEN)
    assert (await admin.stored(own["id"]))["owner_id"] == uma_id
    assert len(await admin.rows()) == 1

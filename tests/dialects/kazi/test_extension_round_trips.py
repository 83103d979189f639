"""One model behind three dialects: an /api extension is a /v2 user with its device, box and
callflow and a /v1/pbx extension; what /v2 or /v1/pbx make or change shows in /api, and what
/api changes or removes shows in /v2 and /v1/pbx."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from tests.conftest import Tree
from tests.dialects.dodev.helpers import bearer as key_header
from tests.dialects.dodev.helpers import mint
from tests.dialects.kazi.helpers import (
    EXTENSIONS,
    Client,
    KaziAdmin,
    Kazoo,
    extension_fields,
    kazi_admin,
)

AuthHeaders = Callable[[str], Awaitable[dict[str, str]]]
Body = dict[str, Any]
PBX = "/v1/pbx/extensions"


@pytest.fixture
async def reseller(client: Client, tree: Tree) -> KaziAdmin:
    """The reseller admin on /api: its tenants are Customer One and Customer Two."""
    return await kazi_admin(client, "reseller-admin", "reseller-secret")


@pytest.fixture
async def kazoo(client: Client, tree: Tree, auth_headers: AuthHeaders) -> Kazoo:
    """The reseller admin on /v2 (it reaches both customers)."""
    return Kazoo(client, await auth_headers("reseller"))


@pytest.fixture
async def pbx_key(client: Client, tree: Tree, auth_headers: AuthHeaders) -> dict[str, str]:
    """The Authorization header of a /v1/pbx key of Customer One."""
    key = await mint(
        client,
        await auth_headers("customer"),
        tree.customer,
        scopes=["pbx:extensions:read", "pbx:extensions:write"],
    )
    return key_header(key)


async def pbx_listing(client: Client, key: dict[str, str]) -> list[Body]:
    response = await client.get(PBX, headers=key)
    body = await response.json()
    assert response.status == 200, body
    return list(body["extensions"])


async def patch(reseller: KaziAdmin, made: Body, **change: Any) -> Body:
    """PATCH the extension; the changed extension (200 asserted)."""
    status, body = await reseller.call("PATCH", f"{EXTENSIONS}/{made['id']}", change)
    assert status == 200, body
    assert body["message"] == "Extension updated successfully.", body
    return dict(body["data"])


async def user_of(kazoo: Kazoo, account: Body, made: Body) -> Body:
    return await kazoo.doc(account, f"users/{made['user_id']}")


# --- /api -> /v2 and /v1/pbx ----------------------------------------------------------------


async def test_an_api_extension_is_a_v2_user_with_its_device_box_and_callflow(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree
) -> None:
    made = await reseller.create(
        tree.customer,
        extension_number="101",
        display_name="Front Desk",
        email="front.desk@example.com",
        secret="s3cret-Sip-Pass",
        voicemail_enabled=True,
    )
    user = await user_of(kazoo, tree.customer, made)
    assert user["presence_id"] == "101"
    assert (user["first_name"], user["last_name"]) == ("Front", "Desk")
    assert user["email"] == "front.desk@example.com"
    assert user.get("enabled", True) is True
    [device] = await kazoo.owned_devices(tree.customer, made["user_id"])
    assert (device["sip"]["username"], device["sip"]["password"]) == ("101", "s3cret-Sip-Pass")
    [box] = await kazoo.boxes_of(tree.customer, made["user_id"])
    assert box["mailbox"] == "101"
    [callflow] = await kazoo.callflows_of(tree.customer, made["user_id"])
    assert callflow["numbers"] == ["101"]
    other = await kazoo.parts(tree.other)
    assert not [user for user in other["users"] if user.get("presence_id")]
    assert other["devices"] == other["vmboxes"] == other["callflows"] == []


async def test_without_voicemail_there_is_no_box_but_a_callflow(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree
) -> None:
    made = await reseller.create(tree.customer, extension_number="120", voicemail_enabled=False)
    assert made["voicemail_enabled"] is False
    assert await kazoo.boxes_of(tree.customer, made["user_id"]) == []
    assert await kazoo.rows(tree.customer, "vmboxes") == []
    [callflow] = await kazoo.callflows_of(tree.customer, made["user_id"])
    assert callflow["numbers"] == ["120"]
    assert len(await kazoo.owned_devices(tree.customer, made["user_id"])) == 1


async def test_an_api_extension_is_a_v1_pbx_extension_of_its_account(
    reseller: KaziAdmin, client: Client, tree: Tree, pbx_key: dict[str, str]
) -> None:
    made = await reseller.create(tree.customer, extension_number="101", display_name="Front Desk")
    [item] = await pbx_listing(client, pbx_key)
    assert item["id"] == f"ext_{made['user_id']}"
    assert (item["number"], item["name"]) == ("101", "Front Desk")
    assert item["voicemailEnabled"] is True
    await reseller.create(tree.other, extension_number="102")
    assert len(await pbx_listing(client, pbx_key)) == 1


# --- /v1/pbx and /v2 -> /api ------------------------------------------------------------------


async def test_a_v1_pbx_extension_is_listed_in_api_with_its_tenant_and_changed_there(
    reseller: KaziAdmin, kazoo: Kazoo, client: Client, tree: Tree, pbx_key: dict[str, str]
) -> None:
    response = await client.post(PBX, json={"number": "301", "name": "Pat Lee"}, headers=pbx_key)
    made = await response.json()
    assert response.status == 201, made
    tenant = (await reseller.tenants())[tree.customer["id"]]
    [item] = (await reseller.listing())["data"]
    assert item["user_id"] == made["id"].removeprefix("ext_")
    assert (item["extension_number"], item["display_name"]) == ("301", "Pat Lee")
    assert (item["tenant_id"], item["tenant"]) == (tenant["id"], tenant)
    shown = await reseller.show(item["id"])
    assert (shown["extension_number"], shown["user_id"]) == ("301", item["user_id"])
    await patch(reseller, item, display_name="Pat Morgan")
    response = await client.get(f"{PBX}/{made['id']}", headers=pbx_key)
    again = await response.json()
    assert response.status == 200 and again["name"] == "Pat Morgan", again
    assert (await user_of(kazoo, tree.customer, item))["last_name"] == "Morgan"


async def test_a_numbered_v2_user_is_an_extension_with_a_stable_id(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree
) -> None:
    user = await kazoo.data(
        "PUT",
        f"/v2/accounts/{tree.other['id']}/users",
        {
            "first_name": "Nia",
            "last_name": "Novak",
            "presence_id": "1005",
            "email": "nia@example.com",
        },
    )
    tenant = (await reseller.tenants())[tree.other["id"]]
    [item] = (await reseller.listing())["data"]
    assert item["user_id"] == user["id"] and item["tenant_id"] == tenant["id"]
    assert (item["extension_number"], item["display_name"], item["email"]) == (
        "1005",
        "Nia Novak",
        "nia@example.com",
    )
    assert [again["id"] for again in (await reseller.listing())["data"]] == [item["id"]]
    assert (await reseller.show(item["id"]))["user_id"] == user["id"]
    later = await reseller.create(tree.other, extension_number="1006")
    assert later["id"] != item["id"]
    assert await reseller.numbers() == ["1006", "1005"]


async def test_a_v2_change_of_the_user_shows_in_api(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree
) -> None:
    made = await reseller.create(tree.customer)
    path = f"/v2/accounts/{tree.customer['id']}/users/{made['user_id']}"
    await kazoo.data("PATCH", path, {"first_name": "Back", "email": "back@example.com"})
    shown = await reseller.show(made["id"])
    assert (shown["display_name"], shown["email"]) == ("Back Desk", "back@example.com")


# --- /api changes -> /v2 and /v1/pbx ----------------------------------------------------------


async def test_a_display_name_patch_shows_in_v2_and_v1_pbx(
    reseller: KaziAdmin, kazoo: Kazoo, client: Client, tree: Tree, pbx_key: dict[str, str]
) -> None:
    made = await reseller.create(tree.customer)
    changed = await patch(reseller, made, display_name="Lobby Phone")
    assert changed["display_name"] == "Lobby Phone"
    user = await user_of(kazoo, tree.customer, made)
    assert (user["first_name"], user["last_name"]) == ("Lobby", "Phone")
    [item] = await pbx_listing(client, pbx_key)
    assert item["name"] == "Lobby Phone"


async def test_disabling_an_extension_disables_the_v2_user(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree
) -> None:
    made = await reseller.create(tree.customer)
    assert (await patch(reseller, made, status="disabled"))["status"] == "disabled"
    assert (await user_of(kazoo, tree.customer, made))["enabled"] is False
    assert (await reseller.show(made["id"]))["status"] == "disabled"
    assert (await patch(reseller, made, status="active"))["status"] == "active"
    assert (await user_of(kazoo, tree.customer, made))["enabled"] is True


async def test_a_number_change_moves_the_callflow_and_presence_and_frees_the_old_number(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree
) -> None:
    made = await reseller.create(tree.customer, extension_number="101")
    [before] = await kazoo.callflows_of(tree.customer, made["user_id"])
    assert (await patch(reseller, made, extension_number="150"))["extension_number"] == "150"
    assert (await user_of(kazoo, tree.customer, made))["presence_id"] == "150"
    [after] = await kazoo.callflows_of(tree.customer, made["user_id"])
    assert after["numbers"] == ["150"] and after["id"] == before["id"]
    numbers = [row["numbers"] for row in await kazoo.rows(tree.customer, "callflows")]
    assert numbers == [["150"]]
    again = await reseller.create(tree.customer, extension_number="101", display_name="New One")
    assert again["extension_number"] == "101"
    assert sorted(await reseller.numbers()) == ["101", "150"]


async def test_voicemail_on_makes_a_box_and_off_removes_it(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree
) -> None:
    made = await reseller.create(tree.customer, extension_number="130", voicemail_enabled=False)
    assert await kazoo.boxes_of(tree.customer, made["user_id"]) == []
    assert (await patch(reseller, made, voicemail_enabled=True))["voicemail_enabled"] is True
    [box] = await kazoo.boxes_of(tree.customer, made["user_id"])
    assert box["mailbox"] == "130"
    assert (await reseller.show(made["id"]))["voicemail_enabled"] is True
    assert (await patch(reseller, made, voicemail_enabled=False))["voicemail_enabled"] is False
    assert await kazoo.rows(tree.customer, "vmboxes") == []
    assert (await reseller.show(made["id"]))["voicemail_enabled"] is False
    [callflow] = await kazoo.callflows_of(tree.customer, made["user_id"])
    assert callflow["numbers"] == ["130"]


async def test_a_secret_patch_changes_the_sip_password_and_is_never_shown(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree
) -> None:
    made = await reseller.create(tree.customer, secret="first-Secret-1")
    response = await reseller.send(
        "PATCH", f"{EXTENSIONS}/{made['id']}", {"secret": "second-Secret-2"}
    )
    text = await response.text()
    assert response.status == 200, text
    assert "second-Secret-2" not in text and '"secret"' not in text
    [device] = await kazoo.owned_devices(tree.customer, made["user_id"])
    assert device["sip"]["password"] == "second-Secret-2"
    assert device["sip"]["username"] == "101"


async def test_an_email_patch_shows_in_the_view_and_in_v2(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree
) -> None:
    made = await reseller.create(tree.customer, email=None)
    await patch(reseller, made, email="desk@acme.example")
    assert (await reseller.show(made["id"]))["email"] == "desk@acme.example"
    assert (await user_of(kazoo, tree.customer, made))["email"] == "desk@acme.example"


async def test_put_replaces_what_v2_holds(reseller: KaziAdmin, kazoo: Kazoo, tree: Tree) -> None:
    made = await reseller.create(tree.customer, voicemail_enabled=True)
    replacement = extension_fields(
        made["tenant_id"],
        extension_number="160",
        display_name="Back Office",
        email="back@acme.example",
        secret="An0ther-Secret",
        status="disabled",
        voicemail_enabled=False,
    )
    status, body = await reseller.call("PUT", f"{EXTENSIONS}/{made['id']}", replacement)
    assert status == 200, body
    user = await user_of(kazoo, tree.customer, made)
    assert (user["first_name"], user["last_name"], user["presence_id"]) == (
        "Back",
        "Office",
        "160",
    )
    assert user["email"] == "back@acme.example" and user["enabled"] is False
    [device] = await kazoo.owned_devices(tree.customer, made["user_id"])
    assert device["sip"]["password"] == "An0ther-Secret"
    assert await kazoo.rows(tree.customer, "vmboxes") == []
    [callflow] = await kazoo.callflows_of(tree.customer, made["user_id"])
    assert callflow["numbers"] == ["160"]


async def test_delete_removes_the_user_device_box_and_callflow(
    reseller: KaziAdmin, kazoo: Kazoo, client: Client, tree: Tree, pbx_key: dict[str, str]
) -> None:
    before = await kazoo.parts(tree.customer)
    made = await reseller.create(tree.customer, voicemail_enabled=True)
    [device] = await kazoo.owned_devices(tree.customer, made["user_id"])
    [box] = await kazoo.boxes_of(tree.customer, made["user_id"])
    [callflow] = await kazoo.callflows_of(tree.customer, made["user_id"])
    status, body = await reseller.call("DELETE", f"{EXTENSIONS}/{made['id']}")
    assert (status, body) == (200, {"message": "Extension deleted successfully."})
    assert await kazoo.parts(tree.customer) == before
    for tail in (
        f"users/{made['user_id']}",
        f"devices/{device['id']}",
        f"vmboxes/{box['id']}",
        f"callflows/{callflow['id']}",
    ):
        assert await kazoo.status(tree.customer, tail) == 404, tail
    assert await pbx_listing(client, pbx_key) == []
    assert (await reseller.listing())["data"] == []


async def test_deleting_a_v2_made_employee_removes_each_of_its_documents(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree
) -> None:
    account = f"/v2/accounts/{tree.other['id']}"
    before = await kazoo.parts(tree.other)
    user = await kazoo.data(
        "PUT",
        f"{account}/users",
        {"first_name": "Nia", "last_name": "Novak", "presence_id": "1005"},
    )
    device = await kazoo.data(
        "PUT",
        f"{account}/devices",
        {"name": "Nia desk", "owner_id": user["id"], "sip": {"username": "nia_1005"}},
    )
    box = await kazoo.data(
        "PUT", f"{account}/vmboxes", {"name": "Nia", "mailbox": "1005", "owner_id": user["id"]}
    )
    flow = {
        "module": "user",
        "data": {"id": user["id"]},
        "children": {"_": {"module": "voicemail", "data": {"id": box["id"]}}},
    }
    callflow = await kazoo.data("PUT", f"{account}/callflows", {"numbers": ["1005"], "flow": flow})
    [item] = (await reseller.listing())["data"]
    assert item["user_id"] == user["id"] and item["voicemail_enabled"] is True
    status, body = await reseller.call("DELETE", f"{EXTENSIONS}/{item['id']}")
    assert (status, body) == (200, {"message": "Extension deleted successfully."})
    for tail in (
        f"users/{user['id']}",
        f"devices/{device['id']}",
        f"vmboxes/{box['id']}",
        f"callflows/{callflow['id']}",
    ):
        assert await kazoo.status(tree.other, tail) == 404, tail
    assert await kazoo.parts(tree.other) == before


async def test_delete_is_409_and_removes_nothing_while_another_callflow_uses_the_box(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree
) -> None:
    made = await reseller.create(tree.customer, voicemail_enabled=True)
    [box] = await kazoo.boxes_of(tree.customer, made["user_id"])
    account = f"/v2/accounts/{tree.customer['id']}"
    other = {
        "name": "After hours",
        "numbers": ["7000"],
        "flow": {"module": "voicemail", "data": {"id": box["id"]}, "children": {}},
    }
    await kazoo.data("PUT", f"{account}/callflows", other)
    before = await kazoo.parts(tree.customer)
    status, body = await reseller.call("DELETE", f"{EXTENSIONS}/{made['id']}")
    assert status == 409, body
    assert "After hours" in body["message"] and set(body) == {"message"}, body
    assert await kazoo.parts(tree.customer) == before
    status, body = await reseller.call("GET", f"{EXTENSIONS}/{made['id']}")
    assert status == 200, body

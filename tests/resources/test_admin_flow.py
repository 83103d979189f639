"""What a Monster UI admin does: a new user with a device and a voicemail box, a callflow for
the extension and the main number, then everything listed and read back."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from tests.conftest import Tree


async def test_admin_sets_up_a_new_employee(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    base = f"/v2/accounts/{tree.customer['id']}"

    async def put(path: str, data: dict[str, Any]) -> dict[str, Any]:
        response = await client.put(f"{base}/{path}", headers=headers, json={"data": data})
        body = await response.json()
        assert response.status == 201, body
        assert response.headers["Location"].endswith(body["data"].get("id", ""))
        return dict(body["data"])

    user = await put(
        "users",
        {
            "first_name": "Nia",
            "last_name": "Novak",
            "username": "nia",
            "password": "nia-secret-1",
            "email": "nia@acme.test",
            "presence_id": "1005",
        },
    )
    device = await put(
        "devices",
        {
            "name": "Nia desk",
            "owner_id": user["id"],
            "sip": {"username": "acme_1005", "password": "sip-pass-1005"},
        },
    )
    vmbox = await put("vmboxes", {"name": "Nia Novak", "mailbox": "1005", "owner_id": user["id"]})
    extension = await put(
        "callflows",
        {
            "name": "Nia extension",
            "numbers": ["1005"],
            "owner_id": user["id"],
            "flow": {
                "module": "user",
                "data": {"id": user["id"]},
                "children": {"_": {"module": "voicemail", "data": {"id": vmbox["id"]}}},
            },
        },
    )
    main = await put(
        "callflows",
        {
            "name": "Main number",
            "numbers": ["4155550123"],
            "flow": {"module": "device", "data": {"id": device["id"]}, "children": {}},
        },
    )
    assert main["numbers"] == ["+14155550123"]

    async def get(path: str) -> Any:
        response = await client.get(f"{base}/{path}", headers=headers)
        body = await response.json()
        assert response.status == 200, body
        return body["data"]

    assert [row["id"] for row in await get(f"users/{user['id']}/devices")] == [device["id"]]
    assert user["id"] in [row["id"] for row in await get("users")]
    assert device["id"] in [row["id"] for row in await get("devices")]
    boxes = {row["id"]: row for row in await get("vmboxes")}
    assert boxes[vmbox["id"]]["mailbox"] == "1005"
    flows = {row["id"]: row for row in await get("callflows")}
    assert flows[extension["id"]]["modules"] == ["user", "voicemail"]
    assert flows[main["id"]]["numbers"] == ["+14155550123"]
    read_back = await get(f"callflows/{extension['id']}")
    assert read_back["metadata"][user["id"]]["pvt_type"] == "user"
    assert read_back["metadata"][vmbox["id"]]["pvt_type"] == "vmbox"
    assert (await get(f"devices/{device['id']}"))["sip"]["username"] == "acme_1005"

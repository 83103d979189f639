"""The app store: apps registered from a folder, Kazoo's rules on who may use them, installs,
blacklists down the account tree, icons without a login, and the apps a login returns."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient
from pymongo import AsyncMongoClient

from gateway.__main__ import create_account_command, init_apps_command
from gateway.app_catalog import init_apps
from gateway.settings import Settings
from gateway.store import Store
from gateway.store.connect import open_store
from tests.conftest import Tree, login
from tests.resources.clients import at

ICON = b"\x89PNG-icon"


def write_app(root: Path, name: str, label: str = "Smart PBX", **extra: Any) -> Path:
    """A Monster app folder as its repository ships it."""
    folder = root / name / "metadata"
    (folder / "icon").mkdir(parents=True)
    (folder / "screenshots").mkdir()
    meta = {
        "name": name,
        "i18n": {"en-US": {"label": label, "description": "A hosted PBX"}},
        "tags": ["admin"],
        "icon": f"{name}.png",
        "api_url": "http://10.0.0.1:8000/v2",
        "source_url": "http://10.0.0.1/apps/x",
        "author": "Example",
        "version": "1.0",
        "license": "-",
        "price": 0,
        "screenshots": ["one.png", "two.png"],
        "phase": "gold",
        **extra,
    }
    (folder / "app.json").write_text(json.dumps(meta))
    (folder / "icon" / f"{name}.png").write_bytes(ICON)
    (folder / "screenshots" / "one.png").write_bytes(b"shot-1")
    (folder / "screenshots" / "two.png").write_bytes(b"shot-2")
    return root / name


async def register(app: web.Application, tmp_path: Path, *names: str) -> dict[str, str]:
    """Register apps by name; their ids."""
    for name in names:
        write_app(tmp_path, name)
    return {doc["name"]: doc["id"] for doc in await init_apps(app, tmp_path)}


async def listed(client: TestClient[Any, Any], account: dict[str, Any], headers: Any) -> Any:
    response = await client.get(at(account, "/apps_store"), headers=headers)
    assert response.status == 200
    return {row["name"]: row for row in (await response.json())["data"]}


async def test_registered_apps_are_listed_with_kazoo_row_fields(
    client: TestClient[Any, Any],
    app: web.Application,
    tree: Tree,
    auth_headers: Any,
    tmp_path: Path,
) -> None:
    ids = await register(app, tmp_path, "voip", "callflows")
    rows = await listed(client, tree.customer, await auth_headers("customer"))
    assert set(rows) == {"voip", "callflows"}
    row = rows["voip"]
    assert row["id"] == ids["voip"]
    assert row["account_id"] == tree.master["id"]
    assert row["i18n"]["en-US"]["label"] == "Smart PBX"
    assert (row["tags"], row["masqueradable"], row["phase"]) == (["admin"], True, "gold")
    assert "source_url" not in row and "api_url" not in row and "allowed_users" not in row
    one = await client.get(
        at(tree.customer, f"/apps_store/{ids['voip']}"), headers=await auth_headers("customer")
    )
    data = (await one.json())["data"]
    assert (one.status, data["author"], data["account_id"]) == (200, "Example", tree.master["id"])
    assert not any(key.startswith("pvt_") for key in data)


async def test_icon_and_screenshots_are_served_without_a_login(
    client: TestClient[Any, Any], app: web.Application, tree: Tree, tmp_path: Path
) -> None:
    ids = await register(app, tmp_path, "voip")
    base = at(tree.customer, f"/apps_store/{ids['voip']}")
    icon = await client.get(f"{base}/icon")
    assert (icon.status, icon.content_type, await icon.read()) == (200, "image/png", ICON)
    assert icon.headers["Content-Disposition"] == "attachment; filename=voip.png"
    second = await client.get(f"{base}/screenshot/1")
    assert await second.read() == b"shot-2"
    for bad in ("2", "x", "-1"):
        assert (await client.get(f"{base}/screenshot/{bad}")).status == 404
    assert (await client.get(at(tree.customer, f"/apps_store/{'0' * 32}/icon"))).status == 404
    assert (await client.get(at(tree.customer, "/apps_store"))).status == 401


async def test_install_update_uninstall_as_kazoo_does(
    client: TestClient[Any, Any],
    app: web.Application,
    tree: Tree,
    auth_headers: Any,
    tmp_path: Path,
) -> None:
    ids = await register(app, tmp_path, "voip")
    headers = await auth_headers("customer")
    path = at(tree.customer, f"/apps_store/{ids['voip']}")
    installed = await client.put(path, headers=headers, json={"data": {"allowed_users": "admins"}})
    assert installed.status == 201
    assert (await installed.json())["data"] == {
        "allowed_users": "admins",
        "users": [],
        "name": "voip",
    }
    assert (await listed(client, tree.customer, headers))["voip"]["allowed_users"] == "admins"
    again = await client.put(path, headers=headers, json={"data": {"allowed_users": "all"}})
    body = await again.json()
    assert (again.status, body["message"]) == (400, "Application already installed")
    bad = await client.post(path, headers=headers, json={"data": {"allowed_users": "nobody"}})
    assert bad.status == 400
    assert (await listed(client, tree.customer, headers))["voip"]["allowed_users"] == "admins"
    user = tree.users["customer"]["id"]
    changed = await client.post(
        path,
        headers=headers,
        json={"data": {"allowed_users": "specific", "users": [{"id": user}]}},
    )
    assert (await changed.json())["data"]["users"] == [{"id": user}]
    removed = await client.delete(path, headers=headers)
    assert (removed.status, (await removed.json())["data"]) == (200, {})
    gone = await client.delete(path, headers=headers)
    assert (gone.status, (await gone.json())["message"]) == (400, "Application is not installed")
    update = await client.post(path, headers=headers, json={"data": {}})
    assert update.status == 400


async def test_installs_are_confined_to_the_account_tree(
    client: TestClient[Any, Any],
    app: web.Application,
    tree: Tree,
    auth_headers: Any,
    tmp_path: Path,
) -> None:
    ids = await register(app, tmp_path, "voip")
    path = at(tree.customer, f"/apps_store/{ids['voip']}")
    sibling = await client.put(path, headers=await auth_headers("other"), json={"data": {}})
    assert sibling.status == 403
    reseller = await client.put(path, headers=await auth_headers("reseller"), json={"data": {}})
    assert reseller.status == 201
    unknown = await client.put(
        at(tree.customer, f"/apps_store/{'0' * 32}"),
        headers=await auth_headers("customer"),
        json={"data": {}},
    )
    assert unknown.status == 403
    assert (await unknown.json())["data"]["cause"] == "0" * 32


async def test_blacklist_is_set_from_above_and_inherited_down_the_tree(
    client: TestClient[Any, Any],
    app: web.Application,
    tree: Tree,
    auth_headers: Any,
    tmp_path: Path,
) -> None:
    ids = await register(app, tmp_path, "voip", "callflows")
    customer, reseller, master = (
        await auth_headers("customer"),
        await auth_headers("reseller"),
        await auth_headers("master"),
    )
    own = await client.get(at(tree.customer, "/apps_store/blacklist"), headers=customer)
    assert own.status == 403
    put = await client.post(
        at(tree.customer, "/apps_store/blacklist"),
        headers=reseller,
        json={"data": {"blacklist": [ids["voip"]]}},
    )
    assert (put.status, (await put.json())["data"]) == (200, {"blacklist": [ids["voip"]]})
    assert set(await listed(client, tree.customer, customer)) == {"callflows"}
    assert set(await listed(client, tree.other, await auth_headers("other"))) == {
        "voip",
        "callflows",
    }
    hidden = at(tree.customer, f"/apps_store/{ids['voip']}")
    assert (await client.get(hidden, headers=customer)).status == 404
    assert (await client.put(hidden, headers=customer, json={"data": {}})).status == 403
    await client.post(
        at(tree.reseller, "/apps_store/blacklist"),
        headers=master,
        json={"data": {"blacklist": [ids["callflows"]]}},
    )
    assert set(await listed(client, tree.customer, customer)) == set()
    assert set(await listed(client, tree.other, await auth_headers("other"))) == {"voip"}
    await client.post(at(tree.master, "/apps_store"), headers=master, json={"data": {}})
    assert set(await listed(client, tree.master, master)) == {"voip", "callflows"}
    bad = await client.post(
        at(tree.customer, "/apps_store/blacklist"),
        headers=reseller,
        json={"data": {"blacklist": ["not-an-id"]}},
    )
    assert bad.status == 400
    kept = await client.get(at(tree.customer, "/apps_store/blacklist"), headers=reseller)
    assert (await kept.json())["data"] == {"blacklist": [ids["voip"]]}


async def test_login_lists_the_apps_the_user_may_open(
    client: TestClient[Any, Any],
    app: web.Application,
    tree: Tree,
    auth_headers: Any,
    tmp_path: Path,
) -> None:
    ids = await register(app, tmp_path, "voip", "callflows")
    headers = await auth_headers("customer")
    base = at(tree.customer, "/apps_store")
    await client.put(
        f"{base}/{ids['voip']}", headers=headers, json={"data": {"allowed_users": "admins"}}
    )
    await client.put(
        f"{base}/{ids['callflows']}", headers=headers, json={"data": {"allowed_users": "specific"}}
    )
    staff = await client.put(
        at(tree.customer, "/users"),
        headers=headers,
        json={
            "data": {
                "first_name": "Sam",
                "last_name": "Staff",
                "username": "sam",
                "password": "sam-secret-1",
                "priv_level": "user",
            }
        },
    )
    assert staff.status == 201
    response = await client.put(
        "/v2/user_auth",
        json={
            "data": {
                "credentials": __import__("hashlib")
                .md5(b"customer-admin:customer-secret")
                .hexdigest(),
                "account_name": "Customer One",
            }
        },
    )
    apps = (await response.json())["data"]["apps"]
    assert apps == [{"id": ids["voip"], "name": "voip", "label": "Smart PBX"}]
    token = await login(client, "sam", "sam-secret-1", "Customer One")
    info = await client.get("/v2/token_auth", headers={"X-Auth-Token": token})
    assert (await info.json())["data"]["apps"] == []


async def test_registering_again_refreshes_in_place(
    client: TestClient[Any, Any], app: web.Application, store: Store, tree: Tree, tmp_path: Path
) -> None:
    first = await register(app, tmp_path, "voip")
    before = await store.get("apps", first["voip"])
    assert before is not None
    (tmp_path / "voip" / "metadata" / "screenshots" / "one.png").write_bytes(b"shot-new")
    again = {doc["name"]: doc for doc in await init_apps(app, tmp_path, "https://pbx.test/v2")}
    assert again["voip"]["id"] == first["voip"]
    assert again["voip"]["api_url"] == "https://pbx.test/v2"
    images_before, images_after = before["pvt_images"], again["voip"]["pvt_images"]
    assert images_after["voip.png"]["file_id"] == images_before["voip.png"]["file_id"]
    assert images_after["one.png"]["file_id"] != images_before["one.png"]["file_id"]
    shot = await client.get(at(tree.customer, f"/apps_store/{first['voip']}/screenshot/0"))
    assert await shot.read() == b"shot-new"
    assert await store.files.open(images_before["one.png"]["file_id"]) is None
    assert len(await store.find("apps", {})) == 1


async def test_registering_an_unchanged_folder_writes_nothing(
    app: web.Application, store: Store, tree: Tree, tmp_path: Path
) -> None:
    first = await register(app, tmp_path, "voip")
    before = await store.get("apps", first["voip"])
    await init_apps(app, tmp_path)
    after = await store.get("apps", first["voip"])
    assert before is not None and after is not None
    assert after["_rev"] == before["_rev"]


async def test_a_broken_app_folder_is_skipped(
    app: web.Application, tree: Tree, tmp_path: Path
) -> None:
    write_app(tmp_path, "voip")
    write_app(tmp_path, "broken", author="")
    (tmp_path / "notes").mkdir()
    names = [doc["name"] for doc in await init_apps(app, tmp_path)]
    assert names == ["voip"]


async def test_init_apps_command_registers_into_the_configured_store(
    mongo_url: str, tmp_path: Path
) -> None:
    database = f"t{secrets.token_hex(6)}"
    settings = Settings(mongo_url=mongo_url, mongo_database=database, bcrypt_rounds=4)
    assert await init_apps_command(settings, tmp_path / "apps", None) == 1
    assert await create_account_command(settings, "Master", "admin", "admin-secret-1") == 0
    write_app(tmp_path / "apps", "voip")
    assert await init_apps_command(settings, tmp_path / "apps", None) == 0
    async with open_store(settings) as store:
        assert [doc["name"] for doc in await store.find("apps", {})] == ["voip"]
    cleanup: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url)
    await cleanup.drop_database(database)
    await cleanup.close()

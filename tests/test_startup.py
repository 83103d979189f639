"""Start-up: settings from the environment, the master account, fixtures, the CLI."""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from pymongo import AsyncMongoClient

from gateway.__main__ import main
from gateway.app import create_app
from gateway.provision import load_fixtures
from gateway.settings import Settings, SettingsError
from gateway.store import Store
from tests.conftest import login

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_settings_defaults_and_overrides() -> None:
    settings = Settings.from_env({"GATEWAY_PAGE_SIZE_MAX": "20", "GATEWAY_DATA_DIR": "memory"})
    assert settings.page_size_max == 20
    assert settings.data_dir == "memory"
    assert settings.mongo_url is None
    assert settings.token_ttl == 3600
    assert (settings.cache_ttl_ms, settings.cache_entries, settings.cache_bytes) == (
        1000,
        10_000,
        16_000_000,
    )
    assert (settings.access_log, settings.server_timing) == (False, False)


def test_cache_log_and_timing_settings_are_read() -> None:
    settings = Settings.from_env(
        {
            "GATEWAY_CACHE_TTL_MS": "0",
            "GATEWAY_CACHE_ENTRIES": "5",
            "GATEWAY_CACHE_BYTES": "70000",
            "GATEWAY_ACCESS_LOG": "true",
            "GATEWAY_SERVER_TIMING": "TRUE",
        }
    )
    assert (settings.cache_ttl_ms, settings.cache_entries, settings.cache_bytes) == (0, 5, 70_000)
    assert (settings.access_log, settings.server_timing) == (True, True)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"GATEWAY_TOKEN_TTL": "soon"}, "GATEWAY_TOKEN_TTL"),
        ({"GATEWAY_PAGE_SIZE_MAX": "0"}, "GATEWAY_PAGE_SIZE_MAX"),
        ({"GATEWAY_SECRET_KEY": "short"}, "GATEWAY_SECRET_KEY"),
        ({"GATEWAY_MONGO_DATABASE": "a b"}, "GATEWAY_MONGO_DATABASE"),
        ({"GATEWAY_CACHE_TTL_MS": "60001"}, "GATEWAY_CACHE_TTL_MS"),
        ({"GATEWAY_CACHE_BYTES": "1000"}, "GATEWAY_CACHE_BYTES"),
        ({"GATEWAY_ACCESS_LOG": "yes"}, "GATEWAY_ACCESS_LOG"),
        ({"GATEWAY_INTAKE_KEYS": "short"}, "GATEWAY_INTAKE_KEYS"),
        ({"GATEWAY_INTAKE_BATCH_MAX": "0"}, "GATEWAY_INTAKE_BATCH_MAX"),
    ],
)
def test_invalid_setting_names_itself_in_one_line(env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(env)
    assert named in str(caught.value) and "\n" not in str(caught.value)


def test_invalid_setting_stops_the_command_with_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GATEWAY_TOKEN_TTL", "-1")
    assert main(["serve"]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0


async def test_master_account_is_created_on_first_start(
    aiohttp_client: Any, settings: Settings, store: Store
) -> None:
    settings = dataclasses.replace(
        settings, admin_account="Head Office", admin_username="Root", admin_password="pw-1"
    )
    client = await aiohttp_client(create_app(settings, store))
    token = await login(client, "root", "pw-1", "Head Office")
    response = await client.get("/v2/token_auth", headers={"X-Auth-Token": token})
    data = (await response.json())["data"]
    assert data["is_master_account"] is True
    account = await client.get(
        f"/v2/accounts/{data['account_id']}", headers={"X-Auth-Token": token}
    )
    body = (await account.json())["data"]
    assert body["superduper_admin"] is True and body["name"] == "Head Office"


async def test_master_account_is_not_created_twice(
    aiohttp_client: Any, settings: Settings, store: Store
) -> None:
    settings = dataclasses.replace(settings, admin_username="root", admin_password="pw-1")
    await aiohttp_client(create_app(settings, store))
    await aiohttp_client(create_app(settings, store))
    assert len(await store.find("accounts", {})) == 1


async def test_demo_fixtures_load_and_their_logins_work(
    client: TestClient[Any, Any], app: Any, store: Store
) -> None:
    logins = await load_fixtures(app, FIXTURES)
    assert len(logins) == 4
    for demo in logins:
        token = await login(client, demo["username"], demo["password"], demo["account_name"])
        info = await client.get("/v2/token_auth", headers={"X-Auth-Token": token})
        assert info.status == 200
    master = next(demo for demo in logins if demo["account_name"] == "Master")
    token = await login(client, master["username"], master["password"], "Master")
    response = await client.get(
        "/v2/accounts/a0000000000000000000000000000001/descendants",
        headers={"X-Auth-Token": token},
    )
    assert len((await response.json())["data"]) == 3
    acme = "a0000000000000000000000000000003"
    acme_admin = next(demo for demo in logins if demo["account_name"] == "Acme Corp")
    token = await login(client, acme_admin["username"], acme_admin["password"], "Acme Corp")
    pbx = {"X-Auth-Token": token}
    counts = {}
    for kind in (
        "users",
        "devices",
        "vmboxes",
        "callflows",
        "groups",
        "queues",
        "conferences",
        "menus",
        "temporal_rules",
        "media",
    ):
        listing = await client.get(f"/v2/accounts/{acme}/{kind}?paginate=false", headers=pbx)
        counts[kind] = len((await listing.json())["data"])
    assert counts == {
        "users": 3,
        "devices": 3,
        "vmboxes": 3,
        "callflows": 6,
        "groups": 1,
        "queues": 1,
        "conferences": 1,
        "menus": 1,
        "temporal_rules": 1,
        "media": 1,
    }
    numbers = await client.get(f"/v2/accounts/{acme}/phone_numbers", headers=pbx)
    assert list((await numbers.json())["data"]["numbers"]) == ["+14155550100"]
    flows = await client.get(
        f"/v2/accounts/{acme}/callflows?filter_name=Main%20number", headers=pbx
    )
    main_id = (await flows.json())["data"][0]["id"]
    main = await client.get(f"/v2/accounts/{acme}/callflows/{main_id}", headers=pbx)
    kinds = {meta["pvt_type"] for meta in (await main.json())["data"]["metadata"].values()}
    assert {"menu", "temporal_rule", "vmbox", "group", "queue"} <= kinds
    again = await load_fixtures(app, FIXTURES)
    assert again == logins
    assert len(await store.find("accounts", {})) == 4


def cli_database(monkeypatch: pytest.MonkeyPatch, mongo_url: str) -> str:
    """Point the command line at a database of its own; its name."""
    database = f"cli{secrets.token_hex(4)}"
    monkeypatch.setenv("GATEWAY_MONGO_URL", mongo_url)
    monkeypatch.setenv("GATEWAY_MONGO_DATABASE", database)
    return database


def test_create_account_command_makes_a_master_once(
    monkeypatch: pytest.MonkeyPatch, mongo_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    database = cli_database(monkeypatch, mongo_url)
    monkeypatch.setenv("GATEWAY_BCRYPT_ROUNDS", "4")
    args = ["create-account", "--name", "Ops", "--username", "ops", "--password", "pw"]
    assert main(args) == 0
    assert "created account Ops" in capsys.readouterr().out
    assert main(args) == 1

    async def count() -> int:
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url)
        try:
            docs = await client[database]["accounts"].find({}).to_list()
            await client.drop_database(database)
            return len(docs)
        finally:
            await client.close()

    assert asyncio.run(count()) == 1


def test_intake_key_commands_create_list_and_revoke(
    monkeypatch: pytest.MonkeyPatch, mongo_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    database = cli_database(monkeypatch, mongo_url)
    assert main(["create-intake-key", "--name", "edge switch"]) == 0
    created = capsys.readouterr().out
    key = created.split(": ", 1)[1].split()[0]
    assert key.startswith("ik_") and len(key) > 40
    assert main(["intake-keys"]) == 0
    listed = capsys.readouterr().out
    key_id = listed.split()[0]
    assert "edge switch" in listed and key not in listed and f"id {key_id}" in created
    assert main(["revoke-intake-key", key_id]) == 0
    assert main(["revoke-intake-key", key_id]) == 1
    assert main(["intake-keys"]) == 0
    assert "edge switch" not in capsys.readouterr().out

    async def drop() -> None:
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url)
        await client.drop_database(database)
        await client.close()

    asyncio.run(drop())

"""`/v1/pbx/ice-servers`: STUN and TURN servers from settings, TURN credentials per the TURN
REST API convention (coturn's `use-auth-secret`), the settings validated once."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from gateway.dialects.dodev.endpoints.ice_servers import ice_servers, turn_credential
from gateway.settings import Settings, SettingsError
from tests.conftest import Tree
from tests.dialects.dodev.helpers import bearer, error_of, mint

Client = TestClient[Any, Any]
ICE = "/v1/pbx/ice-servers"
SECRET = "north-turn-secret-0001"
STUN = ("stun:stun.example.net:3478",)
TURN = ("turn:turn.example.net:3478?transport=udp", "turns:turn.example.net:5349?transport=tcp")


def test_the_credential_is_base64_of_hmac_sha1_of_the_user_name() -> None:
    # RFC 2202, test case 2.
    assert (
        turn_credential("Jefe", "what do ya want for nothing?") == "7/zfauXrL6LSdBbV8YTfnCWafHk="
    )
    # What `openssl dgst -sha1 -hmac <secret> -binary | base64` prints for the user name.
    username = "1700000000:ext_0123456789abcdef0123456789abcdef"
    assert turn_credential(SECRET, username) == "s87ZuI7GiBhNLiDvJfB9D+ZLd2A="


def test_turn_user_names_expire_after_the_ttl() -> None:
    settings = Settings(stun_urls=STUN, turn_urls=TURN, turn_secret=SECRET, turn_ttl=600)
    stun, turn = ice_servers(settings, "key1", 1_700_000_000.7)["iceServers"]
    assert stun == {"urls": list(STUN)}
    assert turn["urls"] == list(TURN) and turn["username"] == "1700000600:key1"
    assert turn["credential"] == turn_credential(SECRET, "1700000600:key1")


def test_without_turn_only_stun_or_nothing_is_offered() -> None:
    assert ice_servers(Settings(stun_urls=STUN), "k", 0)["iceServers"] == [{"urls": list(STUN)}]
    assert ice_servers(Settings(), "k", 0) == {"iceServers": [], "ttl": 86400}


def test_the_settings_are_read_and_checked() -> None:
    settings = Settings.from_env(
        {
            "GATEWAY_STUN_URLS": " stun:a.example:3478, stun:b.example:3478 ",
            "GATEWAY_TURN_URLS": "turn:t.example:3478?transport=udp",
            "GATEWAY_TURN_SECRET": SECRET,
            "GATEWAY_TURN_TTL": "3600",
        }
    )
    assert settings.stun_urls == ("stun:a.example:3478", "stun:b.example:3478")
    assert settings.turn_urls == ("turn:t.example:3478?transport=udp",)
    assert (settings.turn_secret, settings.turn_ttl) == (SECRET, 3600)
    defaults = Settings.from_env({})
    assert (defaults.stun_urls, defaults.turn_urls, defaults.turn_ttl) == ((), (), 86400)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"GATEWAY_STUN_URLS": "http://stun.example"}, "GATEWAY_STUN_URLS"),
        ({"GATEWAY_TURN_URLS": "stun:x", "GATEWAY_TURN_SECRET": SECRET}, "GATEWAY_TURN_URLS"),
        ({"GATEWAY_TURN_URLS": "turn:t.example:3478"}, "GATEWAY_TURN_SECRET"),
        ({"GATEWAY_TURN_SECRET": "short"}, "GATEWAY_TURN_SECRET"),
        ({"GATEWAY_TURN_TTL": "10"}, "GATEWAY_TURN_TTL"),
        ({"GATEWAY_TURN_TTL": str(8 * 86400)}, "GATEWAY_TURN_TTL"),
    ],
)
def test_bad_ice_settings_name_themselves(env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(env)
    assert named in str(caught.value)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(
        settings, stun_urls=STUN, turn_urls=TURN, turn_secret=SECRET, turn_ttl=600
    )


async def test_a_key_gets_servers_and_credentials_for_itself(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    minted = await mint(client, await auth_headers("customer"), tree.customer)
    before = int(time.time())
    response = await client.get(ICE, headers=bearer(minted))
    body = await response.json()
    assert response.status == 200 and response.headers["Cache-Control"] == "no-store"
    assert body["ttl"] == 600
    stun, turn = body["iceServers"]
    assert stun == {"urls": list(STUN)} and turn["urls"] == list(TURN)
    expiry, user = turn["username"].split(":")
    assert before + 600 <= int(expiry) <= int(time.time()) + 600
    assert user == minted["id"]
    assert turn["credential"] == turn_credential(SECRET, turn["username"])


async def test_an_extension_of_the_account_gets_its_own_user_name(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    key = bearer(await mint(client, await auth_headers("customer"), tree.customer))
    extension = f"ext_{tree.users['customer']['id']}"
    body = await (await client.get(f"{ICE}?extensionId={extension}", headers=key)).json()
    assert body["iceServers"][1]["username"].endswith(f":{extension}")
    for wrong in (f"ext_{tree.users['other']['id']}", "ext_nope", tree.users["customer"]["id"]):
        response = await client.get(f"{ICE}?extensionId={wrong}", headers=key)
        assert response.status == 404
        assert (await error_of(response))["code"] == "EXTENSION_NOT_FOUND"


async def test_ice_servers_need_the_webrtc_scope(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    webrtc = bearer(await mint(client, headers, tree.customer, scopes=["pbx:webrtc:read"]))
    assert (await client.get(ICE, headers=webrtc)).status == 200
    other = bearer(await mint(client, headers, tree.customer, scopes=["pbx:settings:read"]))
    refused = await client.get(ICE, headers=other)
    assert refused.status == 403
    assert (await error_of(refused))["requiredScope"] == "pbx:webrtc:read"
    assert (await client.get(ICE)).status == 401

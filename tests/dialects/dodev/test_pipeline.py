"""The /v1/pbx pipeline: its own error shape for unknown paths, wrong verbs, bad input, a store
that is down and unexpected failures; never a Kazoo envelope."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from gateway.dialects.dodev.endpoints import settings
from gateway.store import StoreUnavailable
from tests.conftest import Tree
from tests.dialects.dodev.helpers import bearer, error_of, mint

Client = TestClient[Any, Any]
KAZOO_KEYS = {"data", "status", "request_id", "auth_token", "message"}


@pytest.fixture
async def key(client: Client, tree: Tree, auth_headers: Any) -> dict[str, str]:
    """Every scope, in the customer account."""
    return bearer(await mint(client, await auth_headers("customer"), tree.customer))


@pytest.mark.parametrize(
    "path", ["/v1/pbx", "/v1/pbx/", "/v1/pbx/nothing", "/v1/pbx/settings/extra", "/v1/pbx//"]
)
async def test_an_unknown_path_is_404_not_found(
    client: Client, key: dict[str, str], path: str
) -> None:
    response = await client.get(path, headers=key)
    error = await error_of(response)
    assert response.status == 404 and error["code"] == "NOT_FOUND"


async def test_an_unknown_path_without_a_key_is_401(client: Client, tree: Tree) -> None:
    response = await client.get("/v1/pbx/nothing")
    assert response.status == 401


async def test_a_trailing_slash_is_the_same_path(client: Client, key: dict[str, str]) -> None:
    assert (await client.get("/v1/pbx/settings/", headers=key)).status == 200


async def test_a_wrong_verb_is_405_with_allow(client: Client, key: dict[str, str]) -> None:
    response = await client.post("/v1/pbx/settings", json={}, headers=key)
    error = await error_of(response)
    assert response.status == 405 and error["code"] == "METHOD_NOT_ALLOWED"
    assert response.headers["Allow"] == "GET, PATCH"


@pytest.mark.parametrize(
    ("path", "headers", "field"),
    [
        ("/v1/pbx/settings?" + "&".join(f"p{n}=1" for n in range(101)), {}, "query"),
        ("/v1/pbx/" + "/".join(["s"] * 17), {}, "path"),
        ("/v1/pbx/settings", {"X-File-Name": "x" * 5000}, "headers"),
    ],
)
async def test_requests_past_the_bounds_are_400(
    client: Client, key: dict[str, str], path: str, headers: dict[str, str], field: str
) -> None:
    response = await client.get(path, headers={**key, **headers})
    error = await error_of(response)
    assert response.status == 400 and error["code"] == "VALIDATION_ERROR"
    assert error["fields"][0]["field"] == field


async def test_a_store_that_is_down_is_503(
    client: Client, key: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def down(*args: Any) -> Any:
        raise StoreUnavailable()

    monkeypatch.setattr(settings, "fresh_account", down)
    response = await client.patch("/v1/pbx/settings", json={"language": "x"}, headers=key)
    error = await error_of(response)
    assert response.status == 503 and error["code"] == "SERVICE_UNAVAILABLE"


async def test_an_unexpected_failure_is_500_without_internal_text_and_logged_once(
    client: Client,
    key: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(account: Any) -> Any:
        raise RuntimeError("internal detail 1234")

    monkeypatch.setattr(settings, "settings_of", broken)
    with caplog.at_level(logging.ERROR, logger="gateway.dialects.dodev.pipeline"):
        response = await client.get("/v1/pbx/settings", headers={**key, "X-Request-ID": "req-500"})
    error = await error_of(response)
    assert response.status == 500 and error["code"] == "INTERNAL_ERROR"
    assert "1234" not in await response.text()
    logged = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(logged) == 1 and "req-500" in logged[0].getMessage()


async def test_no_reply_is_a_kazoo_envelope(client: Client, key: dict[str, str]) -> None:
    replies = [
        await client.get("/v1/pbx/settings", headers=key),
        await client.get("/v1/pbx/settings"),
        await client.get("/v1/pbx/zzz", headers=key),
        await client.patch("/v1/pbx/settings", data=b"{", headers=key),
    ]
    for reply in replies:
        body = await reply.json()
        assert not KAZOO_KEYS & set(body), body
        assert reply.headers["Content-Type"] == "application/json"
        assert reply.headers["X-Request-ID"]

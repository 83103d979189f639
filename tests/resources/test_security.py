"""security and multi_factor: Kazoo's answers for an account with no auth settings or MFA."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from gateway.settings import Settings
from tests.conftest import Tree
from tests.resources.auth_checks import error_of
from tests.resources.clients import AsLevel, at

TOKEN_TTL = 7200
FORBIDDEN = {
    "status": "error",
    "error": "403",
    "message": "forbidden",
    "data": {"message": "forbidden"},
}


@pytest.fixture
def settings() -> Settings:
    """Test settings with a token lifetime other than Kazoo's 3600."""
    return Settings(
        bcrypt_rounds=4,
        realm_suffix="sip.test",
        page_size_max=100,
        unpaginated_max=200,
        token_ttl=TOKEN_TTL,
    )


def inherited(log_successful_attempts: bool) -> dict[str, Any]:
    """One auth module as the account inherits it."""
    return {
        "enabled": True,
        "token_auth_expiry_s": TOKEN_TTL,
        "log_failed_attempts": True,
        "log_successful_attempts": log_successful_attempts,
    }


async def test_security_shows_inherited_defaults_with_the_gateways_token_ttl(
    tree: Tree, as_level: AsLevel
) -> None:
    call = await as_level("customer")
    status, body = await call("GET", at(tree.customer, "/security"))
    assert status == 200
    assert body["data"] == {
        "account": {},
        "inherited_config": {
            "auth_modules": {
                "cb_user_auth": {**inherited(True), "multi_factor": {"enabled": False}},
                "cb_api_auth": inherited(False),
                "cb_auth": inherited(False),
                "cb_ip_auth": inherited(False),
            }
        },
    }


async def test_multi_factor_lists_no_configured_or_available_providers(
    tree: Tree, as_level: AsLevel
) -> None:
    call = await as_level("customer")
    status, body = await call("GET", at(tree.customer, "/multi_factor"))
    assert (status, body["data"]) == (200, {"configured": [], "multi_factor_providers": []})


async def test_login_attempts_are_empty_lists(tree: Tree, as_level: AsLevel) -> None:
    call = await as_level("reseller")
    for tail in ("/security/attempts", "/multi_factor/attempts"):
        status, body = await call("GET", at(tree.customer, tail))
        assert (status, body["data"], body["page_size"]) == (200, [], 0), tail


async def test_a_sibling_admin_is_forbidden(tree: Tree, as_level: AsLevel) -> None:
    call = await as_level("other")
    for tail in ("/security", "/security/attempts", "/multi_factor", "/multi_factor/attempts"):
        status, body = await call("GET", at(tree.customer, tail))
        assert (status, error_of(body)) == (403, FORBIDDEN), tail


async def test_no_token_is_401(client: TestClient[Any, Any], tree: Tree) -> None:
    for tail in ("/security", "/multi_factor"):
        assert (await client.get(at(tree.customer, tail))).status == 401, tail


async def test_writes_are_not_served(tree: Tree, as_level: AsLevel) -> None:
    call = await as_level("reseller")
    for tail in ("/security", "/multi_factor"):
        status, body = await call("POST", at(tree.customer, tail), {"auth_modules": {}})
        assert (status, body["message"]) == (405, "invalid_method"), tail

"""Request buckets per client address and per account: headers on every reply, Kazoo's 429,
logins costing more, an account's own limit set from above, one bucket across instances."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from gateway.app import create_app
from gateway.settings import Settings
from gateway.store import Store
from tests.conftest import MASTER_PASSWORD, Tree, login, make_tree, md5_credentials

Client = TestClient[Any, Any]
HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
TOO_MANY = {
    "status": "error",
    "error": "429",
    "message": "too_many_requests",
    "data": {"message": "too many requests"},
}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """A roomy address bucket and a roomy account bucket, refilling slowly."""
    return dataclasses.replace(
        settings,
        rate_address_capacity=500,
        rate_address_per_second=1,
        rate_account_capacity=400,
        rate_account_per_second=1,
    )


def limits_of(response: ClientResponse) -> tuple[int, int, int]:
    """(limit, remaining, reset) from the X-RateLimit-* headers."""
    return tuple(int(response.headers[name]) for name in HEADERS)  # type: ignore[return-value]


async def test_every_kind_of_reply_carries_the_rate_limit_headers(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    account = f"/v2/accounts/{tree.customer['id']}"
    replies = [
        await client.get(account, headers=headers),  # success
        await client.get(f"{account}/users/{'0' * 32}", headers=headers),  # 404 bad_identifier
        await client.get("/v2/no_such_module", headers=headers),  # 404 not_found
        await client.get(account),  # 401
        await client.get(f"/v2/accounts/{tree.other['id']}", headers=headers),  # 403
        await client.put(f"{account}/users", json={"data": {}}, headers=headers),  # 400
        await client.request("PURGE", account, headers=headers),  # 501, no body
        await client.put(
            "/v2/user_auth",
            json={"data": {"credentials": "0" * 32, "account_name": "Customer One"}},
        ),  # failed login
    ]
    statuses = [reply.status for reply in replies]
    assert statuses == [200, 404, 404, 401, 403, 400, 501, 401]
    now = time.time()
    for reply in replies:
        limit, remaining, reset = limits_of(reply)
        assert limit in (400, 500)
        assert 0 <= remaining <= limit
        assert now - 1 <= reset <= now + limit + 1


async def test_a_success_envelope_reports_the_tokens_it_consumed(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    first = await client.get(f"/v2/accounts/{tree.customer['id']}", headers=headers)
    second = await client.get(f"/v2/accounts/{tree.customer['id']}", headers=headers)
    tokens = [(await reply.json())["tokens"] for reply in (first, second)]
    assert [t["consumed"] for t in tokens] == [1, 1]
    assert tokens[1]["remaining"] in (tokens[0]["remaining"] - 1, tokens[0]["remaining"])
    assert tokens[1]["remaining"] == int(second.headers["X-RateLimit-Remaining"])


async def test_a_login_costs_35_tokens_of_the_address(client: Client, tree: Tree) -> None:
    before = await client.get("/v2/no_such_module")
    token = await login(client, "customer-admin", "customer-secret", "Customer One")
    after = await client.get("/v2/no_such_module", headers={"X-Auth-Token": token})
    spent = limits_of(before)[1] - limits_of(after)[1]
    assert 36 <= spent <= 37  # the login and this request, give or take a refilled token


@pytest.mark.parametrize("capacity", [5])
async def test_an_empty_address_bucket_answers_kazoos_429_with_retry_after(
    aiohttp_client: Any, settings: Settings, store: Store, capacity: int
) -> None:
    settings = dataclasses.replace(settings, rate_address_capacity=capacity)
    client = await aiohttp_client(create_app(settings, store))
    started = time.monotonic()
    statuses = [(await client.get("/v2/no_such_module")).status for _ in range(capacity + 4)]
    refilled = int(time.monotonic() - started) + 1
    assert statuses[:capacity] == [401] * capacity
    assert 429 in statuses
    assert statuses.count(401) <= capacity + refilled
    refused = await client.get("/v2/no_such_module")
    assert refused.status == 429
    body = await refused.json()
    assert {key: body[key] for key in TOO_MANY} == TOO_MANY
    assert int(refused.headers["Retry-After"]) >= 1
    limit, remaining, _ = limits_of(refused)
    assert (limit, remaining) == (capacity, 0)


async def test_a_cors_preflight_costs_nothing(client: Client, tree: Tree) -> None:
    before = limits_of(await client.get("/v2/no_such_module"))[1]
    for _ in range(5):
        preflight = await client.options(
            f"/v2/accounts/{tree.customer['id']}/users",
            headers={"Origin": "https://ui.test", "Access-Control-Request-Method": "PUT"},
        )
        assert preflight.status == 200
        assert "X-RateLimit-Remaining" in preflight.headers
    after = limits_of(await client.get("/v2/no_such_module"))[1]
    assert before - after <= 2


async def test_an_account_bucket_limits_that_account_only(
    aiohttp_client: Any, settings: Settings, store: Store
) -> None:
    settings = dataclasses.replace(settings, rate_account_capacity=6)
    client = await aiohttp_client(create_app(settings, store))
    tree = await make_tree(client.app)
    customer = {
        "X-Auth-Token": await login(client, "customer-admin", "customer-secret", "Customer One")
    }
    other = {"X-Auth-Token": await login(client, "other-admin", "other-secret", "Customer Two")}
    path = f"/v2/accounts/{tree.customer['id']}"
    statuses = [(await client.get(path, headers=customer)).status for _ in range(10)]
    assert statuses[:6] == [200] * 6
    assert statuses[-1] == 429
    refused = await client.get(path, headers=customer)
    assert limits_of(refused)[:2] == (6, 0)
    allowed = await client.get(f"/v2/accounts/{tree.other['id']}", headers=other)
    assert allowed.status == 200
    assert limits_of(allowed)[0] == 6


async def test_an_ancestor_gives_an_account_its_own_limit(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    reseller = await auth_headers("reseller")
    customer = await auth_headers("customer")
    limits = f"/v2/accounts/{tree.customer['id']}/limits"
    own = {"data": {"api_rate_limit": {"capacity": 3, "per_second": 1}}}
    assert (await client.post(limits, json=own, headers=customer)).status == 403
    response = await client.post(limits, json=own, headers=reseller)
    assert response.status == 200, await response.json()
    assert (await response.json())["data"]["api_rate_limit"] == {"capacity": 3, "per_second": 1}
    path = f"/v2/accounts/{tree.customer['id']}"
    statuses = [(await client.get(path, headers=customer)).status for _ in range(6)]
    assert statuses[:3] == [200] * 3
    assert statuses[-1] == 429
    assert limits_of(await client.get(path, headers=customer))[0] == 3
    # The reseller's own account keeps the configured bucket.
    assert (await client.get(path, headers=reseller)).status == 200
    bad = {"data": {"api_rate_limit": {"capacity": 0, "per_second": 1}}}
    refused = await client.post(limits, json=bad, headers=reseller)
    assert refused.status == 400
    assert "api_rate_limit.capacity" in (await refused.json())["data"]


async def test_removing_an_accounts_own_limit_restores_the_configured_one(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    reseller = await auth_headers("reseller")
    customer = await auth_headers("customer")
    limits = f"/v2/accounts/{tree.customer['id']}/limits"
    own = {"data": {"api_rate_limit": {"capacity": 50, "per_second": 5}}}
    assert (await client.post(limits, json=own, headers=reseller)).status == 200
    path = f"/v2/accounts/{tree.customer['id']}"
    assert limits_of(await client.get(path, headers=customer))[0] == 50
    assert (await client.post(limits, json={"data": {}}, headers=reseller)).status == 200
    # An instance sees the change at its next lease: once it has spent the share it holds.
    seen = [limits_of(await client.get(path, headers=customer))[0] for _ in range(6)]
    assert seen[-1] == 400


async def test_one_bucket_is_shared_by_two_instances_on_one_store(
    aiohttp_client: Any, settings: Settings, store: Store
) -> None:
    settings = dataclasses.replace(settings, rate_address_capacity=10)
    first = await aiohttp_client(create_app(settings, store))
    second = await aiohttp_client(create_app(settings, store))
    started = time.monotonic()
    allowed = 0
    for _ in range(12):
        for instance in (first, second):
            if (await instance.get("/v2/no_such_module")).status == 401:
                allowed += 1
    refilled = int(time.monotonic() - started) + 1
    # One bucket of 10, plus at most one leased share per instance and what refilled meanwhile;
    # two separate buckets would have let 20 through.
    assert 10 <= allowed <= 10 + 2 + refilled
    assert (await first.get("/v2/no_such_module")).status == 429
    assert (await second.get("/v2/no_such_module")).status == 429


async def test_the_failed_login_throttle_reports_its_own_window(
    aiohttp_client: Any, settings: Settings, store: Store
) -> None:
    settings = dataclasses.replace(settings, login_failure_limit=2, login_failure_window=86400)
    client = await aiohttp_client(create_app(settings, store))
    await make_tree(client.app)
    wrong = {"data": {"credentials": md5_credentials("admin", "nope"), "account_name": "Master"}}
    for _ in range(2):
        assert (await client.put("/v2/user_auth", json=wrong)).status == 401
    right = {
        "data": {
            "credentials": md5_credentials("admin", MASTER_PASSWORD),
            "account_name": "Master",
        }
    }
    refused = await client.put("/v2/user_auth", json=right)
    assert refused.status == 429
    limit, remaining, reset = limits_of(refused)
    assert (limit, remaining) == (2, 0)
    assert reset == pytest.approx(time.time() + int(refused.headers["Retry-After"]), abs=2)


async def test_limits_off_send_no_rate_headers(
    aiohttp_client: Any, settings: Settings, store: Store
) -> None:
    settings = dataclasses.replace(settings, rate_limit=False, rate_address_capacity=1)
    client = await aiohttp_client(create_app(settings, store))
    replies = [await client.get("/v2/no_such_module") for _ in range(3)]
    assert [reply.status for reply in replies] == [401] * 3
    assert all("X-RateLimit-Limit" not in reply.headers for reply in replies)

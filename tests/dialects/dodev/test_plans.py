"""Plan rate limits on /v1/pbx: requests a minute per key and per account, X-RateLimit-* on
every reply, 429 RATE_LIMITED with Retry-After past the limit."""

from __future__ import annotations

import time
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from gateway.dialects.dodev.plans import PLANS, plan_limit, plan_name
from gateway.ratelimit import limiter
from tests.conftest import Tree
from tests.dialects.dodev.helpers import bearer, error_of, mint
from tests.resources.clients import at

Client = TestClient[Any, Any]
SETTINGS = "/v1/pbx/settings"


class FrozenClock:
    """The limiter's clock, stopped: no bucket refills while a test counts requests."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    clock = FrozenClock()
    monkeypatch.setattr(limiter, "time", clock)
    return clock


def figures(response: Any) -> tuple[int, int, int]:
    """(limit, remaining, reset) of the X-RateLimit-* headers."""
    names = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
    return tuple(int(response.headers[name]) for name in names)  # type: ignore[return-value]


def test_plans_allow_a_minute_of_requests() -> None:
    assert PLANS == {"starter": 60, "professional": 300, "enterprise": 1000}
    assert plan_limit("professional").capacity == 300
    assert plan_limit("professional").per_second == 5
    assert plan_name(None) == plan_name({"plan": "gold"}) == "starter"
    assert plan_name({"plan": "enterprise"}) == "enterprise"


async def test_the_61st_request_of_a_starter_minute_is_429(
    client: Client, tree: Tree, auth_headers: Any, frozen: FrozenClock
) -> None:
    made = await mint(client, await auth_headers("customer"), tree.customer)
    remaining = []
    for _ in range(60):
        response = await client.get(SETTINGS, headers=bearer(made))
        assert response.status == 200
        limit, left, reset = figures(response)
        assert limit == 60 and reset >= int(frozen.now)
        remaining.append(left)
    assert remaining == list(range(59, -1, -1))
    refused = await client.get(SETTINGS, headers=bearer(made))
    error = await error_of(refused)
    assert refused.status == 429 and error["code"] == "RATE_LIMITED"
    assert int(refused.headers["Retry-After"]) >= 1
    assert figures(refused)[:2] == (60, 0)
    frozen.now += 5
    again = await client.get(SETTINGS, headers=bearer(made))
    assert again.status == 200 and figures(again)[0] == 60


async def test_keys_of_one_account_share_its_minute(
    client: Client, tree: Tree, auth_headers: Any, frozen: FrozenClock
) -> None:
    headers = await auth_headers("customer")
    first, second = (
        await mint(client, headers, tree.customer),
        await mint(client, headers, tree.customer),
    )
    for key in (first, second):
        for _ in range(30):
            assert (await client.get(SETTINGS, headers=bearer(key))).status == 200
    refused = await client.get(SETTINGS, headers=bearer(first))
    assert refused.status == 429
    other = await mint(client, await auth_headers("other"), tree.other)
    assert (await client.get(SETTINGS, headers=bearer(other))).status == 200


async def test_an_ancestor_sets_the_plan_in_the_limits(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    reseller = await auth_headers("reseller")
    limits = at(tree.customer, "/limits")
    body = {"data": {"plan": "professional"}}
    refused = await client.post(limits, json=body, headers=await auth_headers("customer"))
    assert refused.status == 403
    assert (await client.post(limits, json=body, headers=reseller)).status == 200
    made = await mint(client, reseller, tree.customer)
    response = await client.get(SETTINGS, headers=bearer(made))
    assert response.status == 200 and figures(response)[0] == 300
    unknown = await client.post(limits, json={"data": {"plan": "gold"}}, headers=reseller)
    assert unknown.status == 400
    assert "enum" in (await unknown.json())["data"]["plan"]


async def test_every_reply_carries_the_rate_limit_headers(
    client: Client, tree: Tree, auth_headers: Any
) -> None:
    made = await mint(client, await auth_headers("customer"), tree.customer)
    replies = [
        await client.get(SETTINGS, headers=bearer(made)),  # 200
        await client.get("/v1/pbx/nothing", headers=bearer(made)),  # 404
        await client.delete(SETTINGS, headers=bearer(made)),  # 405
        await client.patch(SETTINGS, json={"language": 5}, headers=bearer(made)),  # 400
        await client.get(SETTINGS),  # 401: the client address's bucket
        await client.get(SETTINGS, headers=bearer(f"do_live_{'x' * 43}")),  # 401
    ]
    assert [reply.status for reply in replies] == [200, 404, 405, 400, 401, 401]
    for reply in replies:
        assert all(reply.headers.get(name) for name in ("X-RateLimit-Limit", "X-Request-ID"))
    assert [figures(reply)[0] for reply in replies[:4]] == [60, 60, 60, 60]

"""Rate limits in the pipeline: every request charges its client address, every login-bearing
request its account as well, and every reply reports the bucket closest to empty."""

from __future__ import annotations

import re

from aiohttp import web

from gateway.auth.credentials import client_address
from gateway.crossbar.context import Context
from gateway.crossbar.errors import TooManyRequests
from gateway.keys import LIMITER
from gateway.ratelimit import Limit, RateLimited, Verdict
from gateway.ratelimit.bucket import tightest
from gateway.settings import Settings

# Kazoo: user_auth and api_auth cost more than any other request.
_LOGIN = re.compile(r"^/v2/(user_auth|api_auth)/?$")


def address_limit(settings: Settings) -> Limit:
    """The configured bucket of one client address."""
    return Limit(settings.rate_address_capacity, float(settings.rate_address_per_second))


def account_limit(settings: Settings) -> Limit:
    """The configured bucket of one account (an account may have its own, set from above)."""
    return Limit(settings.rate_account_capacity, float(settings.rate_account_per_second))


def request_cost(ctx: Context, preflight: bool) -> int:
    """Tokens this request costs: none for a CORS preflight, more for a login."""
    assert ctx.request is not None
    if preflight:
        return 0
    if ctx.verb == "PUT" and _LOGIN.match(ctx.request.path):
        return ctx.settings.rate_login_cost
    return 1


async def _charge(ctx: Context, key: str, cost: int, limit: Limit) -> None:
    limiter = ctx.app[LIMITER]
    try:
        verdict = await (limiter.charge(key, cost, limit) if cost else limiter.peek(key, limit))
    except RateLimited as refused:
        ctx.rates.append(refused.verdict)
        raise TooManyRequests(refused.retry_after) from None
    ctx.rates.append(verdict)


async def charge_address(ctx: Context, preflight: bool) -> int:
    """Charge the client's address; the cost, for the account's charge that may follow."""
    cost = request_cost(ctx, preflight)
    if ctx.settings.rate_limit:
        await _charge(ctx, f"ip:{client_address(ctx)}", cost, address_limit(ctx.settings))
    return cost


def account_bucket(account_id: str) -> str:
    """The bucket key of an account."""
    return f"account:{account_id}"


async def charge_account(ctx: Context, cost: int) -> None:
    """Charge the caller's account."""
    if ctx.settings.rate_limit and ctx.identity is not None and cost:
        key = account_bucket(ctx.identity.account_id)
        await _charge(ctx, key, cost, account_limit(ctx.settings))


def reported(ctx: Context) -> Verdict | None:
    """The verdict a reply reports."""
    return tightest(ctx.rates)


def rate_headers(ctx: Context) -> dict[str, str]:
    """X-RateLimit-* for this reply ({} when limits are off)."""
    verdict = reported(ctx)
    return verdict.headers() if verdict is not None else {}


def is_preflight(request: web.Request) -> bool:
    """A CORS preflight: OPTIONS with the browser's Origin or Access-Control-Request-*."""
    headers = request.headers
    return request.method.upper() == "OPTIONS" and bool(
        headers.get("Origin")
        or headers.get("Access-Control-Request-Method")
        or headers.get("Access-Control-Request-Headers")
    )

"""Plan rate limits: requests a minute per key and per account, in buckets every instance
shares (gateway/ratelimit).

An account's plan is the `plan` of its limits document (`POST /v2/accounts/{A}/limits`), which
only those above the account may change; without one it is Starter.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gateway.auth.api_keys import VerifiedKey
from gateway.crossbar.context import Context
from gateway.dialects.dodev.errors import rate_limited
from gateway.keys import LIMITER
from gateway.ratelimit import Limit, RateLimited

PLANS = {"starter": 60, "professional": 300, "enterprise": 1000}
DEFAULT_PLAN = "starter"


def plan_name(limits: Mapping[str, Any] | None) -> str:
    """The plan a limits document names (Starter for none or an unknown name)."""
    plan = (limits or {}).get("plan")
    return plan if isinstance(plan, str) and plan in PLANS else DEFAULT_PLAN


def plan_limit(plan: str) -> Limit:
    """A minute's allowance: the plan's requests, refilled evenly over the minute."""
    per_minute = PLANS.get(plan, PLANS[DEFAULT_PLAN])
    return Limit(capacity=per_minute, per_second=per_minute / 60)


def key_bucket(key_id: str) -> str:
    """The bucket of one key."""
    return f"pbx:key:{key_id}"


def account_bucket(account_id: str) -> str:
    """The bucket of one account's keys together."""
    return f"pbx:account:{account_id}"


async def charge_plan(ctx: Context, key: VerifiedKey) -> None:
    """Charge one request to the key's bucket, then to its account's; 429 RATE_LIMITED past
    either (the reply reports whichever is closer to empty)."""
    limit = plan_limit(key.plan)
    limiter = ctx.app[LIMITER]
    for bucket in (key_bucket(key.key_id), account_bucket(key.account_id)):
        try:
            ctx.rates.append(await limiter.charge(bucket, 1, limit))
        except RateLimited as refused:
            ctx.rates.append(refused.verdict)
            raise rate_limited(refused.retry_after) from None

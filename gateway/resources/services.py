"""services: an account's service plans and billing summary; no plans exist here."""

from __future__ import annotations

from datetime import UTC, datetime

from gateway.crossbar.clock import GREGORIAN_OFFSET
from gateway.crossbar.context import Context, Page, Reply
from gateway.crossbar.documents import Doc
from gateway.crossbar.resource import Resource, Route
from gateway.resources.limits import public_limits, stored_limits


def next_bill_date(now: datetime) -> int:
    """The first day of next month, 00:00 UTC, in Gregorian seconds."""
    year, month = (now.year + 1, 1) if now.month == 12 else (now.year, now.month + 1)
    return int(datetime(year, month, 1, tzinfo=UTC).timestamp()) + GREGORIAN_OFFSET


async def assigned(ctx: Context) -> Reply:
    """The plans assigned to the account, by id: none."""
    return Reply({})


async def available(ctx: Context) -> Reply:
    """The plans the account's reseller offers: none."""
    return Reply([], page=Page(page_size=0))


async def summary(ctx: Context) -> Reply:
    """Kazoo's services summary for an account with no plans: nothing billed, good standing."""
    account = ctx.account
    assert account is not None
    limits = await stored_limits(ctx, ctx.path_account_id)
    data: Doc = {
        "plans": {},
        "overrides": {},
        "invoices": [],
        "quantities": {"account": {}, "cascade": {}, "manual": {}},
        "reseller": {
            "id": account.get("pvt_reseller_id"),
            "is_reseller": bool(account.get("pvt_reseller")),
        },
        "ratedeck": {},
        "applications": {},
        "limits": public_limits(limits),
        "im": {},
        "payment_tokens": {},
        "billing_cycle": {"next": next_bill_date(datetime.now(UTC)), "period": 1, "unit": "month"},
        # Kazoo's `services.enforce_good_standing` is off by default.
        "status": {"acceptable": True, "reason": "good standing not required"},
    }
    return Reply(data)


SERVICES_RESOURCE = Resource(
    name="services",
    routes=(
        Route((), {"GET": assigned}),
        Route(("summary",), {"GET": summary}),
        Route(("available",), {"GET": available}),
    ),
)

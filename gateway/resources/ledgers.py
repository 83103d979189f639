"""ledgers: an account's balance and usage by source; nothing is billed here, so all are empty."""

from __future__ import annotations

import re

from gateway.crossbar.context import Context, Page, Reply
from gateway.crossbar.errors import NotFound
from gateway.crossbar.resource import ID, Resource, Route

# Kazoo's default `ledgers.registered_ledgers`: the sources a reseller may mark up.
AVAILABLE_LEDGERS = (
    {"name": "per-minute-voip", "friendly_name": "Per Minute VoIP", "markup_type": ["percentage"]},
    {"name": "services", "friendly_name": "Monthly Recurring Services", "markup_type": []},
    {"name": "payments", "friendly_name": "Payments", "markup_type": []},
    {"name": "rollovers", "friendly_name": "Monthly Rollover", "markup_type": []},
)
# Kazoo: a month is YYYYMM (or YYYYM).
_MONTH = re.compile(r"^[0-9]{4}[0-9]{1,2}$")


async def summary(ctx: Context) -> Reply:
    """Usage summed by source: no ledger entries, no sources."""
    return Reply({})


async def total(ctx: Context) -> Reply:
    """The balance in dollars (Kazoo divides its integer units, so the zero is a float)."""
    return Reply({"amount": 0.0})


async def available(ctx: Context) -> Reply:
    """The ledger sources Kazoo registers by default."""
    rows = [dict(ledger) for ledger in AVAILABLE_LEDGERS]
    return Reply(rows, page=Page(page_size=len(rows)))


async def by_source(ctx: Context) -> Reply:
    """The entries of one source: none."""
    return Reply([], page=Page(page_size=0))


async def entry(ctx: Context) -> Reply:
    """One ledger entry: no id names one."""
    raise NotFound(ctx.args[1])


async def month_summary(ctx: Context) -> Reply:
    """One month's summary and per-account breakdown; 404 for a month not written YYYYMM."""
    month = ctx.args[1]
    if not _MONTH.match(month):
        raise NotFound(month)
    return Reply({"summary": {}, "breakdown": []})


# Kazoo's PUT ledgers/credit|debit move money, which needs a billing backend; without one the
# verb is not served (405 from the pipeline) rather than accepting entries nothing would honour.
LEDGERS_RESOURCE = Resource(
    name="ledgers",
    routes=(
        Route((), {"GET": summary}),
        Route(("total",), {"GET": total}),
        Route(("available",), {"GET": available}),
        Route((ID,), {"GET": by_source}),
        Route((ID, ID), {"GET": entry}),
        Route(("summary", ID), {"GET": month_summary}),
    ),
)

"""cdrs: an account's (or a user's) call detail records within a Gregorian time window."""

from __future__ import annotations

import re
from typing import Any

from gateway.calls.cdr_summary import Summary
from gateway.calls.cdrs import (
    BY_INTERACTION,
    BY_OWNER,
    CDRS,
    COLUMNS,
    INDEXES,
    INTERACTION_HEADS,
    cdr_row,
)
from gateway.crossbar.accept import CSV
from gateway.crossbar.clock import gregorian_now
from gateway.crossbar.context import Context, Reply
from gateway.crossbar.csv_render import flatten
from gateway.crossbar.documents import BY_ACCOUNT, Listing
from gateway.crossbar.errors import NotFound, invalid
from gateway.crossbar.listing import key_range, list_page
from gateway.crossbar.resource import ID, Resource, Route

# The widest window a listing may ask for (Kazoo's crossbar.maximum_range).
MAXIMUM_RANGE = 2_682_000
DEFAULT_RANGE = 86_400


def _seconds(raw: Any) -> int | None:
    """Kazoo: a non-positive or unparsable bound falls back to its default."""
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


def time_window(params: Any) -> tuple[int, int]:
    """(created_from, created_to): by default the last day; 400 when reversed or too wide."""
    created_to = _seconds(params.get("created_to")) or gregorian_now()
    created_from = _seconds(params.get("created_from")) or created_to - DEFAULT_RANGE
    if created_to < created_from:
        message = f"created_to {created_to} is prior to created_from {created_from}"
        raise invalid("created_from", "date_range", message, cause=created_from)
    if created_to - created_from > MAXIMUM_RANGE:
        message = (
            f"created_to {created_to} is more than {MAXIMUM_RANGE} seconds "
            f"from created_from {created_from}"
        )
        raise invalid("created_from", "date_range", message, cause=created_to)
    return created_from, created_to


def _offset(ctx: Context) -> int:
    try:
        return int(ctx.query.get("utc_offset", 0))
    except ValueError:
        return 0


async def list_cdrs(ctx: Context) -> Reply:
    """A page of CDRs, newest first; under `users/{U}` only that user's."""
    if "users" in ctx.parents:
        return await _page(ctx, BY_OWNER, f"{ctx.path_account_id}/{ctx.parents['users'][0]}")
    return await _page(ctx, BY_ACCOUNT, ctx.path_account_id)


async def list_interactions(ctx: Context) -> Reply:
    """`cdrs/interaction`: the CDR heading each interaction (or standing alone)."""
    return await _page(ctx, INTERACTION_HEADS, ctx.path_account_id)


async def list_legs(ctx: Context) -> Reply:
    """`cdrs/legs/{interaction id}`: every leg of one interaction."""
    return await _page(ctx, BY_INTERACTION, f"{ctx.account_id}/{ctx.args[1]}")


def _window(ctx: Context) -> tuple[str, str]:
    """The listing keys' sort values from created_from to created_to (both included)."""
    created_from, created_to = time_window(ctx.query)
    return f"{created_from:013d}", f"{created_to:013d}\x20"


async def summary(ctx: Context) -> Reply:
    """`cdrs/summary`: Kazoo's billable-seconds report over the window's carrier legs."""
    window = key_range(ctx.path_account_id, None, False, _window(ctx))
    totals = Summary()
    async for cdr in ctx.store.each(CDRS, {BY_ACCOUNT.field: window}):
        totals.add(cdr)
    return Reply(totals.data)


async def _page(ctx: Context, listing: Listing, scope: str) -> Reply:
    window = _window(ctx)
    offset = _offset(ctx)
    reply = await list_page(
        ctx, CDRS, listing, scope, lambda doc: cdr_row(doc, offset), window=window
    )
    if ctx.accept == CSV:
        return _csv(ctx, reply.data)
    return reply


def _csv(ctx: Context, rows: list[dict[str, Any]]) -> Reply:
    """Kazoo's CDR CSV: the column list as header, `\\r\\n` line ends."""
    lines = [",".join(COLUMNS)]
    for row in rows:
        flat = flatten(row)
        lines.append(",".join(_cell(flat.get(column, "")) for column in COLUMNS))
    asked = ctx.header("X-File-Name") or ctx.query.get("file_name") or "cdrs.csv"
    name = re.sub(r"[^A-Za-z0-9._-]", "_", asked)[:128]
    return Reply(
        body="".join(line + "\r\n" for line in lines).encode(),
        content_type=CSV,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _cell(value: str) -> str:
    return (
        f'"{value.replace(chr(34), chr(34) * 2)}"' if any(c in value for c in ',"\r\n') else value
    )


async def read_cdr(ctx: Context) -> Reply:
    """The whole stored CDR (`cdrs/YYYYMM-<call id>`)."""
    doc = await ctx.store.get(CDRS, ctx.args[0])
    if doc is None or doc.get("pvt_account_id") != ctx.account_id:
        raise NotFound(ctx.args[0])
    shown = {k: v for k, v in doc.items() if not k.startswith(("pvt_", "_"))}
    return Reply(shown)


CDRS_RESOURCE = Resource(
    name=CDRS,
    routes=(
        Route((), {"GET": list_cdrs}),
        Route((ID,), {"GET": read_cdr}),
        Route(("interaction",), {"GET": list_interactions}),
        Route(("summary",), {"GET": summary}),
        Route(("legs", ID), {"GET": list_legs}),
    ),
    parents=frozenset({"users"}),
    indexes=INDEXES,
)

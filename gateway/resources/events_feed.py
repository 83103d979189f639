"""`GET /accounts/{A}/events[?since=<event id>]`: the account's events, oldest first.

The same events webhooks deliver (an event's `id` is every delivery's `webhook-id`), so a
consumer whose endpoint was down reads what it missed, within the stream's retention.
"""

from __future__ import annotations

from typing import Any

from gateway.crossbar.context import Context, Page, Reply
from gateway.crossbar.errors import invalid
from gateway.crossbar.resource import Resource, Route
from gateway.events.stream import BY_ACCOUNT, EVENTS, account_key

DEFAULT_PAGE = 50
SHOWN = ("id", "seq", "at", "source", "type", "action", "account_id", "doc_id", "rev")
SHOWN_INTAKE = ("event_id", "data")


def event_row(event: dict[str, Any]) -> dict[str, Any]:
    """An event as listed."""
    keys = SHOWN + SHOWN_INTAKE if event.get("source") == "intake" else SHOWN
    return {key: event[key] for key in keys if event.get(key) is not None}


def _page_size(ctx: Context) -> int:
    raw = ctx.query.get("page_size", DEFAULT_PAGE)
    most = ctx.settings.page_size_max
    try:
        size = int(raw)
    except (TypeError, ValueError):
        size = 0
    if not 1 <= size <= most:
        raise invalid("page_size", "range", f"page_size must be between 1 and {most}", value=raw)
    return size


async def list_events(ctx: Context) -> Reply:
    """A page of the account's events after `since` (from the oldest kept when absent)."""
    account_id = str(ctx.account_id)
    size = _page_size(ctx)
    low = account_key(account_id, 0)
    since = ctx.query.get("since")
    if since:
        seen = await ctx.store.get(EVENTS, since)
        if seen is None or seen.get("account_id") != account_id:
            raise invalid("since", "not_found", "no such event in this account", value=since)
        low = account_key(account_id, int(seen["seq"]))
    query = {BY_ACCOUNT: {"$gt": low, "$lt": account_id + "\x20"}}
    found = await ctx.store.find(EVENTS, query, sort=BY_ACCOUNT, limit=size + 1)
    rows = [event_row(event) for event in found[:size]]
    more = len(found) > size
    page = Page(
        page_size=len(rows), start_key=since, next_start_key=rows[-1]["id"] if more else None
    )
    return Reply(rows, page=page)


EVENTS_RESOURCE = Resource(name="events", routes=(Route((), {"GET": list_events}),))

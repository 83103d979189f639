"""Paginated, filtered listings evaluated in the database query."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gateway.crossbar.context import Context, Page, Reply
from gateway.crossbar.documents import Listing
from gateway.crossbar.errors import RangeNotSatisfiable
from gateway.crossbar.filters import filter_query, row_check
from gateway.crossbar.pagination import (
    DEFAULT_PAGE_SIZE,
    cursor_condition,
    encode_key,
    parse_page_request,
)

Doc = dict[str, Any]


def _params(ctx: Context) -> dict[str, Any]:
    params: dict[str, Any] = dict(ctx.envelope)
    params.update(ctx.query)
    if isinstance(ctx.data, dict):
        params.update(ctx.data)
    return params


def key_range(
    scope: str, start: str | None, descending: bool, window: tuple[str, str] | None = None
) -> dict[str, str]:
    """The one range on a listing field: the scope's keys (within `window`, sort values from
    and below), resumed at `start` if given."""
    prefix = Listing.prefix(scope)
    bounds = Listing.bounds(scope)
    low, high = (
        (prefix + window[0], prefix + window[1])
        if window
        else (
            bounds["$gte"],
            bounds["$lt"],
        )
    )
    if start is not None:
        [(operator, value)] = cursor_condition(start, descending).items()
        resume = prefix + value
        if descending and resume < high:
            return {"$gte": low, operator: resume}
        if not descending and resume > low:
            return {operator: resume, "$lt": high}
    return {"$gte": low, "$lt": high}


async def list_page(
    ctx: Context,
    kind: str,
    listing: Listing,
    scope: str,
    row: Callable[[Doc], Doc],
    window: tuple[str, str] | None = None,
) -> Reply:
    """One page of `kind` in `scope` of `listing`, with the request's filters, as rows.

    A `window` of sort values bounds time-ranged listings (CDRs), whose created_from and
    created_to select the window rather than filter on creation time.
    """
    settings = ctx.settings
    page = parse_page_request(_params(ctx), DEFAULT_PAGE_SIZE, settings.page_size_max)
    params = ctx.query
    if window is not None:
        params = {k: v for k, v in params.items() if k not in ("created_from", "created_to")}
    query: dict[str, Any] = filter_query(params)
    query[listing.field] = key_range(scope, page.start, page.descending, window)
    limit = (page.size if page.size is not None else settings.unpaginated_max) + 1
    keep = row_check(ctx.query)
    docs = await _fetch(ctx, kind, listing.field, query, page.descending, limit, keep)
    if page.size is None:
        if len(docs) >= limit:
            raise RangeNotSatisfiable()
        return Reply([row(doc) for doc in docs])
    more = len(docs) > page.size
    rows = docs[: page.size]
    next_key = docs[page.size][listing.field][len(Listing.prefix(scope)) :] if more else None
    return Reply(
        [row(doc) for doc in rows],
        page=Page(
            page_size=len(rows),
            start_key=page.start_key,
            next_start_key=encode_key(next_key) if next_key is not None else None,
        ),
    )


async def _fetch(
    ctx: Context,
    kind: str,
    key_field: str,
    query: dict[str, Any],
    descending: bool,
    limit: int,
    keep: Callable[[Doc], bool] | None,
) -> list[Doc]:
    """Up to `limit` rows; with a row check, keep reading batches until the page is full."""
    store = ctx.store
    if keep is None:
        return await store.find(kind, query, sort=key_field, descending=descending, limit=limit)
    batch_size = max(limit, 100)
    rows: list[Doc] = []
    while len(rows) < limit:
        batch = await store.find(
            kind, query, sort=key_field, descending=descending, limit=batch_size
        )
        rows.extend(doc for doc in batch if keep(doc))
        if len(batch) < batch_size:
            break
        last = batch[-1][key_field]
        narrowed = dict(query[key_field])
        narrowed.pop("$lte" if descending else "$gte", None)
        narrowed["$lt" if descending else "$gt"] = last
        query = {**query, key_field: narrowed}
    return rows[:limit]

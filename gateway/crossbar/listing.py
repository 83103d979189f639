"""Paginated, filtered listings evaluated in the database query."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gateway.crossbar.context import Context, Page, Reply
from gateway.crossbar.errors import RangeNotSatisfiable
from gateway.crossbar.filters import filter_query, row_check
from gateway.crossbar.pagination import (
    DEFAULT_PAGE_SIZE,
    cursor_condition,
    encode_key,
    parse_page_request,
)

Doc = dict[str, Any]
SORT_FIELD = "pvt_sort"


def _params(ctx: Context) -> dict[str, Any]:
    params: dict[str, Any] = dict(ctx.envelope)
    params.update(ctx.query)
    if isinstance(ctx.data, dict):
        params.update(ctx.data)
    return params


async def list_page(
    ctx: Context, kind: str, base: dict[str, Any], row: Callable[[Doc], Doc]
) -> Reply:
    """One page of `kind` matching `base` and the request's filters, as summary rows."""
    settings = ctx.settings
    page = parse_page_request(_params(ctx), DEFAULT_PAGE_SIZE, settings.page_size_max)
    query: dict[str, Any] = {**filter_query(ctx.query), **base}
    if page.start:
        query[SORT_FIELD] = {
            **query.get(SORT_FIELD, {}),
            **cursor_condition(page.start, page.descending),
        }
    limit = (page.size if page.size is not None else settings.unpaginated_max) + 1
    docs = await _fetch(ctx, kind, query, page.descending, limit, row_check(ctx.query))
    if page.size is None:
        if len(docs) >= limit:
            raise RangeNotSatisfiable()
        return Reply([row(doc) for doc in docs])
    more = len(docs) > page.size
    rows = docs[: page.size]
    return Reply(
        [row(doc) for doc in rows],
        page=Page(
            page_size=len(rows),
            start_key=page.start_key,
            next_start_key=encode_key(docs[page.size][SORT_FIELD]) if more else None,
        ),
    )


async def _fetch(
    ctx: Context,
    kind: str,
    query: dict[str, Any],
    descending: bool,
    limit: int,
    keep: Callable[[Doc], bool] | None,
) -> list[Doc]:
    """Up to `limit` rows; with a row check, keep reading batches until the page is full."""
    store = ctx.store
    if keep is None:
        return await store.find(kind, query, sort=SORT_FIELD, descending=descending, limit=limit)
    batch_size = max(limit, 100)
    rows: list[Doc] = []
    while len(rows) < limit:
        batch = await store.find(
            kind, query, sort=SORT_FIELD, descending=descending, limit=batch_size
        )
        rows.extend(doc for doc in batch if keep(doc))
        if len(batch) < batch_size:
            break
        after = {"$lt" if descending else "$gt": batch[-1][SORT_FIELD]}
        query = {**query, SORT_FIELD: after}
    return rows[:limit]

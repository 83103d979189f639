"""Paginated, filtered listings evaluated in the database query."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gateway.crossbar.context import Context, Page, Reply
from gateway.crossbar.errors import RangeNotSatisfiable
from gateway.crossbar.filters import filter_query
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
    page = parse_page_request(
        _params(ctx), DEFAULT_PAGE_SIZE, settings.page_size_max, settings.unpaginated_max
    )
    query: dict[str, Any] = {**filter_query(ctx.query), **base}
    if page.start:
        query[SORT_FIELD] = {
            **query.get(SORT_FIELD, {}),
            **cursor_condition(page.start, page.descending),
        }
    limit = (page.size if page.size is not None else settings.unpaginated_max) + 1
    docs = await ctx.store.find(
        kind, query, sort=SORT_FIELD, descending=page.descending, limit=limit
    )
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

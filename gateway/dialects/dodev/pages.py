"""Cursor pages: `?limit=&cursor=` -> `{"<items>": [...], "nextCursor": "..." | null}`, read
through the crossbar listings (one indexed range per page, at any size)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from gateway.crossbar.documents import BY_ACCOUNT, Doc, Listing
from gateway.crossbar.listing import list_page
from gateway.crossbar.pagination import decode_key
from gateway.dialects.dodev.endpoint import Answer, Call
from gateway.dialects.dodev.errors import invalid_field

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
_DIGITS = re.compile(r"[0-9]{1,6}")


def page_request(call: Call) -> tuple[int, str | None]:
    """`limit` (1 to MAX_LIMIT, default DEFAULT_LIMIT) and `cursor` (one this API issued)."""
    raw_limit = call.query.get("limit")
    limit = DEFAULT_LIMIT
    if raw_limit is not None:
        if not _DIGITS.fullmatch(raw_limit) or not 1 <= int(raw_limit) <= MAX_LIMIT:
            raise invalid_field(
                "limit", "range", f"limit must be an integer from 1 to {MAX_LIMIT}"
            )
        limit = int(raw_limit)
    cursor = call.query.get("cursor") or None
    if cursor is not None and not decode_key(cursor)[1]:
        raise invalid_field("cursor", "invalid", "cursor must be a nextCursor this API returned")
    return limit, cursor


async def cursor_page(
    call: Call,
    kind: str,
    items: str,
    item: Callable[[Doc], Doc],
    *,
    listing: Listing = BY_ACCOUNT,
    scope: str | None = None,
    ascending: bool = True,
) -> Answer:
    """One page of `kind` in `scope` of `listing` (default: the key's account), each stored
    document shown by `item`, under the key `items`."""
    limit, cursor = page_request(call)
    params: Doc = {"page_size": limit, "ascending": ascending}
    if cursor is not None:
        params["start_key"] = cursor
    # The listing reads its parameters from the context: give it only these (no Kazoo filters).
    listed = dataclasses.replace(call.ctx, request=None, envelope={}, data=params)
    reply = await list_page(listed, kind, listing, scope or call.account_id, item)
    next_cursor = reply.page.next_start_key if reply.page is not None else None
    return Answer({items: reply.data, "nextCursor": next_cursor})

"""GET /api/extensions: every extension of the caller's tenants, newest first, `search`ed and
paged.

Kazi's order (newest first across tenants) and its search (a substring of number, name or
email) follow no index, so a listing reads the tenants (one range) and streams their numbered
users once (one indexed `$in` per 500 tenants), keeping only the page's positions; the page then
costs one read by id, the callflows of its users and one registrations range per tenant on it.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import AsyncIterator, Mapping
from itertools import groupby
from operator import itemgetter
from typing import Any

from gateway.crossbar.context import Context
from gateway.crossbar.documents import Doc
from gateway.dialects.kazi.aliases import EXTENSION, aliases_of
from gateway.dialects.kazi.answer import Answer
from gateway.dialects.kazi.errors import invalid
from gateway.dialects.kazi.extension_view import extension_view, registered_devices
from gateway.dialects.kazi.tenancy import inside, tenant_views, tenants
from gateway.extensions.parts import display_name, number_of, user_callflows
from gateway.resources.users import USERS
from gateway.store import Index

DEFAULT_PER_PAGE, MOST_PER_PAGE = 100, 1000
# Pages past this position are refused: keeping them would hold too much of the listing.
DEEPEST = 100_000
TENANTS_PER_QUERY = 500
NUMBERED: dict[str, Any] = {"presence_id": {"$exists": True, "$nin": [""]}}
INDEXES = (Index(USERS, "kazi_users_account", ("pvt_account_id",)),)


def _positive(query: Mapping[str, str], name: str, default: int, most: int) -> int:
    text = query.get(name)
    if text is None:
        return default
    label = name.replace("_", " ")
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        raise invalid({name: [f"The {label} field must be an integer."]})
    value = int(text)
    if value < 1:
        raise invalid({name: [f"The {label} field must be at least 1."]})
    if value > most:
        raise invalid({name: [f"The {label} field must not be greater than {most}."]})
    return value


def matches(user: Doc, needle: str) -> bool:
    """Whether the number, name or email holds `needle` (already lower-cased)."""
    texts = (number_of(user) or "", display_name(user), str(user.get("email") or ""))
    return any(needle in text.lower() for text in texts)


async def _matching(
    ctx: Context, tenant_ids: list[str], needle: str, extra: dict[str, Any]
) -> AsyncIterator[Doc]:
    """The tenants' numbered users that hold `needle` (one indexed `$in` per 500 tenants)."""
    for start in range(0, len(tenant_ids), TENANTS_PER_QUERY):
        chunk = tenant_ids[start : start + TENANTS_PER_QUERY]
        query = {"pvt_account_id": {"$in": chunk}, **NUMBERED, **extra}
        async for user in ctx.store.each(USERS, query):
            if number_of(user) is not None and (not needle or matches(user, needle)):
                yield user


async def _newest(
    ctx: Context, tenant_ids: list[str], needle: str, keep: int
) -> tuple[list[tuple[int, str]], int]:
    """The (created, id) of at least the `keep` newest matching users, newest first, with
    every user created in the same second as the oldest of them; and how many match."""
    newest: list[tuple[int, str]] = []
    total = 0
    async for user in _matching(ctx, tenant_ids, needle, {}):
        total += 1
        entry = (int(user.get("pvt_created") or 0), str(user["id"]))
        if len(newest) < keep:
            heapq.heappush(newest, entry)
        elif entry > newest[0]:
            heapq.heapreplace(newest, entry)
    if total > keep:
        oldest, kept = newest[0][0], {doc_id for _, doc_id in newest}
        async for user in _matching(ctx, tenant_ids, needle, {"pvt_created": oldest}):
            if user["id"] not in kept:
                newest.append((oldest, str(user["id"])))
    return sorted(newest, reverse=True), total


async def _page_ids(
    ctx: Context, newest: list[tuple[int, str]], first: int, last: int
) -> list[str]:
    """The ids at positions first..last-1 of the listing: by creation, then (within one
    second) by integer id, newest first; only the seconds the page touches are aliased."""
    page: list[str] = []
    position = 0
    for _, group in groupby(newest, key=itemgetter(0)):
        members = [doc_id for _, doc_id in group]
        end = position + len(members)
        if end > first and position < last:
            numbers = await aliases_of(ctx, EXTENSION, members)
            members.sort(key=numbers.__getitem__, reverse=True)
            page += members[max(first - position, 0) : last - position]
        position = end
        if position >= last:
            break
    return page


async def list_extensions(ctx: Context, params: Mapping[str, str]) -> Answer:
    """A page of the caller's extensions, newest first, with tenants and registered devices."""
    per_page = _positive(ctx.query, "per_page", DEFAULT_PER_PAGE, MOST_PER_PAGE)
    page = _positive(ctx.query, "page", 1, DEEPEST // per_page)
    needle = (ctx.query.get("search") or "").strip().lower()
    accounts = {account["id"]: account for account in await tenants(ctx)}
    newest, total = await _newest(ctx, sorted(accounts), needle, page * per_page)
    wanted = await _page_ids(ctx, newest, (page - 1) * per_page, page * per_page)
    users = await ctx.store.find(USERS, {"id": {"$in": wanted}}) if wanted else []
    by_id = {user["id"]: user for user in users}
    numbers = await aliases_of(ctx, EXTENSION, list(by_id))
    by_tenant: dict[str, list[Doc]] = defaultdict(list)
    for user in by_id.values():
        by_tenant[str(user["pvt_account_id"])].append(user)
    on_page = [accounts[tenant_id] for tenant_id in by_tenant if tenant_id in accounts]
    views = await tenant_views(ctx, on_page)
    callflows: dict[str, Doc] = {}
    for account in on_page:
        callflows.update(await user_callflows(inside(ctx, account), by_tenant[account["id"]]))
    devices = await registered_devices(ctx, [account["id"] for account in on_page])
    rows = [
        extension_view(
            user,
            callflows.get(user["id"]),
            numbers[user["id"]],
            views[str(user["pvt_account_id"])],
            devices.get(user["id"], []),
        )
        for user in by_id.values()
        if str(user["pvt_account_id"]) in views
    ]
    order = {doc_id: position for position, doc_id in enumerate(wanted)}
    rows.sort(key=lambda row: order[row["user_id"]])
    meta = {
        "current_page": page,
        "last_page": max(1, math.ceil(total / per_page)),
        "per_page": per_page,
        "total": total,
    }
    return Answer({"message": "Extensions fetched successfully.", "data": rows, "meta": meta})

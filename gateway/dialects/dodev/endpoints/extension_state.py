"""What an extension looks like now: its fields, its line (`status`, `registeredDevices`, see
`gateway.extensions.lines`), the listing and the counts. Conference, parking and paging
extensions have no devices and are always `available`."""

from __future__ import annotations

from typing import Any

from gateway.crossbar.context import Context
from gateway.crossbar.documents import BY_ACCOUNT, Doc, Listing
from gateway.crossbar.listing import key_range
from gateway.crossbar.pagination import decode_key, encode_key
from gateway.dialects.dodev.endpoint import Answer, Call
from gateway.dialects.dodev.endpoints.extension_input import requested_parts
from gateway.dialects.dodev.errors import invalid_field
from gateway.dialects.dodev.ids import EXTENSION
from gateway.dialects.dodev.pages import page_request
from gateway.extensions.lines import STATUSES, Lines, live_lines
from gateway.extensions.parts import (
    KINDS,
    MODULES,
    Parts,
    display_name,
    kind_of,
    node_data,
    number_of,
    root,
    user_callflows,
    voicemail_id,
)
from gateway.resources.callflows import CALLFLOWS
from gateway.resources.users import USERS

# The store conditions (besides the account's range) of each kind of extension document.
NUMBERED_USERS: dict[str, Any] = {"presence_id": {"$exists": True, "$nin": [""]}}
FEATURE_CALLFLOWS: dict[str, Any] = {"flow.module": {"$in": sorted(MODULES.values())}}
# A cursor is one of these phases and the sort value to resume at: users, then callflows.
USERS_PHASE, CALLFLOWS_PHASE = "u", "c"


def view(parts: Parts, lines: Lines) -> Doc:
    """The extension as this dialect shows it."""
    public_id = EXTENSION.public(parts.doc_id)
    user = parts.user
    if user is None:
        name = (parts.callflow or {}).get("name")
        return {
            "id": public_id,
            "number": parts.number,
            "name": name if isinstance(name, str) else None,
            "type": parts.kind,
            "status": "available",
            "callerIdName": None,
            "callerIdNumber": None,
            "voicemailEnabled": False,
            "forwardingEnabled": False,
            "registeredDevices": 0,
        }
    external = (user.get("caller_id") or {}).get("external") or {}
    forward = user.get("call_forward") or {}
    status, registered = lines.of(user)
    shown: Doc = {
        "id": public_id,
        "number": number_of(user),
        "name": display_name(user),
        "type": "user",
        "status": status,
        "callerIdName": external.get("name"),
        "callerIdNumber": external.get("number"),
        "voicemailEnabled": voicemail_id(parts.callflow) is not None,
        "forwardingEnabled": bool(forward.get("enabled")),
        "registeredDevices": registered,
    }
    if forward.get("number"):
        shown["forwardingNumber"] = forward["number"]
    timeout = node_data(root(parts.callflow)).get("timeout")
    if isinstance(timeout, int) and not isinstance(timeout, bool):
        shown["forwardingRingTimeout"] = timeout
    return shown


async def _walk(
    ctx: Context, kind: str, condition: Doc, start: str | None, size: int
) -> tuple[list[Doc], str | None]:
    """Up to `size` documents of the account's range from sort value `start`, and the sort
    value the next page starts at (None: no more). One query."""
    scope, key = str(ctx.account_id), BY_ACCOUNT.field
    resume = encode_key(start) if start else None
    query = {**condition, key: key_range(scope, resume, False)}
    found = await ctx.store.find(kind, query, sort=key, limit=size + 1)
    more = found[size][key][len(Listing.prefix(scope)) :] if len(found) > size else None
    return found[:size], more


def _cursor(phase: str, start: str) -> str:
    return encode_key(phase + start)


async def list_extensions(call: Call) -> Answer:
    """A page: numbered users (by last and first name), then conference, parking and paging
    callflows (by id). Its cost does not grow with the page: see `live_lines`, plus the users
    range, their numbers' claims and callflows (by id), and the callflows range."""
    ctx = call.ctx
    limit, cursor = page_request(call)
    phase, start = USERS_PHASE, ""
    if cursor is not None:
        raw = decode_key(cursor)[0]
        phase, start = raw[:1], raw[1:]
        if phase not in (USERS_PHASE, CALLFLOWS_PHASE):
            raise invalid_field(
                "cursor", "invalid", "cursor must be a nextCursor this API returned"
            )
    parts: list[Parts] = []
    next_cursor: str | None = None
    if phase == USERS_PHASE:
        users, more = await _walk(ctx, USERS, NUMBERED_USERS, start, limit)
        users = [user for user in users if number_of(user) is not None]
        callflows = await user_callflows(ctx, users)
        parts += [Parts("user", callflows.get(user["id"]), user) for user in users]
        if more is not None:
            next_cursor = _cursor(USERS_PHASE, more)
        phase, start = CALLFLOWS_PHASE, ""
    if phase == CALLFLOWS_PHASE and next_cursor is None:
        room = limit - len(parts)
        found, more = await _walk(ctx, CALLFLOWS, FEATURE_CALLFLOWS, start, max(room, 1))
        if room == 0:
            next_cursor = _cursor(CALLFLOWS_PHASE, "") if found else None
        else:
            parts += [Parts(kind, flow) for flow in found if (kind := kind_of(flow))]
            next_cursor = _cursor(CALLFLOWS_PHASE, more) if more is not None else None
    lines = await live_lines(ctx) if any(p.user for p in parts) else Lines(str(ctx.account_id))
    return Answer({"extensions": [view(p, lines) for p in parts], "nextCursor": next_cursor})


async def extension_stats(call: Call) -> Answer:
    """Counts by type and by status, over every extension of the account (its users and
    callflows read in batches of 500, plus `live_lines`)."""
    ctx = call.ctx
    by_type = dict.fromkeys(KINDS, 0)
    by_status = dict.fromkeys(STATUSES, 0)
    lines = await live_lines(ctx)
    scope = {BY_ACCOUNT.field: Listing.bounds(str(ctx.account_id))}
    async for user in ctx.store.each(USERS, {**scope, **NUMBERED_USERS}):
        if number_of(user) is not None:
            status = lines.of(user)[0]
            by_type["user"] += 1
            by_status[status] = by_status.get(status, 0) + 1
    async for callflow in ctx.store.each(CALLFLOWS, {**scope, **FEATURE_CALLFLOWS}):
        kind = kind_of(callflow)
        if kind is not None:
            by_type[kind] += 1
            by_status["available"] += 1
    total = sum(by_type.values())
    return Answer({"total": total, "byType": by_type, "byStatus": by_status})


async def read_extension(call: Call) -> Answer:
    """GET one."""
    parts = await requested_parts(call)
    lines = await live_lines(call.ctx) if parts.user is not None else Lines(call.account_id)
    return Answer(view(parts, lines))

"""What a port request save checks and stamps besides its state: numbers, tree, dates."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from gateway.crossbar.clock import GREGORIAN_OFFSET
from gateway.crossbar.context import Context
from gateway.crossbar.documents import Doc
from gateway.crossbar.errors import InvalidData, invalid
from gateway.resources.callflows import to_e164
from gateway.resources.numbers import PHONE_NUMBERS
from gateway.resources.port_states import (
    NUMBERS,
    PORT_REQUESTS,
    current_state,
    requested_state,
)

EDITABLE = ("unconfirmed", "rejected")
# A number is "on a port request" only while the request is under way (Kazoo's view).
NOT_PORTING = ("unconfirmed", "canceled", "completed")
# Shown from private fields; a client's copy is dropped (Kazoo deletes them before saving).
COMPUTED = ("created", "updated", "uploads", "port_state", "sent", "reason")
DEFAULT_TIMEZONE = "America/Los_Angeles"
_DATE_TIME = re.compile(r"^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d)$")


def _updating(ctx: Context, old: Doc | None) -> bool:
    """A create or a POST: the saves Kazoo checks numbers on (PATCH skips them)."""
    return old is None or (ctx.verb == "POST" and requested_state(ctx) is None)


async def editable(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """POST only while unconfirmed or rejected, unless the caller is the superduper admin."""
    if old is None or not _updating(ctx, old):
        return doc
    state = current_state(old)
    if state in EDITABLE or (ctx.identity is not None and ctx.identity.superduper):
        return doc
    message = "Updating port requests not allowed in current port state"
    raise invalid(state, "type", message, cause=state)


def scheduled_date(schedule: Any) -> int | None:
    """Gregorian seconds of `schedule_on` (a local date and time in its time zone)."""
    if not isinstance(schedule, dict):
        return None
    match = _DATE_TIME.match(str(schedule.get("date_time")))
    if match is None:
        return None
    try:
        zone = ZoneInfo(str(schedule.get("timezone") or DEFAULT_TIMEZONE))
    except (ValueError, KeyError):
        return None
    year, month, day, hour, minute = (int(part) for part in match.groups())
    when = datetime(year, month, day, hour, minute, tzinfo=zone)
    return int(when.timestamp()) + GREGORIAN_OFFSET


async def prepare(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """Drop shown-only keys; E.164 number keys on create and POST; index numbers and tree."""
    for key in COMPUTED:
        doc.pop(key, None)
    if _updating(ctx, old):
        doc["numbers"] = {to_e164(key): value for key, value in doc["numbers"].items()}
    doc[NUMBERS] = sorted({to_e164(key) for key in doc["numbers"]})
    assert ctx.account is not None
    doc["pvt_tree"] = list(ctx.account.get("pvt_tree") or [])
    when = scheduled_date(doc.get("schedule_on"))
    if when is not None:
        doc["scheduled_date"] = when
    return doc


async def portable(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """Each number is on no other port request under way here and held by no account."""
    if not _updating(ctx, old):
        return doc
    keys = {key: to_e164(key) for key in doc["numbers"]}
    wanted = sorted(set(keys.values()))
    query = {NUMBERS: {"$in": wanted}, "pvt_account_id": ctx.account_id}
    porting = [
        found
        for found in await ctx.store.find(PORT_REQUESTS, query)
        if current_state(found) not in NOT_PORTING
    ]
    held = {found["id"] for found in await ctx.store.find(PHONE_NUMBERS, {"id": {"$in": wanted}})}
    errors: dict[str, dict[str, Any]] = {}
    for key, number in keys.items():
        on = [found["id"] for found in porting if number in found.get(NUMBERS, [])]
        if len(on) > 1:
            message = (
                "Number is currently on multiple port requests. Contact a system admin to rectify"
            )
        elif on and on[0] != doc["id"]:
            message = f"Number is on a port request already: {on[0]}"
        elif not on and number in held:
            message = "Number exists on the system already"
        else:
            continue
        errors[key] = {"type": {"message": message, "cause": key}}
    if errors:
        raise InvalidData(errors)
    return doc

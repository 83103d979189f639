"""The carrier side of sms: an outbound feed of queued messages, and their status reports.

`GET /v2/intake/sms` (intake key) hands out due messages with a lease: one not reported within
the lease is offered again, so none is lost (the carrier de-duplicates by `message_id`).
Reports arrive as `sms_status` intake events and only ever move a message forward.
"""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from gateway.calls.intake import intake_endpoint
from gateway.crossbar.context import Context, Reply
from gateway.crossbar.errors import invalid
from gateway.crossbar.merge import public
from gateway.crossbar.write import save
from gateway.resources.sms import DUE, SMS, SMS_DOCS

LEASE_SECONDS = 60.0
FEED_MAX = 100
# Later states win; `failed` and `delivered` are final.
RANK = {"queued": 0, "sent": 1, "delivered": 2, "failed": 2}
FEED_KEYS = ("message_id", "from", "to", "body", "route_type", "custom_vars")


async def _take_due(ctx: Context, request: web.Request) -> Reply:
    """Hand the carrier side up to `limit` due messages, leased for a minute."""
    limit = _limit(ctx.query.get("limit", "20"))
    taken: list[dict[str, Any]] = []
    while len(taken) < limit:
        now = time.time()
        message = await ctx.store.claim_due(SMS, DUE, now, now + LEASE_SECONDS)
        if message is None:
            break
        row = {key: message[key] for key in FEED_KEYS if key in message}
        taken.append({**row, "account_id": message["pvt_account_id"]})
    return Reply(taken)


sms_feed = intake_endpoint("GET", _take_due)


def _limit(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= FEED_MAX:
        raise invalid("limit", "range", f"limit must be between 1 and {FEED_MAX}", value=raw)
    return value


async def apply_sms_status(ctx: Context, event: dict[str, Any]) -> str | None:
    """Move the message to the reported status (a stale or repeated report changes nothing)."""
    message = await ctx.store.get(SMS, event["message_id"])
    if message is None or message.get("pvt_account_id") != event["account_id"]:
        return "unknown message"
    current = str(message.get("status", "queued"))
    if RANK[event["status"]] <= RANK.get(current, 0):
        return None
    report = {"status": event["status"], "status_at": int(time.time())}
    for key in ("reason", "carrier_message_id"):
        if event.get(key):
            report[key] = event[key]
    await save(ctx, SMS_DOCS, {**public(message), **report}, message)
    return None

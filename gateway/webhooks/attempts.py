"""Delivery attempts: one row per try, newest first per account and per hook, kept by TTL."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from gateway.crossbar.clock import GREGORIAN_OFFSET
from gateway.crossbar.documents import Listing, stamp_keys
from gateway.events.retention import Expiry
from gateway.store import Index, Store
from gateway.store.ids import new_id

ATTEMPTS = "webhook_attempts"
EXPIRES_AT = "pvt_expires_at"
BY_ACCOUNT = Listing("pvt_by_account", lambda doc: doc.get("account_id"))
BY_HOOK = Listing("pvt_by_hook", lambda doc: f"{doc['account_id']}/{doc['hook_id']}")
LISTINGS = (BY_ACCOUNT, BY_HOOK)
INDEXES = (
    *(listing.index(ATTEMPTS) for listing in LISTINGS),
    Index(ATTEMPTS, "webhook_attempts_event", ("event_id",)),
)
EXCERPT_CHARS = 200
EXPIRY = Expiry(ATTEMPTS, EXPIRES_AT)


@dataclass(frozen=True)
class Outcome:
    """What one try came to."""

    ok: bool
    reason: str
    latency_ms: int
    status: int | None = None
    excerpt: str = ""
    client_error: str | None = None


async def record_attempt(
    store: Store,
    delivery: dict[str, Any],
    outcome: Outcome,
    retries_left: int,
    keep: timedelta,
) -> None:
    """Store the row Kazoo lists (`hook_id`, `result`, `resp_status_code`, `reason`, ...)."""
    now = time.time()
    doc: dict[str, Any] = {
        "id": new_id(),
        "hook_id": delivery["hook_id"],
        "account_id": delivery["hook_account_id"],
        "event_id": delivery["message_id"],
        "hook_event": delivery["hook_event"],
        "result": "success" if outcome.ok else "failure",
        "reason": outcome.reason,
        "timestamp": int(now) + GREGORIAN_OFFSET,
        "latency_ms": outcome.latency_ms,
        "response_excerpt": outcome.excerpt[:EXCERPT_CHARS],
        # Kazoo's key has a space in it.
        "retries left": retries_left,
        EXPIRES_AT: datetime.now(UTC) + keep,
    }
    if outcome.status is not None:
        doc["resp_status_code"] = str(outcome.status)
    if outcome.client_error:
        doc["client_error"] = outcome.client_error
    stamp_keys(LISTINGS, doc, f"{int(now * 1_000_000):017d}\x1f{doc['id']}")
    await store.insert(ATTEMPTS, doc)


def attempt_row(doc: dict[str, Any]) -> dict[str, Any]:
    """An attempt as listed: everything but private and store fields."""
    return {k: v for k, v in doc.items() if not k.startswith(("pvt_", "_")) and k != "id"}

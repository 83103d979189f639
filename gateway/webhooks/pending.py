"""Pending deliveries: one document per (hook, event), due at a time, claimed with a lease.

A claim moves `due` past the lease: a worker that dies mid-delivery leaves the delivery due
again once the lease runs out, so nothing claimed is ever lost (at-least-once).
"""

from __future__ import annotations

import time
from typing import Any

from gateway.store import Index, Store

DELIVERIES = "webhook_deliveries"
INDEXES = (
    Index(DELIVERIES, "webhook_deliveries_due", ("due",)),
    Index(DELIVERIES, "webhook_deliveries_hook", ("hook_id",)),
)
Delivery = dict[str, Any]


def delivery(
    hook: dict[str, Any], event: dict[str, Any], hook_event: str, payload: dict[str, Any]
) -> Delivery:
    """A new delivery of one event's payload to one hook, due now."""
    now = time.time()
    return {
        "id": f"{hook['id']}:{event['id']}",
        "hook_id": hook["id"],
        "hook_account_id": hook["pvt_account_id"],
        "message_id": event["id"],
        "seq": event.get("seq"),
        "hook_event": hook_event,
        "payload": payload,
        "tries": 0,
        "due": now,
        "created_at": now,
    }


async def claim(store: Store, lease_seconds: float) -> Delivery | None:
    """The most overdue delivery, now leased to the caller; None when nothing is due."""
    now = time.time()
    return await store.claim_due(DELIVERIES, "due", now, now + lease_seconds)


async def reschedule(store: Store, item: Delivery, due: float, tries: int) -> None:
    """Try again at `due`."""
    await store.update_many(DELIVERIES, {"id": item["id"]}, {"$set": {"due": due, "tries": tries}})


async def finish(store: Store, item: Delivery) -> None:
    """Delivered, or out of retries: the delivery goes."""
    await store.delete(DELIVERIES, item["id"])

"""Registrations as the switch reports them; each expires on its own (TTL index)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from gateway.crossbar.clock import gregorian_now
from gateway.crossbar.documents import BY_ACCOUNT, Listing
from gateway.store import Index, Store

REGISTRATIONS = "registrations"
EXPIRES_AT = "pvt_expires_at"
INDEXES = (
    Index(REGISTRATIONS, "registrations_expiry", (EXPIRES_AT,), ttl_seconds=0),
    BY_ACCOUNT.index(REGISTRATIONS),
)
# Kazoo's row keys, in its order; what the switch did not report is "undefined" there too.
ROW_KEYS = (
    "username",
    "realm",
    "authorizing_id",
    "authorizing_type",
    "owner_id",
    "contact",
    "contact_ip",
    "contact_port",
    "user_agent",
    "expires",
    "event_timestamp",
    "call_id",
    "from_user",
    "from_host",
    "to_user",
    "to_host",
    "proxy_ip",
    "proxy_port",
    "original_contact",
    "network_ip",
    "network_port",
)


def registration_id(account_id: str, username: str, realm: str) -> str:
    """One registration per account, user name and realm (case-insensitive, like SIP)."""
    return f"{account_id}:{username.lower()}@{realm.lower()}"


def now() -> datetime:
    """Naive UTC, as TTL indexes compare it."""
    return datetime.now(UTC).replace(tzinfo=None)


async def apply_registration(store: Store, event: dict[str, Any]) -> None:
    """Register (replace) or unregister (delete); `expires: 0` unregisters too."""
    account_id = event["account_id"]
    doc_id = registration_id(account_id, event["username"], event["realm"])
    if event["action"] == "unregister" or event["expires"] == 0:
        await store.delete(REGISTRATIONS, doc_id)
        return
    reported = {k: v for k, v in event.items() if k not in ("event_id", "type", "action")}
    doc: dict[str, Any] = {
        **reported,
        "id": doc_id,
        "event_timestamp": gregorian_now(),
        "pvt_account_id": account_id,
        # Written whole, never $set: nx-27017 stores a $set datetime as a string (TTL-blind).
        EXPIRES_AT: now() + timedelta(seconds=int(event["expires"])),
    }
    doc[BY_ACCOUNT.field] = BY_ACCOUNT.key(doc, doc_id)
    await store.upsert(REGISTRATIONS, doc)


async def live_registrations(store: Store, account_id: str, limit: int) -> list[dict[str, Any]]:
    """The account's unexpired registrations (the TTL sweep may lag; reads compare)."""
    found = await store.find(
        REGISTRATIONS,
        {BY_ACCOUNT.field: Listing.bounds(account_id), EXPIRES_AT: {"$gt": now()}},
        sort=BY_ACCOUNT.field,
        limit=limit,
    )
    return found


def registration_row(doc: dict[str, Any], account: dict[str, Any]) -> dict[str, Any]:
    """A row of `GET /registrations`, with the account's name and realm as Kazoo adds them."""
    row = {key: doc.get(key, "undefined") for key in ROW_KEYS}
    row.update(account_name=account.get("name"), account_realm=account.get("realm"))
    return row

"""Call detail records: stored as the switch reports them, listed by time within an account."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from gateway.crossbar.clock import GREGORIAN_OFFSET, gregorian_now
from gateway.crossbar.documents import BY_ACCOUNT, Listing, stamp_keys
from gateway.store import Store

CDRS = "cdrs"
BY_OWNER = Listing(
    "pvt_by_owner",
    lambda doc: (
        f"{doc['pvt_account_id']}/{doc['pvt_owner_id']}" if doc.get("pvt_owner_id") else None
    ),
)


def _interaction(doc: dict[str, Any]) -> str | None:
    interaction = doc.get("interaction_id")
    return f"{doc['pvt_account_id']}/{interaction}" if interaction else None


def _top(doc: dict[str, Any]) -> str | None:
    """A CDR heads its interaction when the switch says so, or when it has no interaction."""
    channel_vars = doc.get("custom_channel_vars") or {}
    if doc.get("interaction_id") and not channel_vars.get("interaction_is_top"):
        return None
    return str(doc["pvt_account_id"])


BY_INTERACTION = Listing("pvt_by_interaction", _interaction)
INTERACTION_HEADS = Listing("pvt_interaction_heads", _top)
LISTINGS = (BY_ACCOUNT, BY_OWNER, BY_INTERACTION, INTERACTION_HEADS)
INDEXES = tuple(listing.index(CDRS) for listing in LISTINGS)
# Kazoo's fixed row columns, in its order (the CSV header too).
COLUMNS = (
    "id",
    "call_id",
    "caller_id_number",
    "caller_id_name",
    "callee_id_number",
    "callee_id_name",
    "duration_seconds",
    "billing_seconds",
    "timestamp",
    "hangup_cause",
    "other_leg_call_id",
    "owner_id",
    "to",
    "from",
    "direction",
    "request",
    "authorizing_id",
    "cost",
    "dialed_number",
    "calling_from",
    "datetime",
    "unix_timestamp",
    "unix_timestamp_micro",
    "rfc_1036",
    "iso_8601",
    "iso_8601_combined",
    "call_type",
    "rate",
    "rate_name",
    "bridge_id",
    "recording_url",
    "media_recordings",
    "media_server",
    "call_priority",
    "interaction_id",
)


def cdr_id(timestamp: int, call_id: str) -> str:
    """Kazoo's CDR id: the month of the call, then its call id (`YYYYMM-<call id>`)."""
    moment = datetime.fromtimestamp(timestamp - GREGORIAN_OFFSET, UTC)
    return f"{moment:%Y%m}-{call_id}"


def sort_key(timestamp: int, doc_id: str) -> str:
    """Listing order: time of the call, then id."""
    return f"{timestamp:013d}\x1f{doc_id}"


async def store_cdr(store: Store, event: dict[str, Any]) -> None:
    """Keep the CDR (a replay writes the same document again)."""
    timestamp = int(event.get("timestamp") or gregorian_now())
    channel_vars = event.get("custom_channel_vars") or {}
    doc: dict[str, Any] = {
        **{k: v for k, v in event.items() if k not in ("event_id", "type", "account_id")},
        "id": cdr_id(timestamp, event["call_id"]),
        "timestamp": timestamp,
        "pvt_account_id": event["account_id"],
        "pvt_owner_id": channel_vars.get("owner_id"),
    }
    stamp_keys(LISTINGS, doc, sort_key(timestamp, doc["id"]))
    await store.upsert(CDRS, {k: v for k, v in doc.items() if v is not None})


def _user_part(uri: Any) -> str:
    return str(uri).split("@", 1)[0].removeprefix("sip:") if uri else ""


def cdr_row(doc: dict[str, Any], utc_offset: int = 0) -> dict[str, Any]:
    """Kazoo's normalised CDR: every column, empty strings for what is unknown."""
    channel_vars = doc.get("custom_channel_vars") or {}
    unix = int(doc["timestamp"]) - GREGORIAN_OFFSET
    moment = datetime.fromtimestamp(unix, UTC)
    local = datetime.fromtimestamp(unix + utc_offset, UTC)
    derived = {
        "owner_id": channel_vars.get("owner_id"),
        "authorizing_id": channel_vars.get("authorizing_id"),
        "direction": doc.get("call_direction"),
        "dialed_number": _user_part(doc.get("request")),
        "calling_from": _user_part(doc.get("from")),
        "datetime": f"{local:%Y-%m-%d_%H:%M:%S}",
        "unix_timestamp": unix,
        "unix_timestamp_micro": unix * 1_000_000,
        "rfc_1036": time.strftime("%a, %d %b %y %H:%M:%S GMT", time.gmtime(unix)),
        "iso_8601": f"{moment:%Y-%m-%d}",
        "iso_8601_combined": f"{moment:%Y-%m-%dT%H:%M:%SZ}",
    }
    row = {column: doc.get(column) for column in COLUMNS}
    row.update(derived)
    return {key: "" if value is None else value for key, value in row.items()}

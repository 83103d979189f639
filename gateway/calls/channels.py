"""Live channels as the switch reports them; a channel whose destroy never came expires (TTL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from gateway.calls.registrations import now
from gateway.crossbar.clock import gregorian_now
from gateway.crossbar.documents import BY_ACCOUNT, Listing, stamp_keys
from gateway.store import Index, Store

CHANNELS = "channels"
EXPIRES_AT = "pvt_expires_at"
ENDED = "pvt_ended"
# Longer than any call: a channel not heard of for this long is taken as gone.
CHANNEL_LIFETIME = timedelta(hours=6)
# A destroyed channel is remembered this long, so a late `answer` does not bring it back.
ENDED_LIFETIME = timedelta(minutes=10)
ROW_KEYS = (
    "uuid",
    "answered",
    "direction",
    "destination",
    "username",
    "presence_id",
    "owner_id",
    "authorizing_id",
    "authorizing_type",
    "other_leg",
    "timestamp",
)
# What the switch reports of a channel: the row's keys that are not derived, and caller ids.
REPORTED = (
    *(key for key in ROW_KEYS if key not in ("uuid", "answered", "timestamp")),
    "caller_id_number",
    "caller_id_name",
    "callee_id_number",
    "callee_id_name",
)


Scope = Callable[[dict[str, Any]], "str | None"]


def _live(scope_of: Scope) -> Scope:
    """Only channels that have not ended are listed."""

    def scope(doc: dict[str, Any]) -> str | None:
        return None if doc.get(ENDED) else scope_of(doc)

    return scope


def _device(doc: dict[str, Any]) -> str | None:
    if doc.get("authorizing_type") != "device" or not doc.get("authorizing_id"):
        return None
    return f"{doc['pvt_account_id']}/{doc['authorizing_id']}"


def _owner(doc: dict[str, Any]) -> str | None:
    return f"{doc['pvt_account_id']}/{doc['owner_id']}" if doc.get("owner_id") else None


LIVE_IN_ACCOUNT = Listing(BY_ACCOUNT.field, _live(BY_ACCOUNT.scope_of))
BY_OWNER = Listing("pvt_by_owner", _live(_owner))
BY_DEVICE = Listing("pvt_by_device", _live(_device))
LISTINGS = (LIVE_IN_ACCOUNT, BY_OWNER, BY_DEVICE)
INDEXES = (
    Index(CHANNELS, "channels_expiry", (EXPIRES_AT,), ttl_seconds=0),
    *(listing.index(CHANNELS) for listing in LISTINGS),
)


def channel_id(account_id: str, uuid: str) -> str:
    """A channel's document id: its call id within its account."""
    return f"{account_id}:{uuid}"


async def apply_channel(store: Store, event: dict[str, Any]) -> None:
    """create/answer/bridge refresh the channel's state; destroy ends it."""
    account_id, uuid = event["account_id"], event["call_id"]
    doc_id = channel_id(account_id, uuid)
    old = await store.get(CHANNELS, doc_id) or {}
    if old.get(ENDED):
        return
    doc: dict[str, Any] = {
        **{key: old[key] for key in (*REPORTED, "answered", "timestamp") if key in old},
        **{key: event[key] for key in REPORTED if key in event},
        "id": doc_id,
        "uuid": uuid,
        "pvt_account_id": account_id,
    }
    doc.setdefault("timestamp", gregorian_now())
    doc["answered"] = bool(doc.get("answered")) or event["action"] in ("answer", "bridge")
    ending = event["action"] == "destroy"
    if ending:
        doc[ENDED] = True
    # Written whole, never $set: nx-27017 stores a $set datetime as a string (TTL-blind).
    doc[EXPIRES_AT] = now() + (ENDED_LIFETIME if ending else CHANNEL_LIFETIME)
    sort_key = f"{doc['timestamp']:013d}\x1f{uuid}"
    stamp_keys(LISTINGS, doc, sort_key)
    await store.upsert(CHANNELS, doc)


async def live_channels(
    store: Store, listing: Listing, scope: str, limit: int
) -> list[dict[str, Any]]:
    """Channels in a scope, newest first (expired ones left out even before the TTL sweep)."""
    return await store.find(
        CHANNELS,
        {listing.field: Listing.bounds(scope), EXPIRES_AT: {"$gt": now()}},
        sort=listing.field,
        descending=True,
        limit=limit,
    )


async def live_channel(store: Store, account_id: str, uuid: str) -> dict[str, Any] | None:
    """One channel while it lasts."""
    doc = await store.get(CHANNELS, channel_id(account_id, uuid))
    if doc is None or doc.get(ENDED) or doc[EXPIRES_AT] <= now():
        return None
    return doc


def channel_row(doc: dict[str, Any]) -> dict[str, Any]:
    """Kazoo's channel object."""
    return {key: doc.get(key) for key in ROW_KEYS}

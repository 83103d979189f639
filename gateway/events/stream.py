"""The published events: ordered by `seq`, kept for a bounded time (TTL index)."""

from __future__ import annotations

from typing import Any

from gateway.events.retention import Expiry
from gateway.store import Index, Store

EVENTS = "events"
EXPIRES_AT = "expires_at"
# One account's events in order: `<account id>\x1f<seq, 16 digits>`.
BY_ACCOUNT = "pvt_by_account"
INDEXES = (
    Index(EVENTS, "events_seq", ("seq",), unique=True),
    Index(EVENTS, "events_by_account", (BY_ACCOUNT,), sparse_on=BY_ACCOUNT),
)
Event = dict[str, Any]


def account_key(account_id: str, seq: int) -> str:
    """An event's place among its account's events."""
    return f"{account_id}\x1f{seq:016d}"


EXPIRY = Expiry(EVENTS, EXPIRES_AT)


class EventStream:
    """Read the stream from any instance: every event after a given `seq`, in order."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def read(self, after: int = 0, limit: int = 100) -> list[Event]:
        """Up to `limit` events with `seq` greater than `after`, oldest first."""
        return await self.store.find(EVENTS, {"seq": {"$gt": after}}, sort="seq", limit=limit)

    async def last_seq(self) -> int:
        """The newest event's `seq` (0 when the stream is empty)."""
        newest = await self.store.find(EVENTS, {}, sort="seq", descending=True, limit=1)
        return int(newest[0]["seq"]) if newest else 0

"""The shared half of a bucket: one store document per bucket, changed by compare-and-set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from gateway.events.retention import Expiry
from gateway.ratelimit.bucket import Limit
from gateway.store import Conflict, DuplicateValue, Store

BUCKETS = "rate_buckets"
EXPIRES_AT = "expires"
# A bucket left alone refills; once full its document says nothing and is swept.
EXPIRY = Expiry(BUCKETS, EXPIRES_AT)


@dataclass(frozen=True)
class Shared:
    """A bucket as last read from (or written to) the store."""

    key: str
    tokens: float
    at: float
    rev: str | None
    override: Limit | None = None

    def limit(self, default: Limit) -> Limit:
        """The account's own limit when one is set, else the configured one."""
        return self.override or default


def _override(doc: dict[str, Any]) -> Limit | None:
    capacity, per_second = doc.get("capacity"), doc.get("per_second")
    if isinstance(capacity, int) and isinstance(per_second, int | float) and per_second > 0:
        return Limit(capacity, float(per_second))
    return None


async def read(store: Store, key: str, default: Limit, now: float) -> Shared:
    """The stored bucket, or a full one that is not stored yet."""
    doc = await store.get(BUCKETS, key)
    if doc is None:
        return Shared(key, float(default.capacity), now, None)
    override = _override(doc)
    return Shared(key, float(doc["tokens"]), float(doc["at"]), doc["_rev"], override)


def _expires(limit: Limit, tokens: float, now: float) -> datetime:
    seconds = limit.seconds_until(tokens, limit.capacity) + 60
    return (datetime.now(UTC) + timedelta(seconds=seconds)).replace(tzinfo=None)


async def write(store: Store, seen: Shared, limit: Limit, tokens: float, now: float) -> Shared:
    """Store `tokens` at `now` if nobody changed the bucket since `seen`; else raise Conflict."""
    doc: dict[str, Any] = {"id": seen.key, "tokens": tokens, "at": now}
    if seen.override is not None:
        # An account's own limit is kept: only plain buckets are swept once full.
        doc.update(capacity=seen.override.capacity, per_second=seen.override.per_second)
    else:
        doc[EXPIRES_AT] = _expires(limit, tokens, now)
    try:
        if seen.rev is None:
            saved = await store.insert(BUCKETS, doc)
        else:
            saved = await store.replace(BUCKETS, {**doc, "_rev": seen.rev})
    except DuplicateValue:
        raise Conflict(seen.key) from None
    return Shared(seen.key, tokens, now, saved["_rev"], seen.override)


async def set_override(store: Store, key: str, limit: Limit | None, default: Limit) -> None:
    """Give a bucket its own limit (None: back to the configured one); instances see it at
    their next lease, because the change moves the bucket's revision."""
    for _ in range(5):
        now = datetime.now(UTC).timestamp()
        seen = await read(store, key, default, now)
        target = Shared(key, seen.tokens, seen.at, seen.rev, limit)
        effective = target.limit(default)
        tokens = min(float(effective.capacity), effective.refilled(seen.tokens, seen.at, now))
        try:
            await write(store, target, effective, tokens, now)
            return
        except Conflict:
            continue
    raise Conflict(key)

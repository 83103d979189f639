"""Charges requests to buckets from a locally leased share, going to the store once a share.

Each instance takes a share of a bucket (a tenth of its burst, or a second of refill) in one
compare-and-set on the bucket's document and spends it locally; what it still holds goes back
into the bucket at its next lease. A stale local copy can only hold too many tokens, never too
few (others only take), so a refusal costs no round trip unless the copy is old. Every instance
may hold at most one share of a bucket beyond what the store shows, so a burst can exceed the
capacity by that much: the bound the README states.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from gateway.ratelimit.bucket import Limit, Verdict
from gateway.ratelimit.shared import Shared, read, write
from gateway.store import Conflict, Store

# A lease is spent within this long, then what is left goes back at the next lease.
LEASE_SECONDS = 2.0
# A refusal is decided locally only from a copy of the bucket younger than this.
FRESH_SECONDS = 2.0
ATTEMPTS = 5


class RateLimited(Exception):
    """The bucket lacks tokens: retry after `retry_after` whole seconds."""

    def __init__(self, verdict: Verdict, retry_after: int) -> None:
        super().__init__(verdict.limit)
        self.verdict = verdict
        self.retry_after = retry_after


@dataclass
class _Entry:
    held: float = 0.0
    until: float = 0.0
    seen: Shared | None = None
    read_at: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class Limiter:
    """Bucket charges of one instance; at most `entries` buckets are held in memory."""

    def __init__(self, store: Store, entries: int) -> None:
        self.store = store
        self.entries = entries
        self._buckets: OrderedDict[str, _Entry] = OrderedDict()

    def _entry(self, key: str) -> _Entry:
        entry = self._buckets.get(key)
        if entry is None:
            entry = self._buckets[key] = _Entry()
            if len(self._buckets) > self.entries:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(key)
        return entry

    async def charge(self, key: str, cost: int, default: Limit) -> Verdict:
        """Take `cost` tokens from bucket `key`; raise RateLimited when it lacks them."""
        entry = self._entry(key)
        now = time.time()
        if entry.held >= cost and entry.until > now:
            entry.held -= cost
            return self._verdict(entry, default, cost, now)
        async with entry.lock:
            now = time.time()
            if entry.held >= cost and entry.until > now:
                entry.held -= cost
                return self._verdict(entry, default, cost, now)
            return await self._lease(key, entry, cost, default)

    async def peek(self, key: str, default: Limit) -> Verdict:
        """What bucket `key` holds, charging nothing (read locally when a copy is held)."""
        entry = self._entry(key)
        return self._verdict(entry, default, 0, time.time())

    def _verdict(self, entry: _Entry, default: Limit, cost: int, now: float) -> Verdict:
        seen = entry.seen
        if seen is None:
            return Verdict(default, cost, float(default.capacity), now)
        limit = seen.limit(default)
        shared = limit.refilled(seen.tokens, seen.at, now)
        remaining = min(float(limit.capacity), shared + entry.held)
        return Verdict(limit, cost, remaining, now)

    async def _lease(self, key: str, entry: _Entry, cost: int, default: Limit) -> Verdict:
        for _ in range(ATTEMPTS):
            now = time.time()
            if entry.seen is None:
                entry.seen, entry.read_at = await read(self.store, key, default, now), now
            seen = entry.seen
            limit = seen.limit(default)
            available = min(float(limit.capacity), limit.refilled(seen.tokens, seen.at, now))
            available = min(float(limit.capacity), available + entry.held)
            if available < cost:
                if now - entry.read_at > FRESH_SECONDS:
                    entry.seen = None
                    continue
                verdict = Verdict(limit, 0, available, now)
                wait = limit.seconds_until(available, cost)
                raise RateLimited(verdict, max(1, math.ceil(wait)))
            grant = min(available, limit.share(cost))
            try:
                entry.seen = await write(self.store, seen, limit, available - grant, now)
            except Conflict:
                entry.seen = None
                continue
            entry.read_at = now
            entry.held, entry.until = grant - cost, now + LEASE_SECONDS
            return self._verdict(entry, default, cost, now)
        # Contended past reason: let the request through rather than fail it.
        return self._verdict(entry, default, cost, time.time())

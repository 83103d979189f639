"""A small in-process cache with a short lifetime and bounds on entries and bytes.

Another instance's writes reach this one only when an entry expires, so the lifetime is the
bound on cross-instance staleness (README); this instance's own writes drop entries at once.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from gateway.settings import Settings

Key = TypeVar("Key")
Value = TypeVar("Value")


@dataclass(frozen=True)
class CacheLimits:
    """Lifetime in seconds (0 turns caching off), most entries, most bytes."""

    ttl: float
    entries: int
    bytes: int


def cache_limits(settings: Settings) -> CacheLimits:
    """The bounds of each in-process cache, from the settings."""
    return CacheLimits(settings.cache_ttl_ms / 1000, settings.cache_entries, settings.cache_bytes)


class TtlCache(Generic[Key, Value]):
    """Least recently used entries go first once a bound is reached."""

    def __init__(self, limits: CacheLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self._entries: OrderedDict[Key, tuple[float, int, Value]] = OrderedDict()
        self._bytes = 0
        self._loading: dict[Key, asyncio.Future[Value | None]] = {}
        self._drops = 0
        # For the metrics, which read them at scrape time (plain ints: the cheapest count).
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size(self) -> int:
        """Bytes held, as estimated by the callers of put."""
        return self._bytes

    def get(self, key: Key) -> Value | None:
        """The live value under `key`, or None."""
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        if entry[0] <= self.clock():
            self._discard(key)
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry[2]

    async def get_or_load(
        self, key: Key, load: Callable[[], Awaitable[Value | None]], size: Callable[[Value], int]
    ) -> Value | None:
        """The cached value, else `load()`'s, loaded once however many requests wait for it.

        The load runs as its own task, so a request that goes away cancels none of the others.
        """
        value = self.get(key)
        if value is not None:
            return value
        task = self._loading.get(key)
        if task is None:
            # Named after the task that asked first, so a load is known by who caused it.
            creator = asyncio.current_task()
            task = asyncio.get_running_loop().create_task(
                self._load(key, load, size, self._drops),
                name=creator.get_name() if creator else None,
            )
            task.add_done_callback(_retrieve)
            self._loading[key] = task
        return await asyncio.shield(task)

    async def _load(
        self,
        key: Key,
        load: Callable[[], Awaitable[Value | None]],
        size: Callable[[Value], int],
        drops: int,
    ) -> Value | None:
        try:
            value = await load()
        finally:
            del self._loading[key]
        # A drop while loading means this instance changed the data: do not keep the old read.
        if value is not None and drops == self._drops:
            self.put(key, value, size(value))
        return value

    def put(self, key: Key, value: Value, size: int) -> None:
        """Keep `value` for the lifetime; too large a value is not kept."""
        limits = self.limits
        if limits.ttl <= 0 or size > limits.bytes // 16:
            return
        self._discard(key)
        self._entries[key] = (self.clock() + limits.ttl, size, value)
        self._bytes += size
        while len(self._entries) > limits.entries or self._bytes > limits.bytes:
            _, (_, dropped, _) = self._entries.popitem(last=False)
            self._bytes -= dropped

    def drop(self, key: Key) -> None:
        """Forget one entry: its data changed."""
        self._drops += 1
        self._discard(key)

    def _discard(self, key: Key) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= entry[1]

    def drop_where(self, matches: Callable[[Value], bool]) -> None:
        """Forget every entry whose value matches (a scan: for rare events only)."""
        self._drops += 1
        for key in [key for key, entry in self._entries.items() if matches(entry[2])]:
            self._discard(key)


def _retrieve(task: asyncio.Future[Any]) -> None:
    """Mark a load's failure as seen; whoever awaited it got the error."""
    if not task.cancelled():
        task.exception()

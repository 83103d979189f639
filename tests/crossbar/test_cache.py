"""The in-process cache: lifetime, bounds, invalidation and single loads (pure, fake clock)."""

from __future__ import annotations

import asyncio

import pytest

from gateway.auth.cache import CacheLimits, TtlCache


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def cache(
    ttl: float = 1.0, entries: int = 10, size: int = 16_000
) -> tuple[TtlCache[str, str], Clock]:
    clock = Clock()
    return TtlCache(CacheLimits(ttl, entries, size), clock), clock


def test_an_entry_lives_exactly_its_lifetime() -> None:
    kept, clock = cache(ttl=1.0)
    kept.put("a", "x", 10)
    clock.now += 0.999
    assert kept.get("a") == "x"
    clock.now += 0.001
    assert kept.get("a") is None
    assert len(kept) == 0 and kept.size == 0


def test_a_zero_lifetime_keeps_nothing() -> None:
    kept, _ = cache(ttl=0)
    kept.put("a", "x", 10)
    assert kept.get("a") is None


def test_the_least_recently_used_entry_goes_first_past_the_entry_bound() -> None:
    kept, _ = cache(entries=2)
    kept.put("a", "1", 1)
    kept.put("b", "2", 1)
    assert kept.get("a") == "1"
    kept.put("c", "3", 1)
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == ("1", None, "3")


def test_bytes_stay_under_their_bound_and_a_huge_value_is_not_kept() -> None:
    kept, _ = cache(entries=100, size=1600)
    for number in range(20):
        kept.put(f"k{number}", "v", 100)
    assert kept.size == 1600 and len(kept) == 16
    assert kept.get("k3") is None and kept.get("k4") == "v"
    kept.put("huge", "h", 101)  # more than a sixteenth of the bound
    assert kept.get("huge") is None


def test_drop_where_forgets_matching_entries() -> None:
    kept, _ = cache()
    for key in ("a1", "a2", "b1"):
        kept.put(key, key[0], 1)
    kept.drop_where(lambda value: value == "a")
    assert (kept.get("a1"), kept.get("a2"), kept.get("b1")) == (None, None, "b")


class GatedLoad:
    """A load that answers `value` once released, counting its calls."""

    def __init__(self, value: str) -> None:
        self.value, self.calls, self.release = value, 0, asyncio.Event()

    async def __call__(self) -> str:
        self.calls += 1
        await self.release.wait()
        return self.value


async def test_concurrent_misses_load_once() -> None:
    kept, _ = cache()
    load = GatedLoad("v")
    waiting = [asyncio.ensure_future(kept.get_or_load("k", load, len)) for _ in range(5)]
    await asyncio.sleep(0)
    load.release.set()
    assert await asyncio.gather(*waiting) == ["v"] * 5
    assert load.calls == 1 and kept.get("k") == "v"


async def test_a_drop_during_a_load_keeps_the_old_read_out_of_the_cache() -> None:
    kept, _ = cache()
    load = GatedLoad("read before the change")
    waiting = asyncio.ensure_future(kept.get_or_load("k", load, len))
    await asyncio.sleep(0)
    kept.drop("k")
    load.release.set()
    assert await waiting == "read before the change"
    assert kept.get("k") is None


async def test_a_cancelled_waiter_does_not_cancel_the_load_for_the_others() -> None:
    kept, _ = cache()
    load = GatedLoad("v")
    first = asyncio.ensure_future(kept.get_or_load("k", load, len))
    second = asyncio.ensure_future(kept.get_or_load("k", load, len))
    await asyncio.sleep(0)
    first.cancel()
    load.release.set()
    assert await second == "v"
    with pytest.raises(asyncio.CancelledError):
        await first


async def test_a_failed_load_reaches_every_waiter_and_is_not_kept() -> None:
    kept, _ = cache()

    async def load() -> str:
        raise RuntimeError("store down")

    results = await asyncio.gather(
        *(kept.get_or_load("k", load, len) for _ in range(3)), return_exceptions=True
    )
    assert all(isinstance(result, RuntimeError) for result in results)
    assert kept.get("k") is None

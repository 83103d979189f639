"""Retention by sweep: expired documents go, live ones stay, old TTL indexes are replaced."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gateway.events.retention import Expiry, Sweeper
from gateway.store import Index, Store

EXPIRY = Expiry("things", "expires_at")


def at(seconds: float) -> datetime:
    return datetime.now(UTC).replace(tzinfo=None) + timedelta(seconds=seconds)


async def test_a_sweep_deletes_only_what_has_expired(store: Store) -> None:
    sweeper = Sweeper(store, [EXPIRY])
    await sweeper.prepare()
    await store.insert_many(
        "things", [{"id": "old", "expires_at": at(-60)}, {"id": "live", "expires_at": at(3600)}]
    )
    assert await sweeper.sweep_if_due() == 1
    assert [doc["id"] for doc in await store.find("things", {})] == ["live"]
    await store.insert_many("things", [{"id": "old2", "expires_at": at(-60)}])
    assert await sweeper.sweep_if_due() == 0  # at most once a minute
    assert await sweeper.sweep() == 1


async def test_prepare_replaces_a_ttl_index_with_a_plain_one(store: Store) -> None:
    await store.ensure_indexes([Index("things", "things_ttl", ("expires_at",), ttl_seconds=0)])
    await Sweeper(store, [EXPIRY]).prepare()
    await store.insert_many("things", [{"id": "x", "expires_at": at(-60)}])
    found = await store.find("things", {"expires_at": {"$lt": at(0)}})
    assert [doc["id"] for doc in found] == ["x"]  # no TTL index hides or removes it

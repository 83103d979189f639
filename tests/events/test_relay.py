"""The relay over a real store: crashes on either side of a write, restarts, two instances."""

from __future__ import annotations

import time
from datetime import UTC
from typing import Any

from gateway.events.lease import RECHECK_SECONDS
from gateway.events.outbox import OUTBOX, Outbox, document_intent
from gateway.events.relay import Relay, RelayConfig
from gateway.events.stream import EVENTS, EventStream
from gateway.store import Store
from gateway.store.ids import next_revision

CONFIG = RelayConfig(applied_kind="intake_events", grace_seconds=60.0)


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


async def announced_write(store: Store, doc_id: str, *, write: bool) -> dict[str, Any]:
    """An intent for a new document, written (a crash after the write) or not (before it)."""
    revision = next_revision(None)
    intent = document_intent("things", "a1", doc_id, None, revision)
    await Outbox(store).announce(intent)
    if write:
        await store.insert("things", {"id": doc_id, "pvt_account_id": "a1"}, revision=revision)
    return intent


async def test_a_write_whose_request_died_after_it_is_still_published(store: Store) -> None:
    intent = await announced_write(store, "d1", write=True)
    assert await Relay(store, CONFIG).drain() == 1
    [event] = await EventStream(store).read()
    assert (event["id"], event["seq"], event["action"]) == (intent["id"], 1, "created")
    assert (event["type"], event["doc_id"], event["account_id"]) == ("things", "d1", "a1")
    assert await store.find(OUTBOX, {}) == []


async def test_a_write_that_never_happened_is_dropped_after_the_grace_only(store: Store) -> None:
    clock = Clock()
    relay = Relay(store, CONFIG, clock)
    await announced_write(store, "d1", write=False)
    assert await relay.drain() == 0
    assert len(await store.find(OUTBOX, {})) == 1
    clock.now += CONFIG.grace_seconds + 1
    assert await relay.drain() == 0
    assert await store.find(OUTBOX, {}) == [] and await EventStream(store).read() == []


async def test_a_relay_that_died_before_clearing_the_outbox_publishes_nothing_twice(
    store: Store,
) -> None:
    intent = await announced_write(store, "d1", write=True)
    await Relay(store, CONFIG).drain()
    await Outbox(store).announce(intent)  # as if the outbox had not been cleared
    second = await announced_write(store, "d2", write=True)
    # The dead relay's lease has run out.
    await store.update_many("system", {"id": "lease:events_relay"}, {"$set": {"until": 0}})
    await Relay(store, CONFIG).drain()
    events = await EventStream(store).read()
    assert [event["id"] for event in events] == [intent["id"], second["id"]]
    assert [event["seq"] for event in events] == [1, 2]
    assert await store.find(OUTBOX, {}) == []


async def test_only_the_lease_holder_publishes_and_another_takes_over_when_it_stops(
    store: Store,
) -> None:
    clock = Clock()
    first, second = Relay(store, CONFIG, clock), Relay(store, CONFIG, clock)
    await announced_write(store, "d1", write=True)
    assert await first.drain() == 1
    await announced_write(store, "d2", write=True)
    assert await second.drain() == 0
    await first.stop()
    clock.now += RECHECK_SECONDS
    assert await second.drain() == 1
    assert [event["seq"] for event in await EventStream(store).read()] == [1, 2]


async def test_an_expired_lease_passes_to_another_instance(store: Store) -> None:
    clock = Clock()
    first, second = Relay(store, CONFIG, clock), Relay(store, CONFIG, clock)
    assert await first.lease.hold()
    assert not await second.lease.hold()
    clock.now += CONFIG.lease_seconds + 1
    assert await second.lease.hold()
    assert not await first.lease.hold()


async def test_events_are_read_after_a_seq_in_order_and_carry_their_expiry(store: Store) -> None:
    for n in range(5):
        await announced_write(store, f"d{n}", write=True)
    await Relay(store, CONFIG).drain()
    stream = EventStream(store)
    assert [event["seq"] for event in await stream.read(after=2, limit=2)] == [3, 4]
    assert await stream.last_seq() == 5
    [stored] = await store.find(EVENTS, {"seq": 1})
    lifetime = stored["expires_at"].replace(tzinfo=UTC).timestamp() - stored["published_at"]
    assert abs(lifetime - CONFIG.retention.total_seconds()) < 60

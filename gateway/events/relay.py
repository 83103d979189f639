"""The relay: moves announced changes that happened from the outbox onto the stream.

Every instance runs one; a lease lets one of them work at a time, so `seq` grows in one place.
A unique `seq` and the intent's id as the event's id keep a stale holder or a crash between
publishing and clearing the outbox from ever publishing an event twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from gateway.audit.entries import write_entries
from gateway.events.decide import DocKey, decide, doc_key
from gateway.events.lease import Lease
from gateway.events.outbox import AUDIT, DOCUMENT, OUTBOX, Intent
from gateway.events.retention import Sweeper
from gateway.events.rounds import Wakeup, run_rounds
from gateway.events.stream import BY_ACCOUNT, EVENTS, EXPIRES_AT, Event, EventStream, account_key
from gateway.store import DuplicateValue, Store

log = logging.getLogger(__name__)
TASK_NAME = "event-relay"


@dataclass(frozen=True)
class RelayConfig:
    """How the relay works; `applied_kind` records the intake events applied."""

    applied_kind: str
    retention: timedelta = timedelta(days=7)
    poll_seconds: float = 0.25
    # Longer than any write can take between its intent and its store call (store timeouts
    # are 5 s): an intent still undecided after this never happened.
    grace_seconds: float = 60.0
    batch: int = 500
    lease_seconds: float = 10.0
    # After a wake-up, let concurrent writes gather into one round.
    settle_seconds: float = 0.05


@dataclass(frozen=True)
class Moved:
    """What one round took out of the outbox."""

    published: int = 0
    dropped: int = 0

    @property
    def total(self) -> int:
        """Published and dropped together."""
        return self.published + self.dropped


class Relay:
    """One instance's relay; `run` is its background loop, `drain` a round on demand."""

    def __init__(
        self,
        store: Store,
        config: RelayConfig,
        clock: Callable[[], float] = time.time,
        sweeper: Sweeper | None = None,
    ) -> None:
        self.store = store
        self.sweeper = sweeper
        self.config = config
        self.clock = clock
        self.stream = EventStream(store)
        self.lease = Lease(store, "events_relay", config.lease_seconds, clock)
        self._wakeup = Wakeup()
        self._round = asyncio.Lock()
        self._next_seq: int | None = None
        self._listeners: list[Callable[[], None]] = []
        self._halting = False
        # What this instance's relay moved since it started (read by the metrics).
        self.published = 0
        self.dropped = 0

    def on_published(self, listener: Callable[[], None]) -> None:
        """Call `listener` (cheap, synchronous) after events are published here."""
        self._listeners.append(listener)

    def wake(self) -> None:
        """Something was announced here: run a round soon."""
        self._wakeup.set()

    async def run(self) -> None:
        """Rounds until halted: at once after a wake-up, else every poll interval."""
        await run_rounds(
            "event relay",
            self._round_and_sweep,
            self._wakeup,
            self.config.poll_seconds,
            again=lambda moved: moved >= self.config.batch,
            settle_seconds=self.config.settle_seconds,
            stopping=lambda: self._halting,
        )

    def halt(self) -> None:
        """End `run` after the round in progress (shutdown's safe point)."""
        self._halting = True
        self._wakeup.set()

    async def _round_and_sweep(self) -> int:
        moved = (await self.relay_round()).total
        if self.sweeper is not None:
            await self.sweeper.sweep_if_due()
        return moved

    async def drain(self) -> int:
        """Run rounds until nothing more can move now; the number of events published."""
        published = 0
        while True:
            moved = await self.relay_round()
            published += moved.published
            if moved.total == 0:
                return published

    async def stop(self) -> None:
        """Hand the lease over at shutdown (best effort: unrenewed, it expires anyway)."""
        with contextlib.suppress(Exception):
            await self.lease.release()

    async def relay_round(self) -> Moved:
        """One round: publish what happened, drop what never will."""
        async with self._round:
            if not await self.lease.hold():
                self._next_seq = None
                return Moved()
            entries = await self.store.find(OUTBOX, {}, sort="at", limit=self.config.batch)
            if not entries:
                return Moved()
            current = await self._current(entries)
            decision = decide(
                entries,
                current,
                await self._successors(entries, current),
                await self._applied(entries),
                now=self.clock(),
                grace=self.config.grace_seconds,
            )
            await self._audit(decision.publish)
            published = await self._publish(decision.publish) if decision.publish else []
            for intent in decision.drop:
                log.warning(
                    "event relay: dropped %s %s: it never happened", intent["type"], intent["id"]
                )
            for listener in self._listeners if published else ():
                listener()
            done = published + [intent["id"] for intent in decision.drop]
            if done:
                await self.store.delete_many(OUTBOX, {"id": {"$in": done}})
            self.published += len(published)
            self.dropped += len(decision.drop)
            return Moved(len(published), len(decision.drop))

    async def _current(self, entries: list[Intent]) -> dict[DocKey, str | None]:
        wanted: dict[str, set[str]] = {}
        for intent in entries:
            if intent["source"] == DOCUMENT:
                wanted.setdefault(intent["type"], set()).add(intent["doc_id"])
        current: dict[DocKey, str | None] = {}
        for kind, ids in wanted.items():
            found = await self.store.find(kind, {"id": {"$in": sorted(ids)}})
            current.update({(kind, doc_id): None for doc_id in ids})
            current.update({(kind, doc["id"]): doc.get("_rev") for doc in found})
        return current

    async def _successors(
        self, entries: list[Intent], current: dict[DocKey, str | None]
    ) -> set[str]:
        """Revisions later intents start from: the batch's, and the outbox's for the rest."""
        known = {intent["prev"] for intent in entries if intent.get("prev")}
        unsure = [
            intent["rev"]
            for intent in entries
            if intent["source"] == DOCUMENT
            and intent.get("rev")
            and current.get(doc_key(intent)) != intent["rev"]
            and intent["rev"] not in known
        ]
        if unsure:
            later = await self.store.find(OUTBOX, {"prev": {"$in": unsure}})
            known.update(intent["prev"] for intent in later)
        return known

    async def _applied(self, entries: list[Intent]) -> set[str]:
        ids = [intent["event_id"] for intent in entries if intent["source"] != DOCUMENT]
        if not ids:
            return set()
        found = await self.store.find(self.config.applied_kind, {"id": {"$in": ids}})
        return {record["id"] for record in found}

    async def _audit(self, intents: list[Intent]) -> None:
        """The audit entries of the changes that happened, in one write, before their intents
        leave the outbox: a crash in between writes them again, which changes nothing."""
        entries = [
            (_entry_of(intent, facts), facts.get("tree"), int(facts["keep_days"]))
            for intent in intents
            if (facts := intent.get(AUDIT))
        ]
        if entries:
            await write_entries(self.store, entries)

    async def _publish(self, intents: list[Intent]) -> list[str]:
        """Append the events; the ids now on the stream (all, unless another writer raced)."""
        if self._next_seq is None:
            self._next_seq = await self.stream.last_seq() + 1
        expires = datetime.now(UTC) + self.config.retention
        events = [
            _event_of(intent, seq, expires) for seq, intent in enumerate(intents, self._next_seq)
        ]
        try:
            await self.store.insert_new(EVENTS, events)
        except DuplicateValue:
            # Published before a crash, or a stale holder took these seqs: keep what is there.
            self._next_seq = None
            ids = [event["id"] for event in events]
            found = await self.store.find(EVENTS, {"id": {"$in": ids}})
            return [event["id"] for event in found]
        self._next_seq += len(events)
        return [event["id"] for event in events]


def _entry_of(intent: Intent, facts: dict[str, Any]) -> dict[str, Any]:
    """The audit entry of a change that happened: its event's id and fields, and its facts."""
    shown = {key: value for key, value in facts.items() if key not in ("tree", "keep_days")}
    entry = {key: intent.get(key) for key in ("id", "at", "account_id", "type", "doc_id", "rev")}
    return {**entry, "action": intent["action"], **shown}


def _event_of(intent: Intent, seq: int, expires: datetime) -> Event:
    event = {key: value for key, value in intent.items() if key not in ("_rev", AUDIT)}
    event.update(seq=seq, published_at=time.time(), **{EXPIRES_AT: expires})
    if intent.get("account_id"):
        event[BY_ACCOUNT] = account_key(intent["account_id"], seq)
    return event

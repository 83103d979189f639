"""Fan-out: every event on the stream becomes one delivery per hook that wants it.

One instance at a time (a lease) follows the stream from a cursor kept in the store; a crash
between writing deliveries and moving the cursor writes the same deliveries again, which their
ids (hook, event) make a no-op.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from gateway.events.lease import Lease
from gateway.events.rounds import Wakeup, run_rounds
from gateway.events.stream import EventStream
from gateway.store import SYSTEM, Store
from gateway.webhooks.matching import Hook, deliveries_for
from gateway.webhooks.pending import DELIVERIES

log = logging.getLogger(__name__)
CURSOR = "webhooks_cursor"
WEBHOOKS = "webhooks"
BATCH = 200
# The account ids above an account (its tree), or None when the account is gone.
Ancestors = Callable[[str], Awaitable["list[str] | None"]]


class Fanout:
    """Follow the stream and queue deliveries; `run` loops, `run_once` is one batch."""

    def __init__(
        self,
        store: Store,
        ancestors: Ancestors,
        on_queued: Callable[[], None],
        poll_seconds: float = 0.25,
    ) -> None:
        self.store = store
        self.stream = EventStream(store)
        self.ancestors = ancestors
        self.on_queued = on_queued
        self.poll_seconds = poll_seconds
        self.lease = Lease(store, "webhooks_fanout", 10.0)
        self._wakeup = Wakeup()
        self._batch = asyncio.Lock()
        self._halting = False
        # Only the lease holder moves the cursor, so while it holds it, it knows it.
        self._cursor: int | None = None

    def wake(self) -> None:
        """New events may be on the stream."""
        self._wakeup.set()

    async def run(self) -> None:
        """Batches until halted."""
        await run_rounds(
            "webhook fan-out",
            self.run_once,
            self._wakeup,
            self.poll_seconds,
            again=lambda moved: moved >= BATCH,
            stopping=lambda: self._halting,
        )

    def halt(self) -> None:
        """End `run` after the batch in progress (shutdown's safe point)."""
        self._halting = True
        self._wakeup.set()

    async def drain(self) -> None:
        """Batches until the stream is followed to its end."""
        while await self.run_once():
            pass

    async def stop(self) -> None:
        """Hand the lease over (best effort: unrenewed, it expires anyway)."""
        with contextlib.suppress(Exception):
            await self.lease.release()

    async def run_once(self) -> int:
        """One batch of events; how many were read."""
        async with self._batch:
            if not await self.lease.hold():
                self._cursor = None
                return 0
            if self._cursor is None:
                cursor = await self.store.get(SYSTEM, CURSOR)
                self._cursor = int(cursor["seq"]) if cursor else await self.initialise()
            after = self._cursor
            events = await self.stream.read(after=after, limit=BATCH)
            if not events:
                return 0
            chains = await self._chains(events)
            hooks = await self._hooks(chains)
            queued = []
            for event in events:
                chain = chains.get(event.get("account_id") or "")
                if chain is not None:
                    queued += deliveries_for(event, chain, hooks)
            await self.store.insert_missing(DELIVERIES, queued)
            await self.store.upsert(SYSTEM, {"id": CURSOR, "seq": events[-1]["seq"]})
            self._cursor = int(events[-1]["seq"])
            if queued:
                self.on_queued()
            return len(events)

    async def initialise(self) -> int:
        """The cursor, set on the first start ever to the stream's end: the past is not sent."""
        first = {"id": CURSOR, "seq": await self.stream.last_seq()}
        return int((await self.store.put_if_absent(SYSTEM, first))["seq"])

    async def _chains(self, events: list[dict[str, Any]]) -> dict[str, list[str]]:
        """The ancestors of each account the events touch (accounts gone are left out)."""
        chains: dict[str, list[str]] = {}
        for account_id in {event["account_id"] for event in events if event.get("account_id")}:
            chain = await self.ancestors(account_id)
            if chain is not None:
                chains[account_id] = chain
        return chains

    async def _hooks(self, chains: dict[str, list[str]]) -> dict[str, list[Hook]]:
        """The enabled hooks of those accounts and of their ancestors."""
        accounts = set(chains).union(*chains.values())
        found = await self.store.find(
            WEBHOOKS, {"pvt_account_id": {"$in": sorted(accounts)}, "enabled": True}
        )
        hooks: dict[str, list[Hook]] = {}
        for hook in found:
            hooks.setdefault(hook["pvt_account_id"], []).append(hook)
        return hooks

"""A lease in the store: one holder at a time among every gateway instance."""

from __future__ import annotations

import time
from collections.abc import Callable

from gateway.store import SYSTEM, Conflict, DuplicateValue, Store
from gateway.store.ids import new_id

RECHECK_SECONDS = 1.0


class Lease:
    """Held by one instance until it stops renewing; renewed at half its term."""

    def __init__(
        self,
        store: Store,
        name: str,
        term: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.id = f"lease:{name}"
        self.term = term
        self.clock = clock
        self.holder = new_id()
        self._until = 0.0
        self._others_until = 0.0

    async def hold(self) -> bool:
        """True while this instance holds the lease (taking or renewing it when due)."""
        now = self.clock()
        if self._until - now > self.term / 2:
            return True
        if now < self._others_until:
            return False
        found = await self.store.get(SYSTEM, self.id)
        record = {"id": self.id, "holder": self.holder, "until": now + self.term}
        try:
            if found is None:
                await self.store.insert(SYSTEM, record)
            elif found.get("holder") == self.holder or found.get("until", 0) < now:
                await self.store.replace(SYSTEM, {**record, "_rev": found["_rev"]})
            else:
                # Look again within a second: the holder may hand it over before its term ends.
                self._until = 0.0
                self._others_until = min(float(found.get("until", 0)), now + RECHECK_SECONDS)
                return False
        except (Conflict, DuplicateValue):
            self._until = 0.0
            return False
        self._until = now + self.term
        return True

    async def release(self) -> None:
        """Give the lease up so another instance takes it at once."""
        if self._until > self.clock():
            found = await self.store.get(SYSTEM, self.id)
            if found is not None and found.get("holder") == self.holder:
                await self.store.replace(SYSTEM, {**found, "until": 0})
        self._until = 0.0

"""The loop every background worker runs: a round, then a wait for a nudge or the poll."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from gateway.store import StoreUnavailable

log = logging.getLogger(__name__)


class Wakeup:
    """A worker's nudge: set by whoever has work for it, waited on with a poll interval."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def set(self) -> None:
        """There is work: end the current wait."""
        self._event.set()

    async def wait(self, seconds: float) -> bool:
        """Until nudged or `seconds` pass; True when nudged."""
        # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancel.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._event.wait()
        return self._event.is_set()

    def clear(self) -> None:
        """Forget earlier nudges (a round is about to look for work)."""
        self._event.clear()


async def run_rounds(
    label: str,
    one_round: Callable[[], Awaitable[int]],
    wakeup: Wakeup,
    poll_seconds: float,
    *,
    again: Callable[[int], bool] = lambda done: False,
    settle_seconds: float = 0.0,
    stopping: Callable[[], bool] = lambda: False,
) -> None:
    """Rounds until cancelled or `stopping()`: at once when `again(done)`, else after a nudge
    (and `settle_seconds`, to gather work) or the poll interval. Failures are logged, not fatal."""
    unreachable = False
    while not stopping():
        wakeup.clear()
        try:
            done = await one_round()
            unreachable = False
        except StoreUnavailable:
            if not unreachable:
                log.warning("%s: the store is unreachable; retrying", label)
            unreachable, done = True, 0
        except Exception:
            log.exception("%s: round failed", label)
            done = 0
        if again(done):
            continue
        if await wakeup.wait(poll_seconds) and settle_seconds:
            await asyncio.sleep(settle_seconds)

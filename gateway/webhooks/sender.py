"""Workers: every instance claims due deliveries and sends them, bounded per hook and in all.

A failed try (connection error, timeout, any status but 2xx) is retried `retries` times with
exponential back-off; a hook whose events keep failing is disabled.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import aiohttp

from gateway.events.rounds import Wakeup, run_rounds
from gateway.store import Store, StoreUnavailable
from gateway.webhooks.addresses import UnsafeAddress, check_url, safe_connector
from gateway.webhooks.attempts import Outcome, record_attempt
from gateway.webhooks.pending import Delivery, claim, finish, reschedule
from gateway.webhooks.requests import outgoing

log = logging.getLogger(__name__)
WEBHOOKS = "webhooks"
FAILED_EVENTS = "pvt_failed_events"
READ_LIMIT = 1024
RESULTS = ("success", "failure", "disabled")
# Disable a hook: (hook id, reason).
Disable = Callable[[str, str], Awaitable[None]]


@dataclass(frozen=True)
class SenderConfig:
    """Delivery settings."""

    timeout_seconds: float = 10.0
    retry_base_seconds: float = 10.0
    concurrency: int = 16
    per_hook: int = 4
    disable_after: int = 6
    allow_private: bool = False
    keep_attempts: timedelta = timedelta(days=7)
    poll_seconds: float = 1.0

    @property
    def lease_seconds(self) -> float:
        """How long a claimed delivery is ours: past any try's timeout."""
        return self.timeout_seconds + 30.0

    def backoff(self, tries: int) -> float:
        """Seconds before retry number `tries` (1: the base, then three times longer each)."""
        return float(self.retry_base_seconds * 3 ** (tries - 1))


class Sender:
    """One instance's delivery workers."""

    def __init__(self, store: Store, config: SenderConfig, disable: Disable) -> None:
        self.store = store
        self.config = config
        self.disable = disable
        self._wakeup = Wakeup()
        self._slots = asyncio.Semaphore(config.concurrency)
        self._per_hook: dict[str, int] = {}
        self._running: set[asyncio.Task[None]] = set()
        self._session: aiohttp.ClientSession | None = None
        self._stopping = False
        # Tries by result since start (read by the metrics): success, failure, or disabled
        # (not sent: the hook was disabled or deleted meanwhile).
        self.results = dict.fromkeys(RESULTS, 0)

    def wake(self) -> None:
        """Deliveries were queued."""
        self._wakeup.set()

    def session(self) -> aiohttp.ClientSession:
        """The HTTP client (made on first use, inside the running loop)."""
        if self._session is None:
            connector = safe_connector(self.config.allow_private, self.config.concurrency)
            self._session = aiohttp.ClientSession(connector=connector)
        return self._session

    async def run(self) -> None:
        """Claim and send until stopped."""
        await run_rounds(
            "webhook delivery",
            self.send_due,
            self._wakeup,
            self.config.poll_seconds,
            again=lambda started: started > 0,
            stopping=lambda: self._stopping,
        )

    async def send_due(self) -> int:
        """Start a try for each due delivery while slots are free; how many started."""
        started = 0
        while not self._stopping and not self._slots.locked():
            item = await claim(self.store, self.config.lease_seconds)
            if item is None:
                break
            await self._slots.acquire()
            task = asyncio.create_task(self._try(item))
            self._running.add(task)
            task.add_done_callback(self._running.discard)
            started += 1
        return started

    async def drain(self) -> None:
        """Send everything due now and wait for the tries to end (tests, shutdown)."""
        while await self.send_due() or self._running:
            await asyncio.gather(*self._running)

    async def stop(self, grace: float = 10.0) -> None:
        """Stop claiming, let tries in flight end within `grace`, then close the client."""
        self._stopping = True
        self._wakeup.set()
        if self._running:
            await asyncio.wait(set(self._running), timeout=grace)
        for task in set(self._running):
            task.cancel()
        if self._session is not None:
            await self._session.close()

    async def _try(self, item: Delivery) -> None:
        hook_id = item["hook_id"]
        try:
            if self._per_hook.get(hook_id, 0) >= self.config.per_hook:
                # This hook is busy: it waits its turn without holding a slot.
                await reschedule(self.store, item, time.time() + 1.0, item["tries"])
                return
            self._per_hook[hook_id] = self._per_hook.get(hook_id, 0) + 1
            try:
                await self._deliver(item)
            finally:
                self._per_hook[hook_id] -= 1
        except StoreUnavailable:
            log.warning("webhook delivery %s: the store is unreachable", item["id"])
        except Exception:
            log.exception("webhook delivery %s failed", item["id"])
        finally:
            self._slots.release()

    async def _deliver(self, item: Delivery) -> None:
        hook = await self.store.get(WEBHOOKS, item["hook_id"])
        if hook is None or not hook.get("enabled", True):
            self.results["disabled"] += 1
            await finish(self.store, item)
            return
        outcome = await self.send(hook, item["message_id"], item["payload"])
        self.results["success" if outcome.ok else "failure"] += 1
        tries = item["tries"] + 1
        retries_left = max(0, 1 + int(hook.get("retries", 2)) - tries)
        await record_attempt(self.store, item, outcome, retries_left, self.config.keep_attempts)
        if outcome.ok:
            await finish(self.store, item)
            if hook.get(FAILED_EVENTS):
                await self.store.update_many(
                    WEBHOOKS, {"id": hook["id"]}, {"$set": {FAILED_EVENTS: 0}}
                )
        elif retries_left:
            await reschedule(self.store, item, time.time() + self.config.backoff(tries), tries)
        else:
            await finish(self.store, item)
            await self._count_failure(hook)

    async def _count_failure(self, hook: dict[str, Any]) -> None:
        await self.store.update_many(WEBHOOKS, {"id": hook["id"]}, {"$inc": {FAILED_EVENTS: 1}})
        if int(hook.get(FAILED_EVENTS) or 0) + 1 >= self.config.disable_after:
            await self.disable(hook["id"], "too many failed attempts")

    async def send(
        self, hook: dict[str, Any], message_id: str, payload: dict[str, Any]
    ) -> Outcome:
        """One try: the request, signed, and what came of it."""
        request = outgoing(hook, message_id, payload)
        started = time.monotonic()

        def took() -> int:
            return int((time.monotonic() - started) * 1000)

        try:
            await check_url(request.url, allow_private=self.config.allow_private)
            timeout = aiohttp.ClientTimeout(total=self.config.timeout_seconds)
            async with self.session().request(
                request.method,
                request.url,
                data=request.body or None,
                params=request.query or None,
                headers=request.headers,
                timeout=timeout,
                allow_redirects=False,
            ) as response:
                excerpt = (await response.content.read(READ_LIMIT)).decode("utf-8", "replace")
                ok = 200 <= response.status < 300
                reason = "ok" if ok else f"bad response code {response.status}"
                return Outcome(ok, reason, took(), response.status, excerpt)
        except UnsafeAddress as err:
            return Outcome(False, err.reason, took(), client_error="unsafe_address")
        except TimeoutError:
            return Outcome(False, "timed out", took(), client_error="timeout")
        except (aiohttp.ClientError, OSError) as err:
            name = type(err).__name__
            return Outcome(False, "connection failed", took(), client_error=name)

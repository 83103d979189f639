"""Failed-login throttling per account selector and client address, kept in the store."""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime

from gateway.crossbar.errors import TooManyRequests
from gateway.settings import Settings
from gateway.store import Index, Store

FAILURES = "login_failures"
INDEXES = (Index(FAILURES, "failures_expiry", ("expires",), ttl_seconds=0),)


def _key(selector: str, address: str, window: int) -> tuple[str, int]:
    now = int(time.time())
    slot = now // window
    digest = hashlib.sha256(f"{selector.lower()}|{address}".encode()).hexdigest()[:32]
    return f"{digest}:{slot}", (slot + 1) * window - now


async def refuse_if_throttled(
    store: Store, settings: Settings, selector: str, address: str
) -> None:
    """429 when this selector and address have failed too often in the current window."""
    key, retry_after = _key(selector, address, settings.login_failure_window)
    if await store.counter(FAILURES, key) >= settings.login_failure_limit:
        raise TooManyRequests(
            retry_after, _window_headers(settings.login_failure_limit, retry_after)
        )


def _window_headers(limit: int, retry_after: int) -> dict[str, str]:
    """The X-RateLimit-* headers of an exhausted failure window."""
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": str(int(time.time()) + retry_after),
    }


async def record_failure(store: Store, settings: Settings, selector: str, address: str) -> None:
    """Count one failed login."""
    key, retry_after = _key(selector, address, settings.login_failure_window)
    expires = datetime.fromtimestamp(time.time() + retry_after + 1, UTC)
    await store.count_in_window(FAILURES, key, expires)

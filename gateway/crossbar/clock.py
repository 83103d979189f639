"""Kazoo's Gregorian seconds."""

import time
from datetime import UTC, datetime
from typing import Any

GREGORIAN_OFFSET = 62167219200


def gregorian_now() -> int:
    """Seconds since 0000-01-01T00:00:00Z."""
    return int(time.time()) + GREGORIAN_OFFSET


def iso_time(gregorian: Any) -> str | None:
    """Gregorian seconds as an ISO 8601 UTC time (None for anything else)."""
    if not isinstance(gregorian, int) or isinstance(gregorian, bool):
        return None
    moment = datetime.fromtimestamp(gregorian - GREGORIAN_OFFSET, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

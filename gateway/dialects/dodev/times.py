"""Times as this dialect shows them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from gateway.crossbar.clock import GREGORIAN_OFFSET


def iso_time(gregorian: Any) -> str | None:
    """Kazoo's Gregorian seconds as an ISO 8601 UTC time (None for anything else)."""
    if not isinstance(gregorian, int) or isinstance(gregorian, bool):
        return None
    moment = datetime.fromtimestamp(gregorian - GREGORIAN_OFFSET, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

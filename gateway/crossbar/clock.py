"""Kazoo's Gregorian seconds."""

import time

GREGORIAN_OFFSET = 62167219200


def gregorian_now() -> int:
    """Seconds since 0000-01-01T00:00:00Z."""
    return int(time.time()) + GREGORIAN_OFFSET

"""Token-bucket arithmetic (pure): refill, the share an instance leases, what a reply reports."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    """A bucket's size and how many tokens come back each second."""

    capacity: int
    per_second: float

    def refilled(self, tokens: float, at: float, now: float) -> float:
        """What a bucket holding `tokens` at time `at` holds at `now`."""
        return min(float(self.capacity), tokens + self.per_second * max(0.0, now - at))

    def share(self, cost: int) -> float:
        """What one lease takes: a tenth of the burst or a second of refill, at least `cost`."""
        return float(max(cost, min(self.capacity // 10, math.floor(self.per_second))))

    def seconds_until(self, tokens: float, wanted: float) -> float:
        """Seconds until a bucket holding `tokens` holds `wanted`."""
        missing = wanted - tokens
        return 0.0 if missing <= 0 else missing / self.per_second


@dataclass(frozen=True)
class Verdict:
    """What one charge left: the figures of the X-RateLimit-* headers and `tokens`."""

    limit: Limit
    consumed: int
    remaining: float
    now: float

    @property
    def reset(self) -> int:
        """Unix second at which the bucket is full again."""
        return math.ceil(self.now + self.limit.seconds_until(self.remaining, self.limit.capacity))

    def headers(self) -> dict[str, str]:
        """The X-RateLimit-* headers."""
        return {
            "X-RateLimit-Limit": str(self.limit.capacity),
            "X-RateLimit-Remaining": str(max(0, math.floor(self.remaining))),
            "X-RateLimit-Reset": str(self.reset),
        }

    def tokens(self) -> dict[str, int]:
        """Kazoo's `tokens` envelope key."""
        return {"consumed": self.consumed, "remaining": max(0, math.floor(self.remaining))}


def tightest(verdicts: list[Verdict]) -> Verdict | None:
    """The verdict with the fewest tokens left (the one a client should pace itself by)."""
    return min(verdicts, key=lambda verdict: verdict.remaining, default=None)

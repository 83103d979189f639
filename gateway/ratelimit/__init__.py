"""Token buckets per client address and per account, shared through the store."""

from gateway.ratelimit.bucket import Limit, Verdict
from gateway.ratelimit.limiter import Limiter, RateLimited

__all__ = ["Limit", "Limiter", "RateLimited", "Verdict"]

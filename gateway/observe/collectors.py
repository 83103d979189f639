"""Metrics read at scrape time from counters the code keeps anyway (nothing on the hot path)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from aiohttp import web
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector

from gateway.auth.api_keys import VERIFIED_KEYS
from gateway.keys import ACCOUNT_CACHE, EVENT_RELAY, INTAKE_KEYS, TOKENS, WEBHOOK_SENDER
from gateway.observe.metrics import AppMetrics
from gateway.webhooks.sender import RESULTS


class Counted(Protocol):
    """A cache's look-up counts (see auth/cache.py's TtlCache)."""

    hits: int
    misses: int


def caches_of(app: web.Application) -> dict[str, Counted]:
    """The app's in-process caches by name (those not made yet are left out)."""
    found: dict[str, Counted] = {}
    if (accounts := app.get(ACCOUNT_CACHE)) is not None:
        found["accounts"] = accounts.entries
    if (tokens := app.get(TOKENS)) is not None:
        found["tokens"] = tokens.verified
    if (api_keys := app.get(VERIFIED_KEYS)) is not None:
        found["api_keys"] = api_keys.entries
    if (intake_keys := app.get(INTAKE_KEYS)) is not None:
        found["intake_keys"] = intake_keys.entries
    return found


class CacheCollector(Collector):
    """Hits and misses of each cache, from the cache's own ints."""

    def __init__(self, app: web.Application) -> None:
        self.app = app

    def collect(self) -> Iterator[CounterMetricFamily]:
        """The two families, one sample per cache."""
        hits = CounterMetricFamily(
            "gateway_cache_hits", "Look-ups answered from an in-process cache.", labels=["cache"]
        )
        misses = CounterMetricFamily(
            "gateway_cache_misses",
            "Look-ups an in-process cache could not answer.",
            labels=["cache"],
        )
        for name, cache in caches_of(self.app).items():
            hits.add_metric([name], cache.hits)
            misses.add_metric([name], cache.misses)
        yield hits
        yield misses


class BackgroundCollector(Collector):
    """What this instance's event relay and webhook workers did since start."""

    def __init__(self, app: web.Application) -> None:
        self.app = app

    def collect(self) -> Iterator[CounterMetricFamily]:
        """Events published and dropped by the relay; webhook tries by result."""
        relay = self.app[EVENT_RELAY]
        yield CounterMetricFamily(
            "gateway_events_published", "Events this instance's relay published.", relay.published
        )
        yield CounterMetricFamily(
            "gateway_events_dropped",
            "Outbox intents this instance's relay dropped: their change never happened.",
            relay.dropped,
        )
        deliveries = CounterMetricFamily(
            "gateway_webhook_deliveries",
            "Webhook tries by result: success, failure, or disabled (the hook was off or gone).",
            labels=["result"],
        )
        results = self.app[WEBHOOK_SENDER].results
        for result in RESULTS:
            deliveries.add_metric([result], results[result])
        yield deliveries


def register_collectors(app: web.Application, metrics: AppMetrics) -> None:
    """Add the scrape-time collectors of `app` to its registry."""
    metrics.registry.register(CacheCollector(app))
    metrics.registry.register(BackgroundCollector(app))

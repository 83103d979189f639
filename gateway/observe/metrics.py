"""The app's metrics: one registry per application, and the counters code paths move."""

from __future__ import annotations

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from gateway.keys import METRICS

REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
RequestChildren = tuple[Counter, Histogram]


class AppMetrics:
    """The registry /metrics serves for one application, and its own metrics."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "gateway_requests_total",
            "Requests answered, by dialect, module, verb and status.",
            ("dialect", "module", "verb", "status"),
            registry=self.registry,
        )
        self.request_seconds = Histogram(
            "gateway_request_duration_seconds",
            "Time from the request to the handler's answer, in seconds.",
            ("dialect", "module", "verb"),
            buckets=REQUEST_BUCKETS,
            registry=self.registry,
        )
        self.intake_events = Counter(
            "gateway_intake_events_total",
            "Intake events applied, by type (replays of events already taken are not counted).",
            ("type",),
            registry=self.registry,
        )
        self.outbox_oldest = Gauge(
            "gateway_outbox_oldest_age_seconds",
            "Age of the oldest intent waiting in the outbox at scrape time (0: none waits).",
            registry=self.registry,
        )
        self._requests: dict[tuple[str, str, str, int], RequestChildren] = {}
        self._intake: dict[str, Counter] = {}

    def request_children(
        self, dialect: str, module: str, verb: str, status: int
    ) -> RequestChildren:
        """The counter and histogram of one label set, resolved once."""
        key = (dialect, module, verb, status)
        children = self._requests.get(key)
        if children is None:
            children = (
                self.requests.labels(dialect, module, verb, str(status)),
                self.request_seconds.labels(dialect, module, verb),
            )
            self._requests[key] = children
        return children

    def intake_child(self, event_type: str) -> Counter:
        """The counter of one intake event type, resolved once."""
        child = self._intake.get(event_type)
        if child is None:
            child = self._intake[event_type] = self.intake_events.labels(event_type)
        return child


def count_intake(app: web.Application, event_type: str) -> None:
    """One more intake event of a type (a validated one: the types are the app's) applied."""
    metrics = app.get(METRICS)
    if metrics is not None:
        metrics.intake_child(event_type).inc()

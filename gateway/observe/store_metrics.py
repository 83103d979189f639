"""Store round trips and their latency, from the driver's command events, and the process's
CPU and memory (process-wide).

The driver client lives as long as the process and is shared by every app of it, so these
metrics live in one process registry, which /metrics serves next to the app's own.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, ProcessCollector
from pymongo import monitoring

# Round trips cost ~0.6 ms on nx-27017 (STYLE.md): the buckets start below that.
STORE_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0)
# The commands the store sends; anything else is counted as `other`.
COMMANDS = frozenset(
    {
        "find",
        "getMore",
        "insert",
        "update",
        "delete",
        "findAndModify",
        "aggregate",
        "count",
        "distinct",
        "createIndexes",
        "dropIndexes",
        "listIndexes",
        "listCollections",
        "explain",
        "ping",
        "killCursors",
        "endSessions",
        "dropDatabase",
        "drop",
    }
)
PROCESS_REGISTRY = CollectorRegistry(auto_describe=True)
# process_cpu_seconds_total, process_resident_memory_bytes, process_open_fds and the like.
ProcessCollector(registry=PROCESS_REGISTRY)
COMMANDS_TOTAL = Counter(
    "gateway_store_commands_total",
    "Store commands sent, by command and outcome (ok or error).",
    ("command", "outcome"),
    registry=PROCESS_REGISTRY,
)
COMMAND_SECONDS = Histogram(
    "gateway_store_command_duration_seconds",
    "Store command round trips, in seconds.",
    ("command",),
    buckets=STORE_BUCKETS,
    registry=PROCESS_REGISTRY,
)
Children = tuple[Counter, Counter, Histogram]


class StoreListener(monitoring.CommandListener):
    """Counts every command and times its round trip; a dict lookup per event."""

    def __init__(self) -> None:
        self._children: dict[str, Children] = {}

    def _of(self, name: str) -> Children:
        children = self._children.get(name)
        if children is None:
            label = name if name in COMMANDS else "other"
            children = (
                COMMANDS_TOTAL.labels(label, "ok"),
                COMMANDS_TOTAL.labels(label, "error"),
                COMMAND_SECONDS.labels(label),
            )
            self._children[name] = children
        return children

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        """Nothing: the outcome carries the duration."""

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        """One more command that succeeded, and its duration."""
        ok, _, seconds = self._of(event.command_name)
        ok.inc()
        seconds.observe(event.duration_micros / 1e6)

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        """One more command that failed, and its duration."""
        _, error, seconds = self._of(event.command_name)
        error.inc()
        seconds.observe(event.duration_micros / 1e6)


_LISTENER = StoreListener()


def store_listener() -> StoreListener:
    """The process's listener: pass it as `event_listeners=[store_listener()]` to the client."""
    return _LISTENER

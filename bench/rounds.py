"""One measured run: warm up, settle, then wrk with CPU from /proc until the server is idle."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import wrk
from bench.cases import Case
from bench.servers import CLK_TCK, core_busy, cpu_seconds

SETTLE_LIMIT = 60.0
SETTLE_POLL = 0.25
# A run completing fewer requests (32 queued listings can outlast a 3 s run) is redone twice
# as long, up to MAX_STRETCH times the asked length.
MIN_COMPLETED = 2 * wrk.CONNECTIONS
MAX_STRETCH = 8


@dataclass
class Run:
    """A measured run: wrk's figures and CPU µs per request of each watched process."""

    case: str
    round: int
    result: wrk.Result
    cpu_us: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    ratio: float | None = None
    drain_s: float = 0.0
    seconds: int = 0
    other_pct: float = 0.0
    attempts: list[tuple[int, int, float]] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """No non-2xx/3xx reply, no socket error, at least one completed request."""
        return not self.problems

    def server_us(self) -> float:
        """CPU per request of all the watched processes together."""
        return sum(self.cpu_us.values())


def settle(pids: list[int], limit: float = SETTLE_LIMIT) -> float:
    """Wait until the processes stop using CPU (requests cut off by wrk drain); seconds waited."""
    began = time.monotonic()
    quiet = 0
    last = sum(cpu_seconds(pid) for pid in pids)
    while time.monotonic() - began < limit and quiet < 2:
        time.sleep(SETTLE_POLL)
        now = sum(cpu_seconds(pid) for pid in pids)
        quiet = quiet + 1 if now - last <= 1.5 / CLK_TCK else 0
        last = now
    return time.monotonic() - began


def _once(case: Case, base: str, watched: dict[str, int], seconds: int, script: Path) -> Run:
    pids = list(watched.values())
    began, busy = time.monotonic(), core_busy()
    before = {name: cpu_seconds(pid) for name, pid in watched.items()}
    result = wrk.run(base, case.request, seconds, script)
    # Requests still in flight when wrk stops are finished by the server: count their CPU
    # (until it is idle again) and divide by the requests sent, not only those completed.
    run = Run(case.name, 0, result, problems=result.problems(), seconds=seconds)
    run.drain_s = settle(pids)
    after = {name: cpu_seconds(pid) for name, pid in watched.items()}
    ours = sum(after.values()) - sum(before.values())
    run.other_pct = max(0.0, 100 * (core_busy() - busy - ours) / (time.monotonic() - began))
    sent = max(result.sent, result.requests)
    if sent:
        run.cpu_us = {n: (after[n] - before[n]) * 1e6 / sent for n in watched}
    return run


def measure(
    case: Case,
    base: str,
    watched: dict[str, int],
    seconds: int,
    warmup: int,
    scratch: Path,
    number: int,
) -> Run:
    """Warm up, then a measured run, doubled in length while it completes too few requests."""
    script = scratch / f"{case.name}.lua"
    if warmup:
        wrk.run(base, case.request, warmup, script)
        settle(list(watched.values()))
    length, attempts = seconds, []
    while True:
        run = _once(case, base, watched, length, script)
        attempts.append((length, run.result.requests, run.other_pct))
        few = run.result.requests < MIN_COMPLETED
        if not few or length >= seconds * MAX_STRETCH or run.result.non_2xx:
            break
        length *= 2
    run.round, run.attempts = number, attempts
    if not run.result.requests:
        run.problems.append(f"no request completed in {length} s")
    return run


def add_ratios(runs: list[Run], bare: Run) -> None:
    """ratio = bare CPU per request of the same round / gateway + store CPU per request."""
    for run in runs:
        if run.valid and bare.valid and run.server_us() > 0:
            run.ratio = bare.server_us() / run.server_us()

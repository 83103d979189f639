"""Medians per case, one-line summaries, and a section appended to docs/performance.md."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path

from bench.cases import BARE, Target
from bench.probe import Timings
from bench.rounds import Run
from bench.servers import Memory

INTRO = """# Performance

Figures appended by `make bench` (full: 3 interleaved rounds of 10 s per run) and
`make bench BENCH_QUICK=1` (one round of 3 s per run), newest last.

Method. The gateway runs on its embedded store (`nx-27017`, a child process) with
`GATEWAY_BCRYPT_ROUNDS=4`, so `login` measures the gateway rather than bcrypt, and request
buckets wrk cannot empty (10^8 tokens, refilling 100 a second, so each instance leases 100 tokens
per round trip to the store). The gateway (and
so its store) and a bare aiohttp server on uvloop answering `GET /` with a small JSON body are
pinned to core 0; `wrk -t1 -c32 --latency --timeout 30s` runs on core 1. Accounts and users are
seeded through the HTTP API: `bench-1k` (1,000 users plus one login user), `bench-10k` (10,000
users) and `bench-writes` (where `put_1k` creates land). Each round runs `bare`, then every
case, each after a short warm-up. A run is valid only without non-2xx/3xx replies and socket
errors, and with at least one completed request. A run that completes fewer than 64 requests
(32 queued slow listings can outlast a short run) is redone twice as long, up to 8 times the
asked length; `run s` is the length measured.

Columns. `req/s`, `p50` and `p99` come from wrk. `gateway` and `store` are CPU µs per request
(utime + stime from `/proc/<pid>/stat`), counted from the start of the run until the server is
idle again and divided by the requests wrk sent, so requests still in flight when wrk stops are
neither lost nor free. `ratio` = the bare server's CPU per request in the same round / (gateway
+ store) CPU per request; higher is better. Figures are medians over the rounds. `core 0 other
%` is how busy core 0 was with anything but the measured processes during the run: another job
on the machine makes the figures noisy. Memory is VmRSS / VmHWM in MiB. Hook costs are the mean
`Server-Timing` durations over sequential probes after the write cases, when the gateway sends
that header (`GATEWAY_SERVER_TIMING=true`).
"""


LABELS = {"gw": "gateway"}


@dataclass
class Summary:
    """A case's medians over its valid rounds, its target and verdict."""

    case: str
    runs: int
    valid: int
    medians: dict[str, float] = field(default_factory=dict)
    ratio: float | None = None
    problems: list[str] = field(default_factory=list)
    target: Target | None = None
    verdict: str = ""


def summarise(runs: list[Run], targets: dict[str, Target]) -> list[Summary]:
    """One Summary per case, in first-run order, with target verdicts."""
    summaries: dict[str, Summary] = {}
    for run in runs:
        summary = summaries.setdefault(run.case, Summary(run.case, 0, 0))
        summary.runs += 1
        summary.valid += run.valid
        summary.problems += [f"round {run.round}: {p}" for p in run.problems]
    for summary in summaries.values():
        mine = [r for r in runs if r.case == summary.case and r.valid]
        if summary.problems or not mine:
            summary.verdict = "INVALID"
            continue
        figures = {"rps": [r.result.rps for r in mine], "p50": [r.result.p50_ms for r in mine]}
        figures["p99"] = [r.result.p99_ms for r in mine]
        figures["seconds"] = [float(r.seconds) for r in mine]
        figures["other"] = [r.other_pct for r in mine]
        for key in mine[0].cpu_us:
            figures[key] = [r.cpu_us[key] for r in mine]
        summary.medians = {k: statistics.median(v) for k, v in figures.items()}
        ratios = [r.ratio for r in mine if r.ratio is not None]
        summary.ratio = statistics.median(ratios) if ratios else None
    for summary in summaries.values():
        summary.target = targets.get(summary.case)
        if summary.verdict or summary.target is None:
            continue
        summary.verdict = _verdict(summary, summary.target, summaries)
    return list(summaries.values())


def _verdict(summary: Summary, target: Target, all_: dict[str, Summary]) -> str:
    if summary.ratio is None:
        return "no ratio"
    ok = summary.ratio >= target.floor
    if target.of_case is not None:
        other = all_.get(target.of_case)
        if other is None or other.ratio is None:
            return "no ratio for " + target.of_case
        ok = ok and summary.ratio >= target.fraction * other.ratio
    return "ok" if ok else "below"


def line(summary: Summary) -> str:
    """`get_1k   1234 req/s  p50 12.3 ms  p99 30.1 ms  gw 700 µs  store 300 µs  ratio ...`."""
    if summary.verdict == "INVALID":
        return f"{summary.case:<14} INVALID: " + "; ".join(summary.problems or ["no valid run"])
    m = summary.medians
    text = f"{summary.case:<14}{m['rps']:>8.0f} req/s  p50 {m['p50']:7.1f} ms  "
    text += f"p99 {m['p99']:7.1f} ms  "
    if summary.case == BARE:
        return text + f"cpu {m.get(BARE, 0):6.0f} µs"
    text += f"gw {m.get('gw', 0):6.0f} µs  store {m.get('store', 0):6.0f} µs"
    if summary.ratio is not None:
        text += f"  ratio {summary.ratio:.4f}"
    if summary.target is not None:
        text += f" (target {summary.target.describe()}: {summary.verdict})"
    return text


def _cell(value: float | None, digits: int) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def table(summaries: list[Summary]) -> list[str]:
    """The markdown table of every case."""
    rows = [
        "| case | req/s | p50 ms | p99 ms | gateway µs/req | store µs/req | ratio | target "
        "| verdict | run s | core 0 other % |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|---:|---:|",
    ]
    for s in summaries:
        m = s.medians
        if s.verdict == "INVALID":
            reason = "; ".join(s.problems or ["no valid run"])
            rows.append(f"| {s.case} | — | — | — | — | — | — | | INVALID: {reason} | | |")
            continue
        server = m.get(BARE) if s.case == BARE else m.get("gw")
        cells = [s.case, _cell(m.get("rps"), 0), _cell(m.get("p50"), 1), _cell(m.get("p99"), 1)]
        cells += [_cell(server, 0), _cell(m.get("store"), 0), _cell(s.ratio, 4)]
        cells += [s.target.describe() if s.target else "", s.verdict, _cell(m.get("seconds"), 0)]
        cells.append(_cell(m.get("other"), 0))
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def memory_table(memory: dict[str, dict[str, Memory]]) -> list[str]:
    """RSS / HWM in MiB per process (columns) at each moment (rows)."""
    names = list(dict.fromkeys(name for moment in memory.values() for name in moment))
    titles = [LABELS.get(name, name) for name in names]
    rows = ["| moment | " + " | ".join(titles) + " |", "|---|" + "---:|" * len(names)]
    for moment, readings in memory.items():
        cells = []
        for name in names:
            m = readings.get(name)
            cells.append(f"{m.rss_kib / 1024:.1f} / {m.hwm_kib / 1024:.1f}" if m else "—")
        rows.append(f"| {moment} | " + " | ".join(cells) + " |")
    return rows


def timing_lines(timings: dict[str, Timings]) -> list[str]:
    """Mean ms per Server-Timing entry for each probed case; empty when none was sent."""
    rows: list[str] = []
    for case, found in timings.items():
        for name, ms in found.means().items():
            rows.append(f"| {case} | {name} | {ms:.3f} | {found.with_header}/{found.probes} |")
    if not rows:
        return []
    return ["| case | entry | mean ms | replies with header |", "|---|---|---:|---:|", *rows]


def append(path: Path, heading: str, context: list[str], blocks: list[list[str]]) -> None:
    """Append one run's section, creating the file with its intro when missing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = path.read_text() if path.exists() else INTRO
    section = [f"## {heading}", "", *context, ""]
    for block in blocks:
        section += [*block, ""]
    path.write_text(text.rstrip("\n") + "\n\n" + "\n".join(section).rstrip("\n") + "\n")

"""Command line: seed a fresh gateway, run interleaved rounds of wrk cases, report and append."""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import report, servers, wrk
from bench.cases import BARE, TARGETS, Case, bare_case, gateway_cases
from bench.probe import Timings, probe
from bench.rounds import Run, add_ratios, measure, settle
from bench.seed import seed

ADMIN = "bench-admin"
MASTER = "master"
OUTPUT = Path("docs/performance.md")
LOG_MARKERS = (" ERROR ", " CRITICAL ", "Traceback")


def _parser() -> argparse.ArgumentParser:
    quick = os.environ.get("BENCH_QUICK", "").lower() in ("1", "true", "yes")
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--rounds", type=int, default=1 if quick else 3)
    parser.add_argument("--seconds", type=int, default=3 if quick else 10)
    parser.add_argument("--warmup", type=int, default=1 if quick else 2)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument(
        "--metrics",
        choices=("on", "off"),
        default=os.environ.get("BENCH_METRICS") or "on",
        help="the gateway's /metrics and request counting (off: GATEWAY_METRICS=off)",
    )
    parser.set_defaults(quick=quick)
    return parser


def machine() -> str:
    """CPU model, cores, Python, kernel and wrk version."""
    model = "unknown CPU"
    for row in Path("/proc/cpuinfo").read_text().splitlines():
        if row.startswith("model name"):
            model = row.partition(":")[2].strip()
            break
    done = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    version = (done.stdout or done.stderr).split(" [")[0].strip()
    return (
        f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}, {version}"
    )


def code_version() -> str:
    """The commit measured, marked when the work tree has changes."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return f"{head or 'unknown'}{' with uncommitted changes' if dirty else ''}"


def gateway_env(data_dir: Path, password: str, metrics: str) -> dict[str, str]:
    """The environment of the benchmarked gateway: embedded store, cheap bcrypt, timings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}
    env |= {
        "GATEWAY_DATA_DIR": str(data_dir),
        "GATEWAY_ADMIN_ACCOUNT": MASTER,
        "GATEWAY_ADMIN_USERNAME": ADMIN,
        "GATEWAY_ADMIN_PASSWORD": password,
        "GATEWAY_BCRYPT_ROUNDS": "4",
        "GATEWAY_TOKEN_TTL": "86400",
        "GATEWAY_SERVER_TIMING": "true",
        # wrk sends from one address as one account: buckets it never empties, whose leases
        # still go to the store once every 100 requests (the share of a 100/s refill).
        "GATEWAY_RATE_ADDRESS_CAPACITY": "100000000",
        "GATEWAY_RATE_ADDRESS_PER_SECOND": "100",
        "GATEWAY_RATE_ACCOUNT_CAPACITY": "100000000",
        "GATEWAY_RATE_ACCOUNT_PER_SECOND": "100",
        "GATEWAY_METRICS": "loopback" if metrics == "on" else "off",
    }
    return env


def log_issues(log: Path, keep: int = 5) -> tuple[int, list[str]]:
    """How many error lines the gateway logged, and the first few."""
    try:
        rows = log.read_text(errors="replace").splitlines()
    except OSError:
        return 0, []
    found = [row for row in rows if any(marker in row for marker in LOG_MARKERS)]
    # No path of this machine goes into the committed report.
    here, scratch = str(Path.cwd()), str(log.parent)
    shown = [row.replace(scratch, "<tmp>").replace(here, ".") for row in found[:keep]]
    return len(found), shown


class Bench:
    """One benchmark session: its servers, runs, memory readings and probe timings."""

    def __init__(self, args: argparse.Namespace, scratch: Path) -> None:
        self.args, self.scratch = args, scratch
        self.started: list[servers.Server] = []
        self.store_pid = 0
        self.runs: list[Run] = []
        self.memory: dict[str, dict[str, servers.Memory]] = {}
        self.timings: dict[str, Timings] = {}
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        self.notes: list[str] = [f"Load average at start: {load}."]
        self.password = secrets.token_hex(12)

    def start(self) -> tuple[servers.Server, servers.Server]:
        """Gateway (with its store child) and bare server, both pinned to core 0."""
        env = gateway_env(self.scratch / "data", self.password, self.args.metrics)
        gateway = servers.start("gateway", "gateway", ["serve"], env, self.scratch)
        self.started.append(gateway)
        self.store_pid = servers.store_child(gateway)
        bare = servers.start("bare", "bench.bare", [], dict(os.environ), self.scratch)
        self.started.append(bare)
        pins = {n: servers.affinity(p) for n, p in self.watched(gateway).items()}
        pins[BARE] = servers.affinity(bare.pid)
        self.notes.append("Cores: " + ", ".join(f"{n} {c}" for n, c in pins.items()) + ".")
        return gateway, bare

    def watched(self, gateway: servers.Server) -> dict[str, int]:
        """The processes whose CPU a gateway run counts."""
        return {"gw": gateway.pid, "store": self.store_pid}

    def read_memory(self, moment: str, gateway: servers.Server) -> None:
        """VmRSS / VmHWM of gateway and store now."""
        self.memory[moment] = {n: servers.memory(p) for n, p in self.watched(gateway).items()}

    def run_case(self, case: Case, server: servers.Server, watched: dict[str, int], n: int) -> Run:
        """Measure one case and print its raw line."""
        args = self.args
        run = measure(case, server.url, watched, args.seconds, args.warmup, self.scratch, n)
        state = "; ".join(run.problems) or "ok"
        cpu = " ".join(f"{k} {v:.0f} µs" for k, v in run.cpu_us.items())
        result = run.result
        rate = f"{result.rps:8.1f} req/s  {result.requests}/{result.sent} in {run.seconds} s"
        other = f"core 0 other {run.other_pct:.0f}%"
        if len(run.attempts) > 1:
            tried = ", ".join(f"{k} in {s} s, other {o:.0f}%" for s, k, o in run.attempts[:-1])
            other += f"  (too few before: {tried})"
            note = f"{case.name} round {n} ran {run.seconds} s; too few before: {tried}."
            self.notes.append(note)
        print(f"  round {n} {case.name:<14} {rate}  {cpu}  {other}  {state}", flush=True)
        return run

    def probe(self, case: Case, gateway: servers.Server) -> None:
        """Server-Timing probes after a write case; merged over rounds."""
        found = asyncio.run(probe(gateway.url, case.request))
        total = self.timings.setdefault(case.name, Timings())
        total.probes += found.probes
        total.with_header += found.with_header
        total.failed += found.failed
        for name, values in found.durations.items():
            total.durations[name] += values
        settle(list(self.watched(gateway).values()))
        if not found.with_header:
            print(f"  {case.name}: no Server-Timing header in {found.probes} probe replies")
        if found.failed:
            self.notes.append(f"{case.name} probes: {found.failed} of {found.probes} failed.")

    def rounds(self, gateway: servers.Server, bare: servers.Server, cases: list[Case]) -> None:
        """Interleaved rounds: bare, then every gateway case."""
        for number in range(1, self.args.rounds + 1):
            bare_run = self.run_case(bare_case(), bare, {BARE: bare.pid}, number)
            measured = []
            for case in cases:
                measured.append(self.run_case(case, gateway, self.watched(gateway), number))
                if case.probe:
                    self.probe(case, gateway)
            add_ratios(measured, bare_run)
            self.runs += [bare_run, *measured]

    def execute(self) -> None:
        """Start, seed, measure; servers are stopped by close()."""
        gateway, bare = self.start()
        print("seeding through the HTTP API ...", flush=True)
        began = time.monotonic()
        seeded = asyncio.run(seed(gateway.url, ADMIN, self.password, MASTER))
        rates = ", ".join(f"{n} {r:.0f} creates/s" for n, r in seeded.rates.items())
        self.notes.append(f"Seeding took {time.monotonic() - began:.0f} s ({rates}).")
        settle(list(self.watched(gateway).values()))
        self.read_memory("idle after seeding", gateway)
        self.rounds(gateway, bare, gateway_cases(seeded))
        settle(list(self.watched(gateway).values()))
        self.read_memory("idle after the load", gateway)

    def close(self) -> None:
        """Stop every server (SIGTERM, wait, SIGKILL), then any store left behind."""
        for server in reversed(self.started):
            servers.stop(server)
        if self.store_pid:
            servers.stop_orphan(self.store_pid, "nx_27017")
        if self.started:
            count, first = log_issues(self.started[0].log)
            if count:
                self.notes.append(f"Gateway log: {count} error lines, first: {first[0]}")
                print(f"gateway log has {count} error lines:", *first, sep="\n  ")


def write_report(bench: Bench, mode: str, started: datetime) -> bool:
    """Print the summary lines and append the section; True when every run was valid."""
    summaries = report.summarise(bench.runs, TARGETS)
    print("\n".join(report.line(s) for s in summaries))
    args = bench.args
    context = [
        f"Machine: {machine()}.",
        f"Code: {code_version()}.",
        f"Mode: {mode}, {args.rounds} round(s) of {args.seconds} s per run "
        f"(warm-up {args.warmup} s), wrk -t{wrk.THREADS} -c{wrk.CONNECTIONS}, "
        f"metrics {args.metrics}.",
        *bench.notes,
    ]
    blocks = [report.table(summaries), ["Memory (VmRSS / VmHWM, MiB):"]]
    blocks[-1] += ["", *report.memory_table(bench.memory)]
    hooks = report.timing_lines(bench.timings)
    blocks.append(["Write cost per hook (Server-Timing):", "", *hooks] if hooks else [])
    heading = f"{started:%Y-%m-%d %H:%M} UTC, {mode}"
    report.append(bench.args.output, heading, context, [b for b in blocks if b])
    print(f"appended to {bench.args.output}")
    return all(s.verdict != "INVALID" for s in summaries)


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = _parser().parse_args(argv)
    if not wrk.available():
        print("wrk and taskset are needed on PATH (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    mode = "quick" if args.quick else "full"
    started = datetime.now(UTC)
    scratch = Path(tempfile.mkdtemp(prefix="bench-"))
    bench = Bench(args, scratch)
    try:
        bench.execute()
    except BaseException:
        for server in bench.started:
            tail = server.log.read_text(errors="replace").splitlines()[-15:]
            print(f"last lines of the {server.name} log:", *tail, sep="\n  ", file=sys.stderr)
        raise
    finally:
        bench.close()
        shutil.rmtree(scratch, ignore_errors=True)
    if not write_report(bench, mode, started):
        print("some runs were INVALID", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

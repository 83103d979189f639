"""Run wrk pinned to the load core: Lua scripts for each request shape, output parsed."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

LOAD_CORE = "1"
THREADS = 1
CONNECTIONS = 32
# wrk's default 2 s timeout would count the slow listings' replies as socket errors.
TIMEOUT = "30s"
COUNTER = "{n}"
SENT = "bench-sent: "
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


@dataclass(frozen=True)
class Request:
    """A request shape: its paths are cycled, `{n}` in the body becomes the request count."""

    method: str
    paths: tuple[str, ...]
    body: str | None = None
    token: str | None = None


@dataclass
class Result:
    """What one wrk run measured."""

    requests: int = 0
    sent: int = 0
    seconds: float = 0.0
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    non_2xx: int = 0
    socket_errors: dict[str, int] = field(default_factory=dict)

    def problems(self) -> list[str]:
        """Non-2xx/3xx replies and socket errors; empty when there were none."""
        found = []
        if self.non_2xx:
            found.append(f"{self.non_2xx} non-2xx/3xx")
        errors = {k: v for k, v in self.socket_errors.items() if v}
        if errors:
            found.append("socket errors " + ", ".join(f"{k} {v}" for k, v in errors.items()))
        return found


def _lua_string(text: str) -> str:
    if "]==]" in text:
        raise ValueError("text cannot be quoted as a Lua long string")
    return f"[==[{text}]==]"


def lua(request: Request) -> str:
    """A wrk script: a request() cycling paths with a counter in the body; done() prints sent."""
    lines = [f"wrk.method = {_lua_string(request.method)}"]
    if request.token:
        lines.append(f'wrk.headers["X-Auth-Token"] = {_lua_string(request.token)}')
    if request.body is not None:
        lines.append('wrk.headers["Content-Type"] = "application/json"')
    paths = ",\n  ".join(_lua_string(p) for p in request.paths)
    head, counted, tail = (request.body or "").partition(COUNTER)
    if request.body is None:
        body = "nil"
    elif counted:
        body = f"{_lua_string(head)} .. sent .. {_lua_string(tail)}"
    else:
        body = _lua_string(request.body)
    cache = "false" if counted else "true"
    lines += [
        f"local paths = {{\n  {paths}\n}}",
        f"local cache, cached = {cache}, {{}}",
        "local threads = {}",
        "sent = 0",
        "setup = function(thread) table.insert(threads, thread) end",
        "request = function()",
        "  sent = sent + 1",
        "  local i = (sent - 1) % #paths + 1",
        "  if cache and cached[i] then return cached[i] end",
        f"  local r = wrk.format(nil, paths[i], nil, {body})",
        "  if cache then cached[i] = r end",
        "  return r",
        "end",
        "done = function(summary, latency, requests)",
        "  local total = 0",
        '  for _, t in ipairs(threads) do total = total + t:get("sent") end',
        f'  io.write(string.format("{SENT}%d\\n", total))',
        "end",
    ]
    return "\n".join(lines) + "\n"


def command(url: str, script: Path, seconds: int) -> list[str]:
    """The pinned wrk command line."""
    return [
        *("taskset", "-c", LOAD_CORE, "wrk"),
        *(f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"),
        *("--timeout", TIMEOUT, "-s", str(script), url),
    ]


def run(base: str, request: Request, seconds: int, script: Path) -> Result:
    """Write the script, run wrk against base + first path, parse what it printed."""
    if not base.startswith("http://127.0.0.1:"):
        raise ValueError("wrk only ever targets 127.0.0.1")
    script.write_text(lua(request))
    done = subprocess.run(
        command(base + request.paths[0], script, seconds),
        capture_output=True,
        text=True,
        timeout=seconds + 90,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip()}")
    return parse(done.stdout)


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if match is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match[1]) * UNITS[match[2]]


def parse(output: str) -> Result:
    """Requests, rate, p50/p99 and error counts from `wrk --latency` output."""
    result = Result()
    if match := re.search(r"^\s*(\d+) requests in ([\d.]+)(\w+),", output, re.M):
        result.requests = int(match[1])
        result.seconds = _ms(match[2] + match[3]) / 1000
    if match := re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M):
        result.rps = float(match[1])
    for percent, name in (("50", "p50_ms"), ("99", "p99_ms")):
        if match := re.search(rf"^\s*{percent}(?:\.0+)?%\s+(\S+)", output, re.M):
            setattr(result, name, _ms(match[1]))
    if match := re.search(rf"^{SENT}(\d+)", output, re.M):
        result.sent = int(match[1])
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        result.non_2xx = int(match[1])
    if match := re.search(r"Socket errors: (.*)", output):
        for part in match[1].split(","):
            kind, _, count = part.strip().rpartition(" ")
            result.socket_errors[kind] = int(count)
    return result


def available() -> bool:
    """Whether wrk and taskset are on PATH."""
    return shutil.which("wrk") is not None and shutil.which("taskset") is not None

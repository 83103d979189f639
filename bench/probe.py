"""Sequential probes of a write case that read the gateway's Server-Timing header, if any."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import aiohttp

from bench.wrk import COUNTER, Request

PROBES = 200


@dataclass
class Timings:
    """Server-Timing durations (ms) per entry name over a probe series."""

    probes: int = 0
    with_header: int = 0
    failed: int = 0
    durations: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    def means(self) -> dict[str, float]:
        """Mean ms per entry name, in first-seen order."""
        return {name: sum(v) / len(v) for name, v in self.durations.items() if v}


def _split(text: str, separator: str) -> list[str]:
    """Split on a separator outside double-quoted strings."""
    parts: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def parse_server_timing(header: str) -> dict[str, float]:
    """`name;dur=1.2, other;desc="x";dur=0.4` → {name: 1.2, other: 0.4}; no dur → skipped."""
    found: dict[str, float] = {}
    for entry in _split(header, ","):
        name, *params = (part.strip() for part in _split(entry, ";"))
        for param in params:
            key, _, value = param.partition("=")
            if not name or key.strip().lower() != "dur":
                continue
            try:
                found[name] = found.get(name, 0.0) + float(value.strip().strip('"'))
            except ValueError:
                pass
    return found


async def probe(base: str, request: Request, count: int = PROBES) -> Timings:
    """Send `count` requests of the case one after another and collect Server-Timing."""
    timings = Timings()
    headers = {"X-Auth-Token": request.token} if request.token else {}
    if request.body is not None:
        headers["Content-Type"] = "application/json"
    async with aiohttp.ClientSession() as session:
        for n in range(count):
            path = request.paths[n % len(request.paths)]
            body = None
            if request.body is not None:
                body = request.body.replace(COUNTER, str(1_000_000 + n))
            async with session.request(
                request.method, base + path, data=body, headers=headers
            ) as reply:
                await reply.read()
                timings.probes += 1
                if reply.status >= 400:
                    timings.failed += 1
                header = reply.headers.get("Server-Timing")
                if header:
                    timings.with_header += 1
                    for name, ms in parse_server_timing(header).items():
                        timings.durations[name].append(ms)
    return timings

"""Where a request's time goes, sent as `Server-Timing` when GATEWAY_SERVER_TIMING is on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from time import perf_counter
from typing import Any

from gateway.crossbar.context import Context


@contextmanager
def timed(ctx: Context, name: str) -> Iterator[None]:
    """Record how long the block took under `name` (nothing when timing is off)."""
    if ctx.timings is None:
        yield
        return
    start = perf_counter()
    try:
        yield
    finally:
        ctx.timings.append((name, (perf_counter() - start) * 1000))


def step_name(step: Any) -> str:
    """A hook's name as a Server-Timing token."""
    return str(getattr(step, "__name__", "step")).replace("<", "").replace(">", "")


def server_timing(timings: list[tuple[str, float]]) -> str:
    """The header value: `name;dur=<ms>` entries in the order they ran."""
    return ", ".join(f"{name};dur={ms:.3f}" for name, ms in timings)

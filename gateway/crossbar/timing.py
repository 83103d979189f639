"""Where a request's time goes, sent as `Server-Timing` when GATEWAY_SERVER_TIMING is on."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from time import perf_counter
from typing import Any

from gateway.crossbar.context import Context


class _Timer:
    """Appends `(name, milliseconds)` to a request's timings when its block ends."""

    __slots__ = ("name", "start", "timings")

    def __init__(self, timings: list[tuple[str, float]], name: str) -> None:
        self.timings, self.name, self.start = timings, name, 0.0

    def __enter__(self) -> None:
        self.start = perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.timings.append((self.name, (perf_counter() - self.start) * 1000))


_OFF = nullcontext()


def timed(ctx: Context, name: str) -> AbstractContextManager[None]:
    """Record how long the block took under `name` (a shared no-op when timing is off)."""
    return _OFF if ctx.timings is None else _Timer(ctx.timings, name)


def step_name(step: Any) -> str:
    """A hook's name as a Server-Timing token; a hook made by a factory takes the factory's."""
    qualified = str(getattr(step, "__qualname__", "step"))
    return qualified.split(".<locals>.", 1)[0].rsplit(".", 1)[-1]


def server_timing(timings: list[tuple[str, float]]) -> str:
    """The header value: `name;dur=<ms>` entries in the order they ran."""
    return ", ".join(f"{name};dur={ms:.3f}" for name, ms in timings)

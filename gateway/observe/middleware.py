"""The app's one middleware: counts the requests in flight (for the drain) and, with metrics
on, counts and times every request."""

from __future__ import annotations

import asyncio
import time

from aiohttp import web
from aiohttp.typedefs import Handler

from gateway.keys import METRICS, READINESS, RESOURCES
from gateway.observe.labels import classify, verb_of

# nginx's figure for a client that closed the connection before the answer.
CLIENT_GONE = 499


@web.middleware
async def track_request(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Run the handler as one request in flight; then record it when metrics are on."""
    app = request.app
    readiness = app[READINESS]
    readiness.in_flight += 1
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as err:
        status = err.status
        raise
    except asyncio.CancelledError:
        status = CLIENT_GONE
        raise
    finally:
        readiness.in_flight -= 1
        if METRICS in app:
            record(request, status, time.perf_counter() - started)


def record(request: web.Request, status: int, seconds: float) -> None:
    """The bookkeeping of one answered request (a dict lookup after the first of its labels)."""
    app = request.app
    dialect, module = classify(request.raw_path, app[RESOURCES].resources)
    count, duration = app[METRICS].request_children(
        dialect, module, verb_of(request.method), status
    )
    count.inc()
    duration.observe(seconds)

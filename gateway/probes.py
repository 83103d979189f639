"""GET /healthz (the process serves) and GET /readyz (it can serve: started, the store answers,
not draining), outside /v2 and without a login, for load balancers and orchestrators."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from gateway.keys import READINESS, STORE
from gateway.store import StoreUnavailable


@dataclass
class Readiness:
    """What /readyz reports (the store prepared, a drain begun) and the requests in flight."""

    prepared: bool = False
    draining: bool = False
    in_flight: int = 0


def _answer(status: int, state: str, reason: str | None = None) -> web.Response:
    body = {"status": state} if reason is None else {"status": state, "reason": reason}
    response = web.json_response(body, status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


async def healthz(request: web.Request) -> web.Response:
    """200 while the process serves HTTP."""
    return _answer(200, "ok")


async def readyz(request: web.Request) -> web.Response:
    """200 when a request can be served now; 503 with the reason otherwise."""
    readiness = request.app[READINESS]
    if readiness.draining:
        return _answer(503, "unavailable", "shutting down")
    if not readiness.prepared:
        return _answer(503, "unavailable", "starting")
    try:
        await request.app[STORE].ping()
    except StoreUnavailable:
        return _answer(503, "unavailable", "datastore unreachable")
    return _answer(200, "ready")

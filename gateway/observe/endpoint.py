"""`GET /metrics`: Prometheus text, for the loopback, a bearer token, or no one."""

from __future__ import annotations

import asyncio
import hmac
import time

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from gateway.events.outbox import OUTBOX
from gateway.keys import METRICS, SETTINGS, STORE
from gateway.observe.collectors import register_collectors
from gateway.observe.metrics import AppMetrics
from gateway.observe.store_metrics import PROCESS_REGISTRY
from gateway.settings import Settings
from gateway.store import Store, StoreUnavailable

PATH = "/metrics"
LOOPBACK = frozenset({"127.0.0.1", "::1", "::ffff:127.0.0.1"})
# A proxy on this host makes every request look local: one that says it forwarded is not.
FORWARDING = ("Forwarded", "X-Forwarded-For", "X-Real-IP")
OUTBOX_SECONDS = 1.0


def refusal(settings: Settings, request: web.BaseRequest) -> int | None:
    """The status refusing this scrape (404 off, 403 not loopback, 401 bad token), or None."""
    if settings.metrics == "off":
        return 404
    if settings.metrics == "loopback":
        local = request.remote in LOOPBACK
        forwarded = any(name in request.headers for name in FORWARDING)
        return None if local and not forwarded else 403
    token = settings.metrics_token
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if token is None or scheme.lower() != "bearer":
        return 401
    return None if hmac.compare_digest(given.strip().encode(), token.encode()) else 401


async def oldest_intent_age(store: Store) -> float:
    """Seconds the oldest outbox intent has waited (0: none); NaN when the store is away.

    One indexed read of one row: the outbox is never counted."""
    try:
        async with asyncio.timeout(OUTBOX_SECONDS):
            oldest = await store.find(OUTBOX, {}, sort="at", limit=1)
    except (StoreUnavailable, TimeoutError):
        return float("nan")
    return max(0.0, time.time() - float(oldest[0]["at"])) if oldest else 0.0


async def metrics_endpoint(request: web.Request) -> web.Response:
    """The app's metrics, then the process's (the store's)."""
    refused = refusal(request.app[SETTINGS], request)
    if refused is not None:
        headers = {"WWW-Authenticate": "Bearer"} if refused == 401 else None
        return web.Response(
            status=refused, text=f"{refused}: {_REASONS[refused]}", headers=headers
        )
    metrics = request.app[METRICS]
    metrics.outbox_oldest.set(await oldest_intent_age(request.app[STORE]))
    body = generate_latest(metrics.registry) + generate_latest(PROCESS_REGISTRY)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


_REASONS = {401: "Unauthorized", 403: "Forbidden", 404: "Not Found"}


def serve_metrics(app: web.Application) -> None:
    """The /metrics route; unless GATEWAY_METRICS is off, the app's registry and collectors."""
    if app[SETTINGS].metrics != "off":
        app[METRICS] = metrics = AppMetrics()
        register_collectors(app, metrics)
    app.router.add_get(PATH, metrics_endpoint)

"""Typed application keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from gateway.settings import Settings
from gateway.store import Store

if TYPE_CHECKING:
    from gateway.auth.tokens import TokenService
    from gateway.auth.tree import AccountCache
    from gateway.calls.intake import EventTypes
    from gateway.calls.keys import IntakeKeys
    from gateway.crossbar.resource import Registry
    from gateway.events import Outbox, Relay
    from gateway.observe.metrics import AppMetrics
    from gateway.probes import Readiness
    from gateway.ratelimit import Limiter
    from gateway.webhooks.fanout import Fanout
    from gateway.webhooks.sender import Sender

SETTINGS = web.AppKey("settings", Settings)
STORE = web.AppKey("store", Store)
RESOURCES: web.AppKey[Registry] = web.AppKey("resources")
TOKENS: web.AppKey[TokenService] = web.AppKey("tokens")
ACCOUNT_CACHE: web.AppKey[AccountCache] = web.AppKey("account_cache")
INTAKE_KEYS: web.AppKey[IntakeKeys] = web.AppKey("intake_keys")
INTAKE_TYPES: web.AppKey[EventTypes] = web.AppKey("intake_types")
EVENT_OUTBOX: web.AppKey[Outbox] = web.AppKey("event_outbox")
EVENT_RELAY: web.AppKey[Relay] = web.AppKey("event_relay")
WEBHOOK_FANOUT: web.AppKey[Fanout] = web.AppKey("webhook_fanout")
WEBHOOK_SENDER: web.AppKey[Sender] = web.AppKey("webhook_sender")
LIMITER: web.AppKey[Limiter] = web.AppKey("limiter")
READINESS: web.AppKey[Readiness] = web.AppKey("readiness")
METRICS: web.AppKey[AppMetrics] = web.AppKey("metrics")

"""The application factory."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

from aiohttp import web

from gateway.auth import throttle, tokens
from gateway.auth.cache import CacheLimits
from gateway.auth.tokens import TokenService, shared_secret
from gateway.auth.tree import AccountCache
from gateway.calls import intake
from gateway.calls.intake import EventTypes
from gateway.calls.keys import IntakeKeys
from gateway.crossbar.dispatch import api, banner
from gateway.crossbar.resource import Registry
from gateway.events import Outbox, Relay, outbox, stream
from gateway.events.relay import TASK_NAME, RelayConfig
from gateway.keys import (
    ACCOUNT_CACHE,
    EVENT_OUTBOX,
    EVENT_RELAY,
    INTAKE_KEYS,
    INTAKE_TYPES,
    RESOURCES,
    SETTINGS,
    STORE,
    TOKENS,
)
from gateway.migrations import upgrade
from gateway.provision import bootstrap_master
from gateway.resources import RESOURCES as ALL_RESOURCES
from gateway.resources.vm_intake import deposit_voicemail
from gateway.settings import Settings
from gateway.store import Store
from schemas.intake import VoicemailEvent


async def prepare_store(store: Store, registry: Registry) -> None:
    """Upgrade older data, then create every index the resources and the auth layer declare."""
    await upgrade(store, registry.documents())
    await store.ensure_indexes(
        [
            *registry.indexes(),
            *tokens.INDEXES,
            *throttle.INDEXES,
            *intake.INDEXES,
            *outbox.INDEXES,
            *stream.INDEXES,
        ]
    )


def cache_limits(settings: Settings) -> CacheLimits:
    """The bounds of each in-process cache."""
    return CacheLimits(settings.cache_ttl_ms / 1000, settings.cache_entries, settings.cache_bytes)


def relay_config(settings: Settings) -> RelayConfig:
    """The event relay's settings."""
    return RelayConfig(
        applied_kind=intake.INTAKE_EVENTS,
        retention=timedelta(days=settings.events_retention_days),
        poll_seconds=settings.events_poll_ms / 1000,
    )


def create_app(settings: Settings, store: Store) -> web.Application:
    """A gateway application over an open store."""
    app = web.Application(client_max_size=settings.max_upload_size + 65536)
    app[SETTINGS] = settings
    app[STORE] = store
    app[RESOURCES] = Registry.of(ALL_RESOURCES)
    limits = cache_limits(settings)
    app[ACCOUNT_CACHE] = AccountCache(store, limits)
    app[INTAKE_KEYS] = IntakeKeys(store, settings.intake_keys, limits)
    types: EventTypes = {**intake.TYPES, "voicemail": (VoicemailEvent, deposit_voicemail)}
    app[INTAKE_TYPES] = types
    app[EVENT_OUTBOX] = Outbox(store)
    app[EVENT_RELAY] = Relay(store, relay_config(settings))
    app[EVENT_OUTBOX].on_change(app[EVENT_RELAY].wake)

    async def services(app: web.Application) -> AsyncIterator[None]:
        await prepare_store(store, app[RESOURCES])
        secret = await shared_secret(store, settings.secret_key)
        app[TOKENS] = TokenService(store, secret, settings.token_ttl, limits)
        await bootstrap_master(app)
        yield

    async def relay(app: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(app[EVENT_RELAY].run(), name=TASK_NAME)
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await app[EVENT_RELAY].stop()

    app.cleanup_ctx.append(services)
    app.cleanup_ctx.append(relay)
    app.router.add_route("*", "/v2/intake", intake.intake)
    app.router.add_route("*", r"/{version:v\d+}", api)
    app.router.add_route("*", r"/{version:v\d+}/{tail:.*}", api)
    app.router.add_route("*", "/{tail:.*}", banner)
    return app

"""The application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator

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
from gateway.keys import (
    ACCOUNT_CACHE,
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
        ]
    )


def cache_limits(settings: Settings) -> CacheLimits:
    """The bounds of each in-process cache."""
    return CacheLimits(settings.cache_ttl_ms / 1000, settings.cache_entries, settings.cache_bytes)


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

    async def services(app: web.Application) -> AsyncIterator[None]:
        await prepare_store(store, app[RESOURCES])
        secret = await shared_secret(store, settings.secret_key)
        app[TOKENS] = TokenService(store, secret, settings.token_ttl, limits)
        await bootstrap_master(app)
        yield

    app.cleanup_ctx.append(services)
    app.router.add_route("*", "/v2/intake", intake.intake)
    app.router.add_route("*", r"/{version:v\d+}", api)
    app.router.add_route("*", r"/{version:v\d+}/{tail:.*}", api)
    app.router.add_route("*", "/{tail:.*}", banner)
    return app

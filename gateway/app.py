"""The application factory."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

from aiohttp import web

from gateway import openapi
from gateway.app_catalog import init_configured_apps
from gateway.audit.entries import INDEXES as AUDIT_INDEXES
from gateway.audit.expiry import EXPIRY as AUDIT_EXPIRY
from gateway.auth import throttle, tokens
from gateway.auth.cache import cache_limits
from gateway.auth.tokens import TokenService, shared_secret
from gateway.auth.tree import AccountCache
from gateway.calls import intake
from gateway.calls.intake import EventTypes
from gateway.calls.keys import IntakeKeys
from gateway.crossbar import idempotency
from gateway.crossbar.dispatch import api, banner
from gateway.crossbar.resource import Registry
from gateway.dialects import dodev, kazi
from gateway.dialects.kazi import admins as kazi_admins
from gateway.dialects.kazi import aliases as kazi_aliases
from gateway.dialects.kazi import extension_listing as kazi_listing
from gateway.events import Outbox, Relay, outbox, stream
from gateway.events.relay import TASK_NAME, RelayConfig
from gateway.events.retention import Sweeper
from gateway.keys import (
    ACCOUNT_CACHE,
    EVENT_OUTBOX,
    EVENT_RELAY,
    INTAKE_KEYS,
    INTAKE_TYPES,
    LIMITER,
    READINESS,
    RESOURCES,
    SETTINGS,
    STORE,
    TOKENS,
    WEBHOOK_FANOUT,
    WEBHOOK_SENDER,
)
from gateway.migrations import upgrade
from gateway.observe.endpoint import serve_metrics
from gateway.observe.middleware import track_request
from gateway.probes import Readiness, healthz, readyz
from gateway.provision import bootstrap_master
from gateway.ratelimit import Limiter
from gateway.ratelimit import shared as rate_buckets
from gateway.resources import RESOURCES as ALL_RESOURCES
from gateway.resources.recording_intake import deposit_recording
from gateway.resources.sms_carrier import apply_sms_status, sms_feed
from gateway.resources.vm_intake import deposit_voicemail
from gateway.resources.webhook_docs import hook_disabler
from gateway.settings import Settings
from gateway.store import Store
from gateway.webhooks import attempts, pending
from gateway.webhooks.fanout import Fanout
from gateway.webhooks.sender import Sender, SenderConfig
from schemas.intake import RecordingEvent, SmsStatusEvent, VoicemailEvent

# Collections swept by expiry rather than by TTL indexes (see gateway/events/retention.py).
EXPIRIES = (
    intake.EXPIRY,
    stream.EXPIRY,
    attempts.EXPIRY,
    rate_buckets.EXPIRY,
    idempotency.EXPIRY,
    AUDIT_EXPIRY,
)
FANOUT_TASK = "webhook-fanout"
SENDER_TASK = "webhook-sender"
STOP_SECONDS = 5.0
# The background loops every instance runs (their tasks carry these names).
BACKGROUND_TASKS = frozenset({TASK_NAME, FANOUT_TASK, SENDER_TASK})


async def prepare_store(store: Store, registry: Registry) -> None:
    """Upgrade older data, then create every index the resources and the auth layer declare."""
    await upgrade(store, registry.documents())
    await store.ensure_indexes(
        [
            *registry.indexes(),
            *tokens.INDEXES,
            *throttle.INDEXES,
            *outbox.INDEXES,
            *stream.INDEXES,
            *pending.INDEXES,
            *attempts.INDEXES,
            *AUDIT_INDEXES,
            *kazi_admins.INDEXES,
            *kazi_aliases.INDEXES,
            *kazi_listing.INDEXES,
        ]
    )
    await Sweeper(store, EXPIRIES).prepare()


def relay_config(settings: Settings) -> RelayConfig:
    """The event relay's settings."""
    return RelayConfig(
        applied_kind=intake.INTAKE_EVENTS,
        retention=timedelta(days=settings.events_retention_days),
        poll_seconds=settings.events_poll_ms / 1000,
    )


def sender_config(settings: Settings) -> SenderConfig:
    """Webhook delivery settings."""
    return SenderConfig(
        timeout_seconds=settings.webhooks_timeout_ms / 1000,
        retry_base_seconds=settings.webhooks_retry_base_ms / 1000,
        concurrency=settings.webhooks_concurrency,
        disable_after=settings.webhooks_disable_after,
        allow_private=settings.webhooks_allow_private,
        keep_attempts=timedelta(days=settings.webhooks_attempts_days),
    )


def ancestors_of(app: web.Application) -> Callable[[str], Awaitable[list[str] | None]]:
    """An account's ancestors from the account cache (None: no such account)."""

    async def ancestors(account_id: str) -> list[str] | None:
        account = await app[ACCOUNT_CACHE].get(account_id)
        return None if account is None else list(account.get("pvt_tree") or [])

    return ancestors


def create_app(settings: Settings, store: Store) -> web.Application:
    """A gateway application over an open store."""
    # aiohttp's own 8190-byte request line would refuse a long path before our bounds speak.
    app = web.Application(
        client_max_size=settings.max_upload_size + 65536,
        handler_args={"max_line_size": 16_384},
        middlewares=(track_request,),
    )
    app[SETTINGS] = settings
    app[STORE] = store
    app[RESOURCES] = Registry.of(ALL_RESOURCES)
    limits = cache_limits(settings)
    app[ACCOUNT_CACHE] = AccountCache(store, limits)
    app[LIMITER] = Limiter(store, settings.cache_entries)
    app[INTAKE_KEYS] = IntakeKeys(store, settings.intake_keys, limits)
    types: EventTypes = {
        **intake.TYPES,
        "voicemail": (VoicemailEvent, deposit_voicemail),
        "sms_status": (SmsStatusEvent, apply_sms_status),
        "recording": (RecordingEvent, deposit_recording),
    }
    app[INTAKE_TYPES] = types
    app[EVENT_OUTBOX] = Outbox(store)
    app[EVENT_RELAY] = Relay(store, relay_config(settings), sweeper=Sweeper(store, EXPIRIES))
    app[EVENT_OUTBOX].on_change(app[EVENT_RELAY].wake)
    app[WEBHOOK_SENDER] = Sender(store, sender_config(settings), hook_disabler(app))
    app[WEBHOOK_FANOUT] = Fanout(
        store, ancestors_of(app), app[WEBHOOK_SENDER].wake, settings.events_poll_ms / 1000
    )
    app[EVENT_RELAY].on_published(app[WEBHOOK_FANOUT].wake)
    app[READINESS] = Readiness()

    async def services(app: web.Application) -> AsyncIterator[None]:
        await prepare_store(store, app[RESOURCES])
        secret = await shared_secret(store, settings.secret_key)
        app[TOKENS] = TokenService(store, secret, settings.token_ttl, limits)
        await bootstrap_master(app)
        await init_configured_apps(app)
        app[READINESS].prepared = True
        yield

    async def relay(app: web.Application) -> AsyncIterator[None]:
        await app[WEBHOOK_FANOUT].initialise()
        relaying = asyncio.create_task(app[EVENT_RELAY].run(), name=TASK_NAME)
        fanning = asyncio.create_task(app[WEBHOOK_FANOUT].run(), name=FANOUT_TASK)
        sending = asyncio.create_task(app[WEBHOOK_SENDER].run(), name=SENDER_TASK)
        yield
        # Each loop ends after its round in progress, so an event is published and a delivery
        # queued or recorded, or not yet; only one still busy after STOP_SECONDS is cancelled.
        app[EVENT_RELAY].halt()
        app[WEBHOOK_FANOUT].halt()
        await app[WEBHOOK_SENDER].stop()
        _, late = await asyncio.wait({sending, fanning, relaying}, timeout=STOP_SECONDS)
        for task in late:
            task.cancel()
        if late:
            await asyncio.wait(late, timeout=STOP_SECONDS)
        await app[WEBHOOK_FANOUT].stop()
        await app[EVENT_RELAY].stop()

    app.cleanup_ctx.append(services)
    app.cleanup_ctx.append(relay)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    serve_metrics(app)
    app.router.add_route("*", "/v2/intake", intake.intake)
    app.router.add_route("*", "/v2/intake/sms", sms_feed)
    app.router.add_get(openapi.CONTRACT_PATH, openapi.handler())
    app.router.add_route("*", r"/v1/pbx{tail:(/.*)?}", dodev.handler(app))
    app.router.add_route("*", r"/api{tail:(/.*)?}", kazi.handler(app))
    app.router.add_route("*", r"/{version:v\d+}", api)
    # `[\s\S]`, not `.`: a path with a newline (`%0A`) is still ours to answer.
    app.router.add_route("*", r"/{version:v\d+}/{tail:[\s\S]*}", api)
    app.router.add_route("*", r"/{tail:[\s\S]*}", banner)
    return app

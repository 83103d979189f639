"""`POST /v2/intake`: switch adapters report events in batches, each taken or refused alone.

Idempotent: an event's effect is applied first and its `event_id` recorded after, so a replay
(or a retry after a crash between the two) is accepted again and changes nothing. Its intent
goes to the outbox before the effect; the relay publishes it once the record is there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from aiohttp import web
from marshmallow import Schema

from gateway.auth.credentials import token_of
from gateway.calls.cdrs import store_cdr
from gateway.calls.channels import apply_channel
from gateway.calls.registrations import apply_registration, now
from gateway.crossbar.body import parse_envelope, read_body
from gateway.crossbar.bounds import check_request
from gateway.crossbar.context import Context, Reply
from gateway.crossbar.dispatch import request_id_of
from gateway.crossbar.errors import (
    ApiError,
    DatastoreUnreachable,
    InvalidData,
    MethodNotAllowed,
    Unauthorized,
    invalid,
)
from gateway.crossbar.jsonout import encode
from gateway.crossbar.render import render_error, render_reply
from gateway.crossbar.validation import load
from gateway.events.outbox import intake_intent
from gateway.events.retention import Expiry
from gateway.keys import ACCOUNT_CACHE, EVENT_OUTBOX, INTAKE_KEYS, INTAKE_TYPES, SETTINGS
from gateway.observe.metrics import count_intake
from gateway.store import DuplicateValue, StoreUnavailable
from schemas.intake import CdrEvent, ChannelEvent, IntakeEvent, RegistrationEvent

INTAKE_EVENTS = "intake_events"
EXPIRES_AT = "pvt_expires_at"
# How long an event id is remembered: replays within it change nothing.
REMEMBER_EVENTS = timedelta(days=7)
MAX_EVENT_BYTES = 65_536
# Swept by the event relay's sweeper (a TTL index would make every replay check a scan).
EXPIRY = Expiry(INTAKE_EVENTS, EXPIRES_AT)
# An event's effect; a reason when the event cannot be taken after all (nothing changed).
Apply = Callable[[Context, dict[str, Any]], Awaitable["str | None"]]
EventTypes = dict[str, tuple[type[Schema], Apply]]


async def _registration(ctx: Context, event: dict[str, Any]) -> None:
    await apply_registration(ctx.store, event)


async def _channel(ctx: Context, event: dict[str, Any]) -> None:
    await apply_channel(ctx.store, event)


async def _cdr(ctx: Context, event: dict[str, Any]) -> None:
    await store_cdr(ctx.store, event)


# The live-state events; the application adds those that write documents (voicemail).
TYPES: EventTypes = {
    "registration": (RegistrationEvent, _registration),
    "channel": (ChannelEvent, _channel),
    "cdr": (CdrEvent, _cdr),
}


IntakeHandler = Callable[[Context, web.Request], Awaitable[Reply]]


def intake_endpoint(
    verb: str, handler: IntakeHandler
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """An endpoint for switch and carrier adapters: one verb, an intake key, Kazoo's errors."""

    async def endpoint(request: web.Request) -> web.StreamResponse:
        ctx = Context(
            app=request.app,
            request=request,
            request_id=request_id_of(request),
            verb=request.method,
        )
        try:
            check_request(request)
            if ctx.verb != verb:
                raise MethodNotAllowed([verb])
            if not await request.app[INTAKE_KEYS].valid(token_of(ctx)):
                raise Unauthorized()
            return render_reply(ctx, await handler(ctx, request))
        except ApiError as err:
            return render_error(ctx, err)
        except StoreUnavailable:
            return render_error(ctx, DatastoreUnreachable())

    return endpoint


async def _take_batch(ctx: Context, request: web.Request) -> Reply:
    """Take every event of the batch on its own."""
    events = _batch(ctx, await read_body(request, ctx.settings.max_upload_size))
    accepted: list[str] = []
    rejected: list[dict[str, Any]] = []
    for raw in events:
        reason = await _take(ctx, raw)
        if reason is None:
            accepted.append(raw["event_id"])
        else:
            event_id = raw.get("event_id") if isinstance(raw, dict) else None
            rejected.append({"event_id": event_id, **reason})
    return Reply({"accepted": accepted, "rejected": rejected})


intake = intake_endpoint("POST", _take_batch)


def _batch(ctx: Context, raw: bytes) -> list[Any]:
    content_type = (ctx.header("Content-Type") or "").split(";", 1)[0].strip().lower()
    events = parse_envelope(raw, content_type).get("data")
    if not isinstance(events, list):
        raise invalid("data", "type", "Value did not match type(s): array", value=events)
    most = ctx.app[SETTINGS].intake_batch_max
    if len(events) > most:
        raise invalid("data", "maxItems", f"The list is more than {most} items", target=most)
    return events


async def _take(ctx: Context, raw: Any) -> dict[str, Any] | None:
    """None when the event is taken (or was already), else why not."""
    if not isinstance(raw, dict):
        return {"reason": "an event must be an object"}
    if len(encode({k: v for k, v in raw.items() if k != "audio"})) > MAX_EVENT_BYTES:
        return {"reason": f"an event must be at most {MAX_EVENT_BYTES} bytes besides its audio"}
    try:
        base = load(IntakeEvent, raw)
        schema, apply = ctx.app[INTAKE_TYPES][base["type"]]
        event = load(schema, raw)
    except InvalidData as err:
        return {"reason": "invalid event: " + ", ".join(sorted(err.data)), "errors": err.data}
    if await ctx.store.get(INTAKE_EVENTS, event["event_id"]) is not None:
        return None
    if await ctx.app[ACCOUNT_CACHE].get(event["account_id"]) is None:
        return {"reason": "unknown account"}
    ctx.account_id = event["account_id"]
    outbox = ctx.app[EVENT_OUTBOX]
    intent = intake_intent(event)
    await outbox.announce(intent)
    refused = await apply(ctx, event)
    if refused is not None:
        await outbox.withdraw(intent)
        return {"reason": refused}
    record = {"id": event["event_id"], "type": event["type"], EXPIRES_AT: now() + REMEMBER_EVENTS}
    try:
        await ctx.store.insert(INTAKE_EVENTS, record)
    except DuplicateValue:
        pass  # the same event, taken at the same time by another request
    outbox.changed()
    count_intake(ctx.app, event["type"])
    return None

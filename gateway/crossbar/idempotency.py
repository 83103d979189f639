"""Idempotency-Key on writes: the first response is kept, a retry gets it back untouched.

A key is claimed by inserting its record (the store's unique id decides the race), so of any
number of concurrent duplicates, on any instance, one runs; the others wait for its answer and
replay it, or get a 409 if it takes too long. A claim whose request died (no answer within
`STALE_SECONDS`) is taken over by the next retry. Records go after `idempotency_hours`.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

from gateway.crossbar.context import Context
from gateway.crossbar.errors import IdempotencyKeyInProgress, IdempotencyKeyReused, invalid
from gateway.events.retention import Expiry
from gateway.store import Conflict, DuplicateValue

IDEMPOTENCY = "idempotency_keys"
EXPIRES_AT = "expires"
EXPIRY = Expiry(IDEMPOTENCY, EXPIRES_AT)
HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
WRITE_VERBS = frozenset({"PUT", "POST", "PATCH", "DELETE"})
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
# A duplicate waits this long for the first request's answer before a 409.
WAIT_SECONDS = 10.0
# A claim with no answer after this long belongs to a request that died.
STALE_SECONDS = 60.0
# Answers larger than this are not kept (a retry then runs again).
MAX_KEPT_BYTES = 4_000_000
KEPT_HEADERS = ("Content-Type", "Location", "ETag", "Content-Disposition", "Allow")
# Answers that say nothing ran: a retry may run.
NOT_KEPT = frozenset({409, 429, 503})

Execute = Callable[[], Awaitable[web.StreamResponse]]
Replay = Callable[[Context, dict[str, Any]], web.StreamResponse]


def key_of(ctx: Context) -> str | None:
    """The request's Idempotency-Key when it applies (a write by a logged-in caller)."""
    key = ctx.header(HEADER)
    if key is None or ctx.verb not in WRITE_VERBS or ctx.identity is None:
        return None
    if not _KEY.match(key):
        raise invalid(
            HEADER,
            "pattern",
            "Idempotency-Key must be 1 to 255 visible ASCII characters",
            target="^[!-~]{1,255}$",
        )
    return key


def _record_id(ctx: Context, key: str) -> str:
    assert ctx.identity is not None
    scoped = f"{ctx.identity.account_id}\0{key}".encode()
    return hashlib.sha256(scoped).hexdigest()


def _fingerprint(ctx: Context) -> str:
    assert ctx.request is not None
    digest = hashlib.sha256()
    for part in (ctx.verb, ctx.request.path_qs, ctx.content_type):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(ctx.raw_body)
    return digest.hexdigest()


def _expires(ctx: Context) -> datetime:
    hours = ctx.settings.idempotency_hours
    return (datetime.now(UTC) + timedelta(hours=hours)).replace(tzinfo=None)


async def run_once(ctx: Context, key: str, execute: Execute, replay: Replay) -> web.StreamResponse:
    """Execute the request unless this key already ran it (then replay that answer)."""
    record_id, fingerprint = _record_id(ctx, key), _fingerprint(ctx)
    deadline = time.monotonic() + WAIT_SECONDS
    pause = 0.02
    while True:
        claim = {
            "id": record_id,
            "fingerprint": fingerprint,
            "claimed": time.time(),
            EXPIRES_AT: _expires(ctx),
        }
        try:
            claimed = await ctx.store.insert(IDEMPOTENCY, claim)
            return await _run(ctx, claimed, execute)
        except DuplicateValue:
            pass
        found = await ctx.store.get(IDEMPOTENCY, record_id)
        if found is None:
            continue
        if found["fingerprint"] != fingerprint:
            raise IdempotencyKeyReused(key)
        if "status" in found:
            return replay(ctx, found)
        if time.time() - found["claimed"] > STALE_SECONDS:
            try:
                taken = await ctx.store.replace(IDEMPOTENCY, {**found, **claim})
            except Conflict:
                continue
            return await _run(ctx, taken, execute)
        if time.monotonic() > deadline:
            raise IdempotencyKeyInProgress(key)
        await asyncio.sleep(pause)
        pause = min(pause * 2, 0.25)


async def _run(ctx: Context, claim: dict[str, Any], execute: Execute) -> web.StreamResponse:
    try:
        response = await execute()
    except BaseException:
        # Nothing to keep: the retry runs the request again.
        await ctx.store.delete(IDEMPOTENCY, claim["id"], revision=claim["_rev"])
        raise
    kept = _kept(response)
    if kept is None:
        await ctx.store.delete(IDEMPOTENCY, claim["id"], revision=claim["_rev"])
    else:
        try:
            await ctx.store.replace(IDEMPOTENCY, {**claim, **kept})
        except Conflict:
            pass
    return response


def _kept(response: web.StreamResponse) -> dict[str, Any] | None:
    """What a replay needs of a response; None when it must not be kept."""
    if response.status in NOT_KEPT or not isinstance(response, web.Response):
        return None
    body = response.body
    if not isinstance(body, bytes | bytearray) or len(body) > MAX_KEPT_BYTES:
        return None
    headers = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
    return {
        "status": response.status,
        "headers": headers,
        "body": base64.b64encode(bytes(body)).decode(),
    }


def kept_body(record: dict[str, Any]) -> bytes:
    """The body bytes of a kept answer."""
    return base64.b64decode(record["body"])

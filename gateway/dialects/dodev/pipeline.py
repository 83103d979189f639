"""The /v1/pbx pipeline: bounds, key, plan limits, route, scope, body, idempotency, handler.

Every reply, errors included, is this dialect's JSON with X-Request-ID and X-RateLimit-*.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from functools import partial

from aiohttp import web

from gateway.auth.api_keys import VERIFIED_KEYS, VerifiedKeys
from gateway.auth.cache import cache_limits
from gateway.crossbar.bounds import check_request
from gateway.crossbar.context import Context
from gateway.crossbar.dispatch import request_id_of
from gateway.crossbar.errors import ApiError
from gateway.crossbar.idempotency import key_of as idempotency_key_of
from gateway.crossbar.idempotency import run_once
from gateway.crossbar.rates import charge_address
from gateway.dialects.dodev.auth import authenticate, require_scope
from gateway.dialects.dodev.body import read_json
from gateway.dialects.dodev.endpoint import Call, Endpoint
from gateway.dialects.dodev.errors import PbxError, internal, translated, unavailable
from gateway.dialects.dodev.plans import charge_plan
from gateway.dialects.dodev.render import render_answer, render_error, render_replay
from gateway.dialects.dodev.routes import match
from gateway.keys import SETTINGS
from gateway.store import StoreUnavailable

log = logging.getLogger(__name__)
BODY_VERBS = frozenset({"PUT", "POST", "PATCH"})
Serve = Callable[[web.Request], Awaitable[web.StreamResponse]]


def handler(app: web.Application) -> Serve:
    """The /v1/pbx handler of `app`, whose cache of verified keys it sets up."""
    app[VERIFIED_KEYS] = VerifiedKeys(cache_limits(app[SETTINGS]))
    return serve


async def serve(request: web.Request) -> web.StreamResponse:
    """Run one /v1/pbx request and render its answer or error."""
    ctx = Context(
        app=request.app,
        request=request,
        request_id=request_id_of(request),
        verb=request.method.upper(),
    )
    try:
        endpoint, call = await _prepare(ctx, request.match_info.get("tail", ""))
        execute = partial(_execute, ctx, endpoint, call)
        key = idempotency_key_of(ctx)
        if key is None:
            return await execute()
        return await run_once(ctx, key, execute, render_replay)
    except PbxError as err:
        return render_error(ctx, err)
    except ApiError as err:
        return render_error(ctx, translated(err))
    except StoreUnavailable:
        log.warning("datastore unreachable (request %s)", ctx.request_id)
        return render_error(ctx, unavailable())
    except Exception:
        log.exception("unhandled error (request %s)", ctx.request_id)
        return render_error(ctx, internal())


async def _prepare(ctx: Context, path: str) -> tuple[Endpoint, Call]:
    """Everything before the handler, each refusal as early as it can be decided."""
    assert ctx.request is not None
    await charge_address(ctx, False)
    check_request(ctx.request)
    public = _public(path, ctx.verb)
    if public is not None:
        return public[0], Call(ctx, public[1])
    key = await authenticate(ctx)
    await charge_plan(ctx, key)
    endpoint, values = match(path, ctx.verb)
    require_scope(key, endpoint.scope)
    body = await read_json(ctx) if ctx.verb in BODY_VERBS else None
    return endpoint, Call(ctx, values, body)


def _public(path: str, verb: str) -> tuple[Endpoint, dict[str, str]] | None:
    """The endpoint and path values when `verb` on `path` needs no key; else None (a path
    that matches nothing is refused after the key, as every other path is)."""
    try:
        endpoint, values = match(path, verb)
    except PbxError:
        return None
    return (endpoint, values) if endpoint.public else None


async def _execute(ctx: Context, endpoint: Endpoint, call: Call) -> web.StreamResponse:
    """Run the handler; its refusals are answers (an Idempotency-Key keeps them too)."""
    try:
        return render_answer(ctx, await endpoint.handler(call))
    except PbxError as err:
        return render_error(ctx, err)
    except ApiError as err:
        return render_error(ctx, translated(err))

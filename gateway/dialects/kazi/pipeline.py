"""The /api pipeline: address rate, bounds, public route or session, route, body,
Idempotency-Key, handler.

Every reply, errors included, is this dialect's JSON with X-Request-ID and X-RateLimit-*.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from functools import partial

from aiohttp import web

from gateway.crossbar.bounds import check_request
from gateway.crossbar.context import Context
from gateway.crossbar.dispatch import request_id_of
from gateway.crossbar.errors import ApiError
from gateway.crossbar.idempotency import key_of, run_once
from gateway.crossbar.rates import charge_address
from gateway.dialects.kazi.body import take_body
from gateway.dialects.kazi.errors import KaziError, translated
from gateway.dialects.kazi.render import render_answer, render_error, render_replay
from gateway.dialects.kazi.routes import Endpoint, match, public_endpoint
from gateway.dialects.kazi.session import authenticate
from gateway.store import StoreUnavailable

log = logging.getLogger(__name__)
BODY_VERBS = frozenset({"POST", "PUT", "PATCH"})
Serve = Callable[[web.Request], Awaitable[web.StreamResponse]]


def handler(app: web.Application) -> Serve:
    """The /api handler of `app`."""
    return serve


async def serve(request: web.Request) -> web.StreamResponse:
    """Run one /api request and render its answer or error."""
    ctx = Context(
        app=request.app,
        request=request,
        request_id=request_id_of(request),
        verb=request.method.upper(),
    )
    try:
        endpoint, params = await _prepare(ctx, request.match_info.get("tail", ""))
        execute = partial(_execute, ctx, endpoint, params)
        key = key_of(ctx)
        if key is None:
            return await execute()
        return await run_once(ctx, key, execute, render_replay)
    except KaziError as err:
        return render_error(ctx, err)
    except ApiError as err:
        return render_error(ctx, translated(err))
    except StoreUnavailable:
        log.warning("datastore unreachable (request %s)", ctx.request_id)
        return render_error(ctx, KaziError(503))
    except Exception:
        log.exception("unhandled error (request %s)", ctx.request_id)
        return render_error(ctx, KaziError(500))


async def _prepare(ctx: Context, path: str) -> tuple[Endpoint, Mapping[str, str]]:
    """Everything before the handler, each refusal as early as it can be decided."""
    assert ctx.request is not None
    await charge_address(ctx, False)
    check_request(ctx.request)
    public = public_endpoint(path, ctx.verb)
    if public is not None:
        await take_body(ctx)
        return public, {}
    await authenticate(ctx)
    endpoint, params = match(path, ctx.verb)
    if ctx.verb in BODY_VERBS:
        await take_body(ctx)
    return endpoint, params


async def _execute(
    ctx: Context, endpoint: Endpoint, params: Mapping[str, str]
) -> web.StreamResponse:
    """Run the handler; its refusals are answers (an Idempotency-Key keeps them too)."""
    try:
        return render_answer(ctx, await endpoint.handler(ctx, params))
    except KaziError as err:
        return render_error(ctx, err)
    except ApiError as err:
        return render_error(ctx, translated(err))

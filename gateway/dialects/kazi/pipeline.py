"""The /api pipeline: address rate, bounds, public route or session, route, handler.

Every reply, errors included, is this dialect's JSON with X-Request-ID and X-RateLimit-*.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from gateway.crossbar.bounds import check_request
from gateway.crossbar.context import Context
from gateway.crossbar.dispatch import request_id_of
from gateway.crossbar.errors import ApiError
from gateway.crossbar.rates import charge_address
from gateway.dialects.kazi.errors import KaziError, translated
from gateway.dialects.kazi.render import render_answer, render_error
from gateway.dialects.kazi.routes import Endpoint, match, public_endpoint
from gateway.dialects.kazi.session import authenticate
from gateway.store import StoreUnavailable

log = logging.getLogger(__name__)
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
        endpoint = await _prepare(ctx, request.match_info.get("tail", ""))
        return render_answer(ctx, await endpoint.handler(ctx))
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


async def _prepare(ctx: Context, path: str) -> Endpoint:
    """Everything before the handler, each refusal as early as it can be decided."""
    assert ctx.request is not None
    await charge_address(ctx, False)
    check_request(ctx.request)
    public = public_endpoint(path, ctx.verb)
    if public is not None:
        return public
    await authenticate(ctx)
    return match(path, ctx.verb)

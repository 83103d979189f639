"""Answers and errors as HTTP responses: JSON, X-Request-ID and X-RateLimit-* on every one."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from gateway.crossbar.context import Context
from gateway.crossbar.idempotency import REPLAYED, kept_body
from gateway.crossbar.jsonout import encode
from gateway.dialects.kazi.answer import Answer
from gateway.dialects.kazi.errors import KaziError
from gateway.dialects.kazi.session import clear_cookie, set_cookie
from gateway.ratelimit.bucket import tightest

JSON = "application/json"


def _json(ctx: Context, body: Any, status: int, extra: dict[str, str]) -> web.Response:
    headers = {"X-Request-ID": ctx.request_id}
    verdict = tightest(ctx.rates)
    if verdict is not None:
        headers.update(verdict.headers())
    headers.update(extra)
    response = web.Response(body=encode(body), status=status, headers=headers)
    response.content_type = JSON
    return response


def render_answer(ctx: Context, answer: Answer) -> web.Response:
    """A success, setting or clearing the session cookie as the handler asked."""
    response = _json(ctx, answer.body, answer.status, {})
    if answer.session is not None:
        set_cookie(ctx, response, answer.session)
    if answer.end_session:
        clear_cookie(ctx, response)
    return response


def render_error(ctx: Context, error: KaziError) -> web.Response:
    """An error: `{"message", "errors"?}`."""
    return _json(ctx, error.body(), error.status, error.headers)


def render_replay(ctx: Context, record: dict[str, Any]) -> web.Response:
    """The kept answer to an earlier request with this Idempotency-Key, with this request's
    id and rate-limit headers."""
    response = _json(ctx, None, record["status"], {**record["headers"], REPLAYED: "true"})
    response.body = kept_body(record)
    return response

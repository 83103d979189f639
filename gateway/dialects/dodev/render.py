"""Answers and errors as HTTP responses: JSON, X-Request-ID and X-RateLimit-* on every one."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from gateway.crossbar.context import Context
from gateway.crossbar.idempotency import REPLAYED, kept_body
from gateway.crossbar.jsonout import encode
from gateway.dialects.dodev.endpoint import Answer
from gateway.dialects.dodev.errors import PbxError
from gateway.ratelimit.bucket import tightest

JSON = "application/json"


def base_headers(ctx: Context) -> dict[str, str]:
    """The request id and the rate-limit headers of the bucket closest to empty."""
    headers = {"X-Request-ID": ctx.request_id}
    verdict = tightest(ctx.rates)
    if verdict is not None:
        headers.update(verdict.headers())
    return headers


def _json(ctx: Context, body: Any, status: int, extra: dict[str, str]) -> web.Response:
    headers = {**base_headers(ctx), **extra}
    if body is None:
        return web.Response(status=status, headers=headers)
    response = web.Response(body=encode(body), status=status, headers=headers)
    response.content_type = JSON
    return response


def render_answer(ctx: Context, answer: Answer) -> web.Response:
    """A success."""
    return _json(ctx, answer.body, answer.status, answer.headers)


def render_error(ctx: Context, error: PbxError) -> web.Response:
    """An error: `{"error": {"code", "message", "status", ...}}`."""
    return _json(ctx, error.body(), error.status, error.headers)


def render_replay(ctx: Context, record: dict[str, Any]) -> web.Response:
    """The kept answer to an earlier request with this Idempotency-Key, with this request's
    id and rate-limit headers."""
    headers = {**base_headers(ctx), **record["headers"], REPLAYED: "true"}
    return web.Response(body=kept_body(record), status=record["status"], headers=headers)

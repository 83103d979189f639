"""Turns replies and errors into HTTP responses with Kazoo's headers."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

import orjson
from aiohttp import web
from aiohttp.payload import AsyncIterablePayload

from gateway.crossbar.accept import CSV
from gateway.crossbar.context import Context, Reply
from gateway.crossbar.csv_render import render_csv
from gateway.crossbar.envelope import (
    JSON,
    cors_headers,
    error_body,
    is_cors,
    json_response,
    success_body,
)
from gateway.crossbar.errors import ApiError, EmptyError, MethodNotAllowed
from gateway.crossbar.idempotency import REPLAYED, kept_body
from gateway.crossbar.jsonout import encode
from gateway.crossbar.rates import rate_headers, reported
from gateway.crossbar.timing import server_timing

DEFAULT_METHODS = ("GET", "PUT", "POST", "PATCH", "DELETE")


def _pretty(ctx: Context) -> bool:
    return ctx.header("X-Pretty-Print") == "true" or ctx.query.get("pretty_print") == "true"


def _base_headers(ctx: Context, cors: bool, methods: Iterable[str]) -> dict[str, str]:
    headers = {"X-Request-ID": ctx.request_id, **rate_headers(ctx)}
    if cors:
        headers.update(cors_headers(methods))
    if ctx.timings:
        headers["Server-Timing"] = server_timing(ctx.timings)
    return headers


def render_reply(ctx: Context, reply: Reply) -> web.StreamResponse:
    """A success: raw body, CSV, or the JSON envelope."""
    assert ctx.request is not None
    headers = _base_headers(ctx, is_cors(ctx.request), ["OPTIONS", *ctx.allowed])
    headers.update(reply.headers)
    if reply.body is not None or reply.stream is not None:
        return _binary(reply, headers)
    if ctx.accept == CSV and isinstance(reply.data, list | dict):
        name = ctx.header("X-File-Name") or ctx.query.get("file_name") or "result.csv"
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
        response = web.Response(text=render_csv(reply.data), status=reply.status, headers=headers)
        response.headers["Content-Type"] = CSV
        return response
    if reply.revision is None and isinstance(reply.data, list):
        reply.revision = hashlib.md5(encode(reply.data, sort_keys=True)).hexdigest()
        headers.setdefault("ETag", f'"{reply.revision}"')
        if ctx.verb == "GET" and ctx.header("If-None-Match") == headers["ETag"]:
            return web.Response(status=304, headers=headers)
    token = reply.auth_token or ctx.token
    body = success_body(reply, ctx.request_id, token)
    verdict = reported(ctx)
    if verdict is not None:
        body["tokens"] = verdict.tokens()
    return json_response(body, reply.status, headers, _pretty(ctx))


def _binary(reply: Reply, headers: dict[str, str]) -> web.Response:
    content: bytes | AsyncIterablePayload
    if reply.stream is not None:
        content = AsyncIterablePayload(reply.stream)
    else:
        content = reply.body or b""
    response = web.Response(body=content, status=reply.status, headers=headers)
    response.content_type = reply.content_type or "application/octet-stream"
    return response


def render_error(ctx: Context, error: ApiError) -> web.StreamResponse:
    """Errors always carry CORS headers; some have no body at all."""
    methods = error.allowed if isinstance(error, MethodNotAllowed) else ctx.allowed
    headers = _base_headers(ctx, True, ["OPTIONS", *(methods or DEFAULT_METHODS)])
    headers.update(error.headers)
    if isinstance(error, MethodNotAllowed):
        headers["Allow"] = ", ".join(error.allowed)
    if isinstance(error, EmptyError):
        return web.Response(status=error.status, headers=headers)
    body = error_body(error, ctx.request_id, ctx.token)
    return json_response(body, error.status, headers, _pretty(ctx))


def render_replay(ctx: Context, record: dict[str, Any]) -> web.Response:
    """A kept answer to an earlier request with this Idempotency-Key, for this request."""
    assert ctx.request is not None
    headers = _base_headers(ctx, is_cors(ctx.request), ["OPTIONS", *ctx.allowed])
    headers.update(record["headers"])
    headers[REPLAYED] = "true"
    body = kept_body(record)
    if headers.get("Content-Type") == JSON:
        envelope = orjson.loads(body)
        envelope["request_id"] = ctx.request_id
        envelope.pop("auth_token", None)
        if ctx.token:
            envelope = {"auth_token": ctx.token, **envelope}
        verdict = reported(ctx)
        if verdict is not None and "tokens" in envelope:
            envelope["tokens"] = verdict.tokens()
        body = encode(envelope)
    return web.Response(body=body, status=record["status"], headers=headers)


def render_preflight(ctx: Context) -> web.StreamResponse:
    """CORS preflight: 200, empty body; a requested method the resource lacks comes first."""
    requested = (ctx.header("Access-Control-Request-Method") or "").upper()
    methods = ["OPTIONS", *ctx.allowed]
    if requested and requested not in methods:
        methods.insert(0, requested)
    return web.Response(status=200, headers=_base_headers(ctx, True, methods))

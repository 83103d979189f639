"""Kazoo's response envelope and headers (success, error, CORS)."""

from __future__ import annotations

import base64
import hashlib
import socket
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from aiohttp import web

from gateway.crossbar.context import Reply
from gateway.crossbar.errors import ApiError
from gateway.crossbar.jsonout import encode

# Kazoo 4.3 release string; clients only display it.
KAZOO_VERSION = "4.3.142"
JSON = "application/json"
NODE = base64.urlsafe_b64encode(hashlib.md5(socket.gethostname().encode()).digest()).decode()[:22]
ALLOW_HEADERS = (
    "content-type, depth, user-agent, x-http-method-override, x-file-size, x-requested-with, "
    "if-modified-since, x-file-name, cache-control, x-auth-token, x-kazoo-cluster-id, if-match"
)
EXPOSE_HEADERS = "content-type, x-auth-token, x-request-id, x-kazoo-cluster-id, location, etag"


@lru_cache(maxsize=4)
def _iso_second(second: int) -> str:
    return datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def timestamp() -> str:
    """Server time, ISO-8601 UTC with Z, second precision (formatted once a second)."""
    return _iso_second(int(time.time()))


def is_cors(request: web.Request) -> bool:
    """A browser request: Origin or an Access-Control-Request-* header."""
    headers = request.headers
    return (
        "Origin" in headers
        or "Access-Control-Request-Method" in headers
        or "Access-Control-Request-Headers" in headers
    )


def cors_headers(methods: Iterable[str]) -> dict[str, str]:
    """The CORS header set; `methods` in the order they are listed."""
    return {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": ", ".join(methods),
        "Access-Control-Allow-Headers": ALLOW_HEADERS,
        "Access-Control-Expose-Headers": EXPOSE_HEADERS,
        "Access-Control-Max-Age": "86400",
    }


def json_response(
    body: dict[str, Any], status: int, headers: dict[str, str], pretty: bool = False
) -> web.Response:
    """A JSON body with `Content-Type: application/json` exactly (no charset)."""
    response = web.Response(body=encode(body, pretty=pretty), status=status, headers=headers)
    response.headers["Content-Type"] = JSON
    return response


def success_body(reply: Reply, request_id: str, token: str | None) -> dict[str, Any]:
    """The success envelope."""
    body: dict[str, Any] = {}
    if token:
        body["auth_token"] = token
    if reply.data is not None:
        body["data"] = reply.data
    if reply.page is not None:
        body["page_size"] = reply.page.page_size
        if reply.page.start_key is not None:
            body["start_key"] = reply.page.start_key
        if reply.page.next_start_key is not None:
            body["next_start_key"] = reply.page.next_start_key
    body["request_id"] = request_id
    if reply.revision:
        body["revision"] = reply.revision
    body.update(status="success", timestamp=timestamp(), node=NODE, version=KAZOO_VERSION)
    return body


def error_body(error: ApiError, request_id: str, token: str | None) -> dict[str, Any]:
    """The error envelope."""
    body: dict[str, Any] = {}
    if token:
        body["auth_token"] = token
    body.update(
        data=error.data,
        error=str(error.status),
        message=error.message,
        request_id=request_id,
        status="error",
        timestamp=timestamp(),
        node=NODE,
        version=KAZOO_VERSION,
    )
    return body

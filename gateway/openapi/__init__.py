"""The OpenAPI 3.1 contract, generated from the resource registry and served as it is."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from gateway.crossbar.jsonout import encode
from gateway.keys import RESOURCES
from gateway.openapi.document import CONTRACT_PATH, build_document

Handler = Callable[[web.Request], Awaitable[web.Response]]


def handler() -> Handler:
    """`GET /v2/openapi.json` for one app: built on first use, then served from memory."""
    built: list[bytes] = []

    async def serve(request: web.Request) -> web.Response:
        if not built:
            built.append(encode(build_document(request.app[RESOURCES])))
        response = web.Response(body=built[0])
        response.headers["Content-Type"] = "application/json"
        return response

    return serve


__all__ = ["CONTRACT_PATH", "build_document", "handler"]

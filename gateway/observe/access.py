"""The access log: aiohttp's line with its secrets redacted, or one JSON object a request."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.web_request import BaseRequest
from aiohttp.web_response import StreamResponse

from gateway.keys import RESOURCES
from gateway.observe.labels import account_of, classify, verb_of
from gateway.observe.redact import redact
from gateway.settings import Settings


class TextAccessLogger(AbstractAccessLogger):
    """aiohttp's default layout (`%a %t "%r" %s %b "%{Referer}i" "%{User-Agent}i"`)."""

    @property
    def enabled(self) -> bool:
        """Nothing is formatted when the line would not be emitted."""
        return self.logger.isEnabledFor(logging.INFO)

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        """One line; the path and the referer with their secrets redacted."""
        started = datetime.now().astimezone() - timedelta(seconds=time)
        version = request.version
        referer = request.headers.get("Referer")
        self.logger.info(
            '%s %s "%s %s HTTP/%d.%d" %s %s "%s" "%s"',
            request.remote or "-",
            started.strftime("[%d/%b/%Y:%H:%M:%S %z]"),
            request.method,
            redact(request.raw_path),
            version.major,
            version.minor,
            response.status,
            response.body_length,
            "-" if referer is None else redact(referer),
            request.headers.get("User-Agent", "-"),
        )


class JsonAccessLogger(AbstractAccessLogger):
    """One record a request whose `fields` the JSON formatter writes out (logs.py)."""

    @property
    def enabled(self) -> bool:
        """Nothing is gathered when the record would not be emitted."""
        return self.logger.isEnabledFor(logging.INFO)

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        """The request's facts; never a header but the request id, never a body."""
        raw = request.raw_path
        registry = request.app.get(RESOURCES) if isinstance(request, web.Request) else None
        dialect, module = classify(raw, registry.resources if registry is not None else ())
        path = redact(raw)
        fields = {
            "request_id": response.headers.get("X-Request-ID"),
            "account": account_of(raw),
            "dialect": dialect,
            "module": module,
            "verb": verb_of(request.method),
            "status": response.status,
            "duration_ms": round(time * 1000, 3),
            "remote": request.remote,
            "path": path,
        }
        self.logger.info(
            "%s %s %s", request.method, path, response.status, extra={"fields": fields}
        )


def access_log_class(settings: Settings) -> type[AbstractAccessLogger]:
    """The access logger for GATEWAY_LOG_FORMAT."""
    return JsonAccessLogger if settings.log_format == "json" else TextAccessLogger

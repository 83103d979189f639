"""The dialect's errors: `{"error": {"code", "message", "status"}}`, stable upper-case codes.

Handlers raise `PbxError`s; crossbar's `ApiError`s raised by the shared write path, bounds and
idempotency are translated here, so a /v1/pbx reply is never a Kazoo envelope.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from gateway.crossbar.errors import (
    ApiError,
    DatastoreConflict,
    EmptyError,
    IdempotencyKeyInProgress,
    IdempotencyKeyReused,
    InvalidData,
    MethodNotAllowed,
    TooManyRequests,
)

# The code of an error known only by its status.
CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    412: "PRECONDITION_FAILED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "UNPROCESSABLE",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
    503: "SERVICE_UNAVAILABLE",
}
VALIDATION_STATUS = 400
# Kazoo's names for the body as a whole.
_BODY_PATHS = {"json": "body", "file": "body", "data": "body"}


class PbxError(Exception):
    """An answer other than success: status, code, message and optional extra keys."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        """The reply body."""
        return {
            "error": {"code": self.code, "message": self.message, "status": self.status}
            | self.extra
        }


def unauthorized(message: str) -> PbxError:
    """401: no key, or a key that is unknown, revoked or expired."""
    return PbxError(401, "UNAUTHORIZED", message, headers={"WWW-Authenticate": "Bearer"})


def insufficient_scope(scope: str) -> PbxError:
    """403 naming the scope the endpoint needs."""
    return PbxError(
        403,
        "INSUFFICIENT_SCOPE",
        f"This API key lacks the scope {scope}",
        {"requiredScope": scope},
    )


def not_found(code: str, message: str) -> PbxError:
    """404 with a thing's own code (`EXTENSION_NOT_FOUND`) or NOT_FOUND."""
    return PbxError(404, code, message)


def method_not_allowed(allowed: Iterable[str]) -> PbxError:
    """405 with the verbs the path takes."""
    verbs = ", ".join(sorted(allowed))
    return PbxError(
        405,
        "METHOD_NOT_ALLOWED",
        f"This path takes {verbs}",
        headers={"Allow": verbs},
    )


def invalid_fields(fields: list[dict[str, Any]]) -> PbxError:
    """400 VALIDATION_ERROR listing each field as `{"field", "rule", "message"}`."""
    names = ", ".join(sorted({str(item["field"]) for item in fields}))
    return PbxError(
        VALIDATION_STATUS, "VALIDATION_ERROR", f"Invalid fields: {names}", {"fields": fields}
    )


def invalid_field(field: str, rule: str, message: str) -> PbxError:
    """400 VALIDATION_ERROR for one field."""
    return invalid_fields([{"field": field, "rule": rule, "message": message}])


def rate_limited(retry_after: int, headers: Mapping[str, str] | None = None) -> PbxError:
    """429 RATE_LIMITED with Retry-After in whole seconds."""
    return PbxError(
        429,
        "RATE_LIMITED",
        "Too many requests: retry after the time Retry-After gives",
        headers={**(headers or {}), "Retry-After": str(max(1, retry_after))},
    )


def unavailable() -> PbxError:
    """503: the store did not answer."""
    return PbxError(503, "SERVICE_UNAVAILABLE", "The service is unavailable; retry later")


def internal() -> PbxError:
    """500 with no internal text (the cause is logged once with the request id)."""
    return PbxError(500, "INTERNAL_ERROR", "An internal error occurred")


def field_errors(data: Mapping[str, Any], names: Mapping[str, str]) -> list[dict[str, Any]]:
    """Kazoo's `{path: {rule: {message}}}` as this dialect's fields, paths renamed by `names`."""
    fields = []
    for path, rules in data.items():
        field = names.get(path) or _BODY_PATHS.get(path, path)
        for rule, detail in (rules or {}).items():
            message = detail.get("message") if isinstance(detail, Mapping) else None
            fields.append({"field": field, "rule": rule, "message": str(message or rule)})
    return fields


def translated(err: ApiError, names: Mapping[str, str] | None = None) -> PbxError:
    """A crossbar error in this dialect's shape."""
    if isinstance(err, InvalidData):
        if "file" in err.data and "maxSize" in err.data["file"]:
            return PbxError(413, "PAYLOAD_TOO_LARGE", "The request body is too large")
        return invalid_fields(field_errors(err.data, names or {}))
    if isinstance(err, TooManyRequests):
        return rate_limited(int(err.headers.get("Retry-After", "1")))
    if isinstance(err, MethodNotAllowed):
        return method_not_allowed(err.allowed)
    if isinstance(err, IdempotencyKeyReused):
        return PbxError(
            422, "IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was used for another request"
        )
    if isinstance(err, IdempotencyKeyInProgress):
        return PbxError(
            409,
            "IDEMPOTENCY_KEY_IN_PROGRESS",
            "A request with this Idempotency-Key is still running",
            headers=err.headers,
        )
    if isinstance(err, DatastoreConflict):
        return PbxError(409, "CONFLICT", "The resource changed meanwhile; read it and retry")
    if err.status >= 500:
        return unavailable() if err.status == 503 else internal()
    code = CODES.get(err.status, "BAD_REQUEST")
    return PbxError(err.status, code, _message(err), headers=err.headers)


def _message(err: ApiError) -> str:
    if isinstance(err, EmptyError) or not isinstance(err.data, Mapping):
        return CODES.get(err.status, "BAD_REQUEST").replace("_", " ").capitalize()
    text = err.data.get("message")
    return str(text) if text else err.message.replace("_", " ")

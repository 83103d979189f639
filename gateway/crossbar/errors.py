"""The Kazoo error catalogue as exceptions; one middleware renders them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class ApiError(Exception):
    """An error with Kazoo's status, `message` code and `data` payload."""

    status = 500
    message = "unspecified_fault"

    def __init__(self, data: Any = None, *, message: str | None = None) -> None:
        super().__init__(message or self.message)
        self.data: Any = {"message": "unspecified fault"} if data is None else data
        if message is not None:
            self.message = message
        self.headers: dict[str, str] = {}


class EmptyError(ApiError):
    """An error the HTTP layer answers with no body (406, 412, 415, 304)."""

    def __init__(self, status: int) -> None:
        super().__init__({}, message="")
        self.status = status


class InvalidData(ApiError):
    """400 validation error keyed by dotted path, then rule."""

    status = 400
    message = "validation error"

    def __init__(self, errors: dict[str, dict[str, Any]]) -> None:
        super().__init__(errors)


def invalid(path: str, rule: str, message: str, **extra: Any) -> InvalidData:
    """One validation error: {path: {rule: {message, **extra}}}."""
    return InvalidData({path: {rule: {"message": message, **extra}}})


class BadRequest(ApiError):
    """400 with a plain message."""

    status = 400
    message = "invalid request"


class Unauthorized(ApiError):
    """401 invalid_credentials: nothing or something wrong was presented."""

    status = 401
    message = "invalid_credentials"

    def __init__(self) -> None:
        super().__init__({"message": "invalid credentials"})


class TokenRejected(ApiError):
    """401 for a supplied token that is expired, unknown or revoked (Kazoo's early check)."""

    status = 401
    message = "invalid credentials"

    def __init__(self) -> None:
        super().__init__({})


class Forbidden(ApiError):
    """403 forbidden."""

    status = 403
    message = "forbidden"

    def __init__(self, cause: str | None = None) -> None:
        data = {"message": "forbidden"}
        if cause:
            data["cause"] = cause
        super().__init__(data)


class NotFound(ApiError):
    """404 bad_identifier for an id that names nothing."""

    status = 404
    message = "bad_identifier"

    def __init__(self, doc_id: str) -> None:
        super().__init__({"cause": doc_id, "message": "bad identifier"})


class BadAccountId(ApiError):
    """404 'bad identifier' (with a space) for a malformed account id."""

    status = 404
    message = "bad identifier"

    def __init__(self, account_id: str) -> None:
        text = f"invalid account_id '{account_id}'" if account_id else "missing account_id"
        super().__init__({"message": text})


class NoSuchPath(ApiError):
    """404 not_found for an unknown path."""

    status = 404
    message = "not_found"

    def __init__(self) -> None:
        super().__init__({"message": "not found"})


class FaultyRequest(ApiError):
    """404 faulty_request (Kazoo's answer to a bad page size)."""

    status = 404
    message = "faulty_request"

    def __init__(self, text: str = "faulty request") -> None:
        super().__init__({"message": text})


class MethodNotAllowed(ApiError):
    """405 invalid_method; carries the allowed verbs."""

    status = 405
    message = "invalid_method"

    def __init__(self, allowed: Iterable[str]) -> None:
        super().__init__({"message": "method not allowed"})
        self.allowed = sorted(allowed)


class Gone(ApiError):
    """410 for API version 1."""

    status = 410
    message = "gone"

    def __init__(self) -> None:
        super().__init__(
            {
                "message": "API version 1 is not supported. "
                "Please upgrade your code to use version 2."
            }
        )


class DatastoreConflict(ApiError):
    """409 when a document changed between load and save."""

    status = 409
    message = "datastore_conflict"

    def __init__(self) -> None:
        super().__init__({"message": "conflicting documents"})


class RangeNotSatisfiable(ApiError):
    """416 when an unpaginated listing is larger than the server allows."""

    status = 416
    message = "range not satisfiable"

    def __init__(self) -> None:
        super().__init__({})


class IdempotencyKeyReused(ApiError):
    """422: an Idempotency-Key sent again with another request."""

    status = 422
    message = "idempotency_key_reused"

    def __init__(self, key: str) -> None:
        super().__init__(
            {"message": "Idempotency-Key was already used for a different request", "cause": key}
        )


class IdempotencyKeyInProgress(ApiError):
    """409: the first request with this Idempotency-Key has not finished yet."""

    status = 409
    message = "idempotency_key_in_progress"

    def __init__(self, key: str) -> None:
        super().__init__(
            {"message": "A request with this Idempotency-Key is still running", "cause": key}
        )
        self.headers["Retry-After"] = "1"


class TooManyRequests(ApiError):
    """429 too_many_requests."""

    status = 429
    message = "too_many_requests"

    def __init__(self, retry_after: int, headers: dict[str, str] | None = None) -> None:
        super().__init__({"message": "too many requests"})
        self.headers["Retry-After"] = str(max(1, retry_after))
        self.headers.update(headers or {})


class AccountHasDescendants(ApiError):
    """500 account_has_descendants (Kazoo's status for this refusal)."""

    status = 500
    message = "account_has_descendants"

    def __init__(self) -> None:
        super().__init__({"message": "account has descendants"})


class DatastoreUnreachable(ApiError):
    """503 datastore_unreachable."""

    status = 503
    message = "datastore_unreachable"

    def __init__(self) -> None:
        super().__init__({"message": "datastore timeout"})

"""The dialect's refusals: `{"message": ..., "errors"?: {field: [...]}}`, as Laravel answers.

Handlers raise `KaziError`s; crossbar's `ApiError`s are translated here, so an /api reply is
never a Kazoo envelope.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from gateway.crossbar.errors import ApiError, MethodNotAllowed, TooManyRequests

# Laravel's message for an error known only by its status.
MESSAGES = {
    400: "Bad request.",
    401: "Unauthenticated.",
    403: "This action is unauthorized.",
    404: "Not found.",
    405: "Method not allowed.",
    409: "Conflict.",
    410: "Gone.",
    413: "Content too large.",
    415: "Unsupported media type.",
    419: "CSRF token mismatch.",
    422: "The given data was invalid.",
    429: "Too many requests.",
    500: "Server error.",
    503: "Service unavailable.",
}


class KaziError(Exception):
    """An answer other than success: status, message, optional field errors and headers."""

    def __init__(
        self,
        status: int,
        message: str | None = None,
        errors: Mapping[str, list[str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status = status
        self.message = message or MESSAGES.get(status, "Error.")
        super().__init__(self.message)
        self.errors = dict(errors or {})
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        """The reply body."""
        body: dict[str, Any] = {"message": self.message}
        if self.errors:
            body["errors"] = self.errors
        return body


def unauthenticated() -> KaziError:
    """401: no session, or one that ended."""
    return KaziError(401)


def forbidden() -> KaziError:
    """403: a session that may not do this."""
    return KaziError(403)


def not_found() -> KaziError:
    """404."""
    return KaziError(404)


def csrf_mismatch() -> KaziError:
    """419: a cookie-authenticated write without proof it came from our own pages."""
    return KaziError(419)


def method_not_allowed(allowed: Iterable[str]) -> KaziError:
    """405 with the verbs the path takes."""
    return KaziError(405, headers={"Allow": ", ".join(sorted(allowed))})


def invalid(errors: Mapping[str, list[str]], message: str | None = None) -> KaziError:
    """422 in Laravel's shape: the first message, "(and N more errors)", then every field."""
    messages = [text for texts in errors.values() for text in texts]
    if message is None:
        message = messages[0] if messages else MESSAGES[422]
        others = len(messages) - 1
        if others > 0:
            message += f" (and {others} more error{'s' if others > 1 else ''})"
    return KaziError(422, message, errors)


def too_many_logins(err: TooManyRequests) -> KaziError:
    """429 from the failed-login throttle, with its Retry-After and window headers."""
    seconds = err.headers.get("Retry-After", "1")
    return KaziError(
        429,
        f"Too many login attempts. Please try again in {seconds} seconds.",
        headers=err.headers,
    )


def translated(err: ApiError) -> KaziError:
    """A crossbar error in this dialect's shape."""
    if isinstance(err, MethodNotAllowed):
        return method_not_allowed(err.allowed)
    if isinstance(err, TooManyRequests):
        return KaziError(429, headers=err.headers)
    if err.status >= 500:
        return KaziError(503 if err.status == 503 else 500)
    return KaziError(err.status, headers=err.headers)

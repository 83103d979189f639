"""Paths as logs may show them: secrets in the query or the path replaced (pure)."""

from __future__ import annotations

from urllib.parse import unquote, unquote_plus

REDACTED = "REDACTED"
# Query parameters that may carry a secret, compared case-insensitively.
SECRET_PARAMS = frozenset(
    {"auth_token", "token", "api_key", "password", "secret", "key", "signature", "credentials"}
)
# Kazoo: `GET /v2/user_auth/{token}` names a token in the path itself.
TOKEN_NOUN = "user_auth"


def redact(path_qs: str) -> str:
    """`path_qs` with the values of secret-bearing parameters and path tokens REDACTED."""
    path, sep, query = path_qs.partition("?")
    if "auth" in unquote(path).lower():  # also `user_au%74h`, which routes the same
        path = _redact_path(path)
    if not sep:
        return path
    parts = query.split("&")
    for index, part in enumerate(parts):
        name, _, value = part.partition("=")
        if value and unquote_plus(name).strip().lower() in SECRET_PARAMS:
            parts[index] = f"{name}={REDACTED}"
    return f"{path}?{'&'.join(parts)}"


def _redact_path(path: str) -> str:
    segments = path.split("/")
    for index, segment in enumerate(segments[:-1]):
        if unquote(segment) == TOKEN_NOUN and segments[index + 1]:
            segments[index + 1] = REDACTED
    return "/".join(segments)

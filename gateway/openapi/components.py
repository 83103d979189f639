"""Shared components: Kazoo's envelopes, error replies, headers, parameters, security."""

from __future__ import annotations

from typing import Any

from apispec import APISpec

from gateway.crossbar.envelope import JSON

Json = dict[str, Any]
SECURITY = "authToken"
SUCCESS = "SuccessEnvelope"
ERROR = "ErrorEnvelope"
# Kazoo's JSON errors (§6.4) and the HTTP layer's empty-bodied ones.
JSON_ERRORS = {
    400: "Validation error or malformed request (`validation error`, `invalid request`)",
    401: "No, wrong or expired credentials (`invalid_credentials`)",
    403: "Outside the caller's account tree or privilege (`forbidden`)",
    404: "Unknown id (`bad_identifier`), path (`not_found`) or page size (`faulty_request`)",
    405: "The path does not serve this verb (`invalid_method`)",
    409: "The document changed meanwhile (`datastore_conflict`), a number is taken, or the "
    "first request with this `Idempotency-Key` is still running",
    416: "An unpaginated listing larger than the server allows",
    422: "An `Idempotency-Key` sent again with another request (`idempotency_key_reused`)",
    429: "Rate limited (`too_many_requests`): retry after `Retry-After` seconds",
    500: "Unexpected fault (`unspecified_fault`) or Kazoo's own 500s",
    503: "The datastore is unreachable (`datastore_unreachable`)",
}
EMPTY_ERRORS = {
    304: "Not modified: `If-None-Match` names the current ETag",
    406: "No acceptable response type for `Accept`",
    412: "`If-Match` does not name the current revision",
    415: "Unsupported request `Content-Type`",
}
RATE_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
REQUEST_ID_PATTERN = r"^[A-Za-z0-9._:-]{1,128}$"

_SUCCESS: Json = {
    "type": "object",
    "description": "Kazoo's success envelope.",
    "required": ["status", "request_id", "timestamp", "node", "version"],
    "properties": {
        "data": {"description": "The payload: a document, a listing's rows, or a string."},
        "status": {"const": "success"},
        "request_id": {"type": "string"},
        "revision": {"type": "string", "description": "The document's revision or a list's MD5"},
        "timestamp": {"type": "string", "format": "date-time"},
        "auth_token": {"type": "string"},
        "node": {"type": "string"},
        "version": {"type": "string"},
        "page_size": {"type": "integer", "minimum": 0},
        "start_key": {"type": "string"},
        "next_start_key": {"type": "string", "description": "Absent on the last page"},
        "tokens": {
            "type": "object",
            "properties": {"consumed": {"type": "integer"}, "remaining": {"type": "integer"}},
        },
    },
}
_ERROR: Json = {
    "type": "object",
    "description": "Kazoo's error envelope.",
    "required": ["data", "error", "message", "status", "request_id", "timestamp"],
    "properties": {
        "data": {"description": "Details: validation errors by dotted path, or a message."},
        "error": {"type": "string", "pattern": "^[0-9]{3}$", "description": "The HTTP status"},
        "message": {"type": "string"},
        "status": {"const": "error"},
        "request_id": {"type": "string"},
        "timestamp": {"type": "string", "format": "date-time"},
        "auth_token": {"type": "string"},
        "node": {"type": "string"},
        "version": {"type": "string"},
    },
}
_HEADERS: dict[str, Json] = {
    "X-Request-ID": {
        "description": "The request's id: the client's own when sane, else 32 hex",
        "required": True,
        "schema": {"type": "string"},
    },
    "X-RateLimit-Limit": {
        "description": "The size of the caller's request bucket",
        "schema": {"type": "integer"},
    },
    "X-RateLimit-Remaining": {
        "description": "Requests left in the bucket",
        "schema": {"type": "integer"},
    },
    "X-RateLimit-Reset": {
        "description": "Unix second at which the bucket is full again",
        "schema": {"type": "integer"},
    },
    "Retry-After": {
        "description": "Seconds to wait before retrying",
        "schema": {"type": "integer"},
    },
    "Idempotent-Replayed": {
        "description": "`true` when this is the stored reply to an earlier `Idempotency-Key`",
        "schema": {"type": "string", "enum": ["true", "false"]},
    },
}
_PARAMETERS: dict[str, Json] = {
    "page_size": {
        "in": "query",
        "description": "Rows per page (Kazoo: a non-integer or < 1 is 404 `faulty_request`)",
        "schema": {"type": "integer", "minimum": 1},
    },
    "start_key": {
        "in": "query",
        "description": "The opaque cursor of a previous page's `next_start_key`",
        "schema": {"type": "string"},
    },
    "paginate": {
        "in": "query",
        "description": "Any value but `true` returns every row, unpaginated",
        "schema": {"type": "string", "enum": ["true", "false"]},
    },
    "created_from": {
        "in": "query",
        "description": "Rows created at or after this Gregorian second",
        "schema": {"type": "integer", "minimum": 0},
    },
    "created_to": {
        "in": "query",
        "description": "Rows created at or before this Gregorian second",
        "schema": {"type": "integer", "minimum": 0},
    },
    "accept": {
        "in": "query",
        "description": "Overrides `Accept`: `csv` (text/csv) or `json` (application/json)",
        "schema": {"type": "string", "enum": ["json", "csv", JSON, "text/csv"]},
    },
    "filters": {
        "in": "query",
        "description": "`filter_<key>=<value>` and `filter_not_<key>=<value>`: rows whose "
        "(dotted) key equals, or does not equal, the value (a JSON array: any of them)",
        "style": "form",
        "explode": True,
        "schema": {
            "type": "object",
            "propertyNames": {"pattern": "^filter_(not_)?[a-z][a-z0-9_.]{0,30}$"},
            "additionalProperties": {"type": "string", "maxLength": 64},
            "maxProperties": 3,
        },
    },
    "Idempotency-Key": {
        "in": "header",
        "description": "A write sent again with the same key gets the first reply back",
        "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    },
    "X-Request-ID": {
        "in": "header",
        "description": "The client's own request id, echoed when it matches the pattern",
        "schema": {"type": "string", "pattern": REQUEST_ID_PATTERN},
    },
}
LISTING_PARAMETERS = (
    "page_size",
    "start_key",
    "paginate",
    "filters",
    "created_from",
    "created_to",
    "accept",
)


def ref(kind: str, name: str) -> Json:
    """A local `$ref` to a component."""
    return {"$ref": f"#/components/{kind}/{name}"}


def reply_headers(status: int) -> Json:
    """The headers every reply carries (and `Retry-After` on 429)."""
    names = ["X-Request-ID", *RATE_HEADERS, "Idempotent-Replayed"]
    if status == 429:
        names.append("Retry-After")
    return {name: ref("headers", name) for name in names}


def error_name(status: int) -> str:
    """The response component of one error status."""
    return f"Error{status}"


def register(spec: APISpec) -> None:
    """Add the envelopes, headers, parameters, error replies and the token scheme."""
    components = spec.components
    components.schema(SUCCESS, _SUCCESS)
    components.schema(ERROR, _ERROR)
    for header, described in _HEADERS.items():
        components.header(header, described)
    for name, parameter in _PARAMETERS.items():
        components.parameter(name, parameter["in"], parameter)
    for status, text in JSON_ERRORS.items():
        components.response(
            error_name(status),
            {
                "description": text,
                "headers": reply_headers(status),
                "content": {JSON: {"schema": ref("schemas", ERROR)}},
            },
        )
    for status, text in EMPTY_ERRORS.items():
        components.response(
            error_name(status), {"description": text, "headers": reply_headers(status)}
        )
    components.security_scheme(
        SECURITY,
        {
            "type": "apiKey",
            "in": "header",
            "name": "X-Auth-Token",
            "description": "A token from `PUT /v2/user_auth` or `PUT /v2/api_auth`",
        },
    )

"""Bounds on a request's path, query string and headers, checked before anything reads them.

Each refusal is a 400 validation error keyed `path`, `query` or `headers`. aiohttp refuses a
request line or header line past 8190 bytes, more than 128 headers, and control characters in
header values itself (a plain-text 400), before any of this runs.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from aiohttp import web
from multidict import CIMultiDictProxy

from gateway.crossbar.errors import invalid

MAX_SEGMENTS = 16
# A token travels in a path (`user_auth/{token}`): a signed one runs to several hundred characters.
MAX_SEGMENT_LENGTH = 2_048
# Below aiohttp's 8190-byte request line, so a long query gets this answer, not aiohttp's.
MAX_QUERY_LENGTH = 8_000
# Kazoo listings take many `filter_*` parameters; repeated names count.
MAX_QUERY_PARAMS = 100
MAX_QUERY_NAME = 256
MAX_QUERY_VALUE = 4_096
MAX_HEADERS = 100
MAX_HEADER_VALUE = 4_096
# Browsers send every cookie of the host; the gateway reads none (aiohttp bounds the line).
UNBOUNDED_HEADERS = frozenset({"cookie"})
# Headers the gateway reads: only printable UTF-8 (non-UTF-8 bytes arrive as lone surrogates).
READ_HEADERS = (
    "X-Auth-Token",
    "Authorization",
    "X-Auth-Account-ID",
    "X-HTTP-Method-Override",
    "Idempotency-Key",
    "X-File-Name",
)
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\ud800-\udfff]")


def check_request(request: web.Request) -> None:
    """400 when the path, the query string or the headers pass a bound."""
    path, _, query = request.raw_path.partition("?")
    _check_path(path)
    if query:
        _check_query(query)
    _check_headers(request.headers)


def _check_path(path: str) -> None:
    # Segments as the tokenizer splits them: no leading or trailing empty ones.
    segments = path.split("/")
    if segments and segments[0] == "":
        segments = segments[1:]
    while segments and segments[-1] == "":
        segments.pop()
    if len(segments) > MAX_SEGMENTS:
        raise invalid(
            "path",
            "maxItems",
            f"The path must not have more than {MAX_SEGMENTS} segments",
            target=MAX_SEGMENTS,
        )
    for segment in segments:
        decoded = _decoded(segment)
        if decoded is None or "\x00" in decoded:
            raise invalid(
                "path", "invalid", "Path segments must be UTF-8 without NUL once percent-decoded"
            )
        if len(decoded) > MAX_SEGMENT_LENGTH:
            raise invalid(
                "path",
                "maxLength",
                f"Path segments must not be more than {MAX_SEGMENT_LENGTH} characters",
                target=MAX_SEGMENT_LENGTH,
            )


def _check_query(query: str) -> None:
    if len(query) > MAX_QUERY_LENGTH:
        raise invalid(
            "query",
            "maxLength",
            f"The query string must not be more than {MAX_QUERY_LENGTH} characters",
            target=MAX_QUERY_LENGTH,
        )
    pieces = [piece for piece in query.split("&") if piece]
    if len(pieces) > MAX_QUERY_PARAMS:
        raise invalid(
            "query",
            "maxItems",
            f"The query string must not have more than {MAX_QUERY_PARAMS} parameters",
            target=MAX_QUERY_PARAMS,
        )
    for piece in pieces:
        raw_name, _, raw_value = piece.partition("=")
        name = _decoded(raw_name, plus=True)
        if name is None or "\x00" in name:
            raise invalid(
                "query", "invalid", "Parameter names must be UTF-8 without NUL once decoded"
            )
        if len(name) > MAX_QUERY_NAME:
            raise invalid(
                "query",
                "maxLength",
                f"Parameter names must not be more than {MAX_QUERY_NAME} characters",
                target=MAX_QUERY_NAME,
            )
        value = _decoded(raw_value, plus=True)
        if value is None or "\x00" in value:
            raise invalid(
                "query",
                "invalid",
                "Parameter values must be UTF-8 without NUL once decoded",
                cause=name,
            )
        if len(value) > MAX_QUERY_VALUE:
            raise invalid(
                "query",
                "maxLength",
                f"Parameter values must not be more than {MAX_QUERY_VALUE} characters",
                target=MAX_QUERY_VALUE,
                cause=name,
            )


def _check_headers(headers: CIMultiDictProxy[str]) -> None:
    if len(headers) > MAX_HEADERS:
        raise invalid(
            "headers",
            "maxItems",
            f"A request must not have more than {MAX_HEADERS} headers",
            target=MAX_HEADERS,
        )
    for value in headers.values():
        if len(value) > MAX_HEADER_VALUE:
            _check_header_lengths(headers)
            break
    for name in READ_HEADERS:
        # Handlers read the first value of a header.
        read = headers.get(name)
        if read is None or read.isascii() and read.isprintable():
            continue
        if _UNPRINTABLE.search(read):
            raise invalid(
                "headers",
                "invalid",
                f"{name} must be UTF-8 without control characters",
                cause=name,
            )


def _check_header_lengths(headers: CIMultiDictProxy[str]) -> None:
    for name, value in headers.items():
        if len(value) > MAX_HEADER_VALUE and name.lower() not in UNBOUNDED_HEADERS:
            raise invalid(
                "headers",
                "maxLength",
                f"Header values must not be more than {MAX_HEADER_VALUE} characters",
                target=MAX_HEADER_VALUE,
                cause=name,
            )


def _decoded(raw: str, plus: bool = False) -> str | None:
    """A percent-encoded text decoded as strict UTF-8 (`+` as a space in a query); None when
    it is not UTF-8."""
    if plus:
        raw = raw.replace("+", " ")
    if "%" not in raw and raw.isascii():
        return raw
    try:
        return unquote_to_bytes(raw.encode("utf-8", "surrogateescape")).decode("utf-8")
    except UnicodeError:
        return None

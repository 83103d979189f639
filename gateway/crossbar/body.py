"""Reads the request body into Kazoo's envelope, bounded in size and shape."""

from __future__ import annotations

import codecs
import json
import re
from math import isfinite
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from gateway.crossbar.errors import InvalidData, invalid

FORM = "application/x-www-form-urlencoded"
# Bounds checked before any recursive code (validation, merging, rendering) sees a body.
MAX_DEPTH = 64
MAX_NODES = 100_000
# What the store can hold: 64-bit integers, finite floats, strings without NUL or lone surrogates.
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
_SURROGATE = re.compile(r"[\ud800-\udfff]")
JSON_LIKE = frozenset({"", "application/json", "application/x-json", FORM})


async def read_body(request: web.Request, limit: int) -> bytes:
    """The raw body; a 400 `file.maxSize` error past `limit` bytes (Kazoo answers 400)."""
    length = request.content_length
    if length is not None and length > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_chunked(65536):
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> InvalidData:
    return invalid(
        "file",
        "maxSize",
        f"Payload or Files must not be more than {limit} bytes",
        target=limit,
    )


def parse_envelope(raw: bytes, content_type: str) -> dict[str, Any]:
    """The request envelope with normalised top-level keys; {} for an empty body."""
    if not raw.strip() or content_type not in JSON_LIKE:
        return {}
    if content_type == FORM and not raw.lstrip().startswith((b"{", b"[")):
        return _normalise(parse_form(raw))
    envelope = parse_json(raw)
    if not isinstance(envelope, dict):
        raise invalid("json", "invalid", "All JSON must be valid", target="body")
    envelope = _normalise(envelope)
    if "data" not in envelope:
        raise invalid("data", "required", "Field is required but missing", value="data")
    if not isinstance(envelope["data"], dict | list):
        raise invalid(
            "data",
            "type",
            "Value did not match type(s): object, array",
            target="object, array",
            value=envelope["data"],
        )
    return envelope


def parse_json(raw: bytes) -> Any:
    """A UTF-8 JSON document checked by `check_shape`; Kazoo's `json.invalid` 400 if not."""
    text = _utf8(raw.removeprefix(codecs.BOM_UTF8))
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise invalid("json", "invalid", f"{err.msg} around {err.pos}", target="body") from None
    except RecursionError:
        raise _too_deep() from None
    except ValueError:
        raise invalid("json", "invalid", "All JSON must be valid", target="body") from None
    check_shape(value)
    return value


def _utf8(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise invalid(
            "json",
            "invalid",
            f"Body must be UTF-8: invalid byte around {err.start}",
            target="body",
        ) from None


def parse_form(raw: bytes) -> dict[str, Any]:
    """A form body as a dict; percent-escapes that are not UTF-8 are refused, not replaced."""
    try:
        pairs = parse_qsl(_utf8(raw), errors="strict", max_num_fields=MAX_NODES)
    except UnicodeDecodeError:
        raise invalid(
            "json", "invalid", "Form fields must be UTF-8 once percent-decoded", target="body"
        ) from None
    except ValueError:
        raise _too_many(MAX_NODES) from None
    form = dict(pairs)
    check_shape(form)
    return form


def _normalise(envelope: dict[str, Any]) -> dict[str, Any]:
    return {str(key).lower().replace("-", "_"): value for key, value in envelope.items()}


def _too_deep() -> InvalidData:
    return invalid(
        "json", "maxDepth", f"JSON must not nest more than {MAX_DEPTH} levels", target=MAX_DEPTH
    )


def _too_many(max_nodes: int) -> InvalidData:
    return invalid(
        "json", "maxItems", f"JSON must not hold more than {max_nodes} values", target=max_nodes
    )


# A container's place in the body: (key, the parent's trail), None at the root.
Trail = tuple[str | int, "Trail"] | None


def check_shape(value: Any, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES) -> None:
    """400 unless a parsed envelope is storable: at most `max_depth` levels and `max_nodes`
    values, strings without NUL or lone surrogates, 64-bit integers, finite floats.

    One pass without recursion (no shape can exhaust the stack); only containers go on the
    stack, each with its trail so that a refusal names the field."""
    if not isinstance(value, dict | list):
        _check_scalar(value, None, None)
        return
    pending: list[tuple[dict[str, Any] | list[Any], int, Trail]] = [(value, 1, None)]
    nodes = 1
    while pending:
        item, depth, trail = pending.pop()
        nodes += len(item)
        if nodes > max_nodes:
            raise _too_many(max_nodes)
        if depth >= max_depth and item:
            raise _too_deep()
        pairs = item.items() if isinstance(item, dict) else enumerate(item)
        for key, child in pairs:
            if type(key) is str and (
                "\x00" in key or not key.isascii() and _SURROGATE.search(key)
            ):
                raise invalid(
                    _field(trail, None),
                    "invalid",
                    "Property names must not contain NUL characters or lone surrogates",
                )
            kind = type(child)
            if kind is str:
                if "\x00" in child or not child.isascii() and _SURROGATE.search(child):
                    _check_scalar(child, trail, key)
            elif kind is int:
                if not INT64_MIN <= child <= INT64_MAX:
                    _check_scalar(child, trail, key)
            elif kind is float:
                if not isfinite(child):
                    _check_scalar(child, trail, key)
            elif (kind is dict or kind is list) and child:
                pending.append((child, depth + 1, (key, trail)))


def _check_scalar(value: Any, trail: Trail, key: str | int | None) -> None:
    """400 naming the field when a string, integer or float cannot be stored."""
    if isinstance(value, str):
        if "\x00" in value:
            raise invalid(_field(trail, key), "invalid", "Strings must not contain NUL (\\u0000)")
        if _SURROGATE.search(value):
            raise invalid(
                _field(trail, key), "invalid", "Strings must not contain lone UTF-16 surrogates"
            )
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if value > INT64_MAX:
            raise invalid(
                _field(trail, key),
                "maximum",
                f"Integers must be at most {INT64_MAX} (64-bit)",
                target=INT64_MAX,
                value=value,
            )
        if value < INT64_MIN:
            raise invalid(
                _field(trail, key),
                "minimum",
                f"Integers must be at least {INT64_MIN} (64-bit)",
                target=INT64_MIN,
                value=value,
            )
    elif isinstance(value, float) and not isfinite(value):
        raise invalid(
            _field(trail, key),
            "invalid",
            "Numbers must be finite: NaN, Infinity and floats past 1.8e308 are refused",
        )


def _field(trail: Trail, key: str | int | None) -> str:
    """Kazoo's dotted path (literal dots as %2E), without the envelope's `data` key."""
    parts: list[str | int] = [] if key is None else [key]
    while trail is not None:
        key, trail = trail
        parts.append(key)
    parts.reverse()
    if len(parts) > 1 and str(parts[0]).lower() == "data":
        parts = parts[1:]
    return ".".join(str(part).replace(".", "%2E") for part in parts) or "json"

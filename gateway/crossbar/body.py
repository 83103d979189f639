"""Reads the request body into Kazoo's envelope, bounded in size."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from gateway.crossbar.errors import InvalidData, invalid

FORM = "application/x-www-form-urlencoded"
# Bounds checked before any recursive code (validation, merging, rendering) sees a body.
MAX_DEPTH = 64
MAX_NODES = 100_000
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
        return _normalise(dict(parse_qsl(raw.decode("utf-8", "replace"))))
    try:
        envelope = json.loads(raw)
    except json.JSONDecodeError as err:
        raise invalid("json", "invalid", f"{err.msg} around {err.pos}", target="body") from None
    except RecursionError:
        raise _too_deep() from None
    except ValueError:
        raise invalid("json", "invalid", "All JSON must be valid", target="body") from None
    if not isinstance(envelope, dict):
        raise invalid("json", "invalid", "All JSON must be valid", target="body")
    check_shape(envelope)
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


def _normalise(envelope: dict[str, Any]) -> dict[str, Any]:
    return {str(key).lower().replace("-", "_"): value for key, value in envelope.items()}


def _too_deep() -> InvalidData:
    return invalid(
        "json", "maxDepth", f"JSON must not nest more than {MAX_DEPTH} levels", target=MAX_DEPTH
    )


def check_shape(value: Any, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES) -> None:
    """400 when a parsed body nests too deep or holds too many values (walked without
    recursion, so no shape can exhaust the stack)."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    nodes = 0
    while pending:
        item, depth = pending.pop()
        nodes += 1
        if nodes > max_nodes:
            raise invalid(
                "json",
                "maxItems",
                f"JSON must not hold more than {max_nodes} values",
                target=max_nodes,
            )
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        )
        if children and depth >= max_depth:
            raise _too_deep()
        pending.extend((child, depth + 1) for child in children)

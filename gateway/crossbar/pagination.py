"""Page size, order and opaque keyset cursors (pure)."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Any

from gateway.crossbar.errors import FaultyRequest

DEFAULT_PAGE_SIZE = 50
_MARK = "\x01"
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_TOP = "\U0010ffff"


@dataclass(frozen=True)
class PageRequest:
    """What a listing was asked for."""

    size: int | None
    descending: bool
    start: str | None
    start_key: str | None


def encode_key(sort_value: str) -> str:
    """The opaque `next_start_key` for a row's sort value."""
    raw = (_MARK + sort_value).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_key(key: str) -> tuple[str, bool]:
    """(sort value, exact); a key we did not issue is taken as a raw view key prefix."""
    try:
        raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return key.lower(), False
    if raw.startswith(_MARK):
        return raw[1:], True
    return key.lower(), False


def parse_page_request(params: dict[str, Any], default_size: int, max_size: int) -> PageRequest:
    """Read page_size, paginate, ascending/descending and start_key."""
    paginate = params.get("paginate")
    if paginate is not None and paginate is not True and paginate != "true":
        size = None
    else:
        size = _page_size(params.get("page_size"), default_size, max_size)
    descending = params.get("descending") in ("true", True) or params.get("ascending") in (
        None,
        "false",
        False,
    )
    start_key = params.get("start_key")
    start_key = str(start_key) if start_key not in (None, "") else None
    return PageRequest(size, descending, start_key, start_key)


def _page_size(raw: Any, default: int, maximum: int) -> int:
    if raw is None:
        return default
    if isinstance(raw, int) and not isinstance(raw, bool):
        size = raw
    elif isinstance(raw, str) and _INTEGER.match(raw):
        size = int(raw)
    else:
        raise FaultyRequest("invalid page size")
    if size < 1:
        raise FaultyRequest("page size must be at least 1")
    return min(size, maximum)


def cursor_condition(start_key: str, descending: bool) -> dict[str, str]:
    """The single range condition on the sort field that resumes at `start_key`."""
    value, exact = decode_key(start_key)
    if descending:
        return {"$lte": value if exact else value + _TOP}
    return {"$gte": value}

"""Kazoo query-string filters as one flat database query (pure)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from gateway.crossbar.body import INT64_MAX, INT64_MIN
from gateway.crossbar.errors import invalid

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$")
_RANGES = {
    "created_from": ("pvt_created", "$gte"),
    "created_to": ("pvt_created", "$lte"),
    "modified_from": ("pvt_modified", "$gte"),
    "modified_to": ("pvt_modified", "$lte"),
}
_EMPTY: list[Any] = [None, ""]


def filter_query(params: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """Translate filter_*, filter_not_*, has_key, key_missing, has_value and created/modified
    ranges into {field: {operator: value}}; see row_check for the rest of the emptiness rules."""
    query: dict[str, dict[str, Any]] = {}
    for name, raw in params.items():
        if name.startswith("filter_not_"):
            _add(query, _field(name, name[11:]), "$nin", _candidates(raw))
        elif name.startswith("filter_"):
            _add(query, _field(name, name[7:]), "$in", _candidates(raw))
        elif name == "has_key":
            _add(query, _field(name, raw), "$exists", True)
        elif name == "key_missing":
            _add(query, _field(name, raw), "$exists", False)
        elif name == "has_value":
            key = _field(name, raw)
            _add(query, key, "$exists", True)
            _add(query, key, "$nin", list(_EMPTY))
        elif name == "value_missing":
            _field(name, raw)
        elif name in _RANGES:
            target, operator = _RANGES[name]
            _add(query, target, operator, _gregorian(name, raw))
    return query


def row_check(params: Mapping[str, str]) -> Callable[[Mapping[str, Any]], bool] | None:
    """The emptiness rules a flat query cannot state: `[]` and `{}` count as empty too.

    `has_value` is narrowed in the query and finished here; `value_missing` ("absent or empty")
    is an OR, so it is decided here alone.
    """
    wanted = [
        (_field(name, raw), name == "has_value")
        for name, raw in params.items()
        if name in ("has_value", "value_missing")
    ]
    if not wanted:
        return None

    def keep(doc: Mapping[str, Any]) -> bool:
        return all(_is_empty(_lookup(doc, key)) != has_value for key, has_value in wanted)

    return keep


def _lookup(doc: Mapping[str, Any], dotted: str) -> Any:
    value: Any = doc
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _field(param: str, key: str) -> str:
    if not _KEY.match(key) or key.split(".", 1)[0].startswith("pvt_"):
        raise invalid(param, "invalid", "Filter key is not allowed", value=key)
    return key


def _candidates(raw: str) -> list[Any]:
    values: list[Any] = [raw]
    if raw.startswith("["):
        try:
            parsed = json.loads(raw)
        except (ValueError, RecursionError):
            parsed = None
        if isinstance(parsed, list):
            values = [item if isinstance(item, str) else json.dumps(item) for item in parsed]
    out: list[Any] = []
    for value in values:
        out.append(value)
        out.extend(_typed(value))
    return out


def _typed(value: str) -> list[Any]:
    """Stored JSON values whose text is exactly `value` (Kazoo compares text)."""
    try:
        parsed = json.loads(value)
    except (ValueError, RecursionError):
        return []
    if isinstance(parsed, int) and not INT64_MIN <= parsed <= INT64_MAX:
        return []  # nothing stored can equal it, and the store takes 64-bit integers only
    if isinstance(parsed, bool | int | float) and json.dumps(parsed) == value:
        return [parsed]
    return []


def _gregorian(param: str, raw: str) -> int:
    try:
        seconds = int(raw)
    except ValueError:
        raise invalid(param, "type", "Value did not match type(s): integer", value=raw) from None
    if not INT64_MIN <= seconds <= INT64_MAX:
        raise invalid(param, "maximum", "Value must fit in 64 bits", target=INT64_MAX)
    return seconds


def _add(query: dict[str, dict[str, Any]], key: str, operator: str, value: Any) -> None:
    conditions = query.setdefault(key, {})
    if operator not in conditions:
        conditions[operator] = value
    elif operator == "$in":
        conditions["$in"] = [v for v in conditions["$in"] if v in value]
    elif operator == "$nin":
        conditions["$nin"] = conditions["$nin"] + [v for v in value if v not in conditions["$nin"]]
    elif operator == "$exists" and conditions["$exists"] != value:
        conditions.pop("$exists")
        conditions["$in"] = []
    elif operator in ("$gte", "$lte"):
        keep = max if operator == "$gte" else min
        conditions[operator] = keep(conditions[operator], value)

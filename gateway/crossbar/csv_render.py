"""Kazoo's generic CSV rendering of listings (pure)."""

from __future__ import annotations

import json
from typing import Any

_PRETTY = {
    "account_id": "Account ID",
    "id": "ID",
    "amount": "Amount",
    "description": "Description",
}


def flatten(doc: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Nested keys joined with '_'; lists joined with ',' in one cell."""
    flat: dict[str, str] = {}
    for key, value in doc.items():
        name = f"{prefix}_{key}" if prefix else str(key)
        if isinstance(value, dict):
            flat.update(flatten(value, name))
        elif isinstance(value, list):
            flat[name] = ",".join(_cell(item) for item in value)
        else:
            flat[name] = _cell(value)
    return flat


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def _quote(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"' if cell else ""


def render_csv(data: Any) -> str:
    """A header row and one row per object; every non-empty cell quoted."""
    items = data if isinstance(data, list) else [data]
    # A listing of plain values (schema names, sample names) is one `value` column.
    rows = [flatten(item) if isinstance(item, dict) else {"value": _cell(item)} for item in items]
    columns: list[str] = []
    for row in rows:
        columns.extend(key for key in row if key not in columns)
    lines = [",".join(_quote(_PRETTY.get(column, column)) for column in columns)]
    lines.extend(",".join(_quote(row.get(column, "")) for column in columns) for row in rows)
    return "".join(line + "\n" for line in lines)

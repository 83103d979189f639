"""PATCH deep merge with Kazoo's rules (pure)."""

from __future__ import annotations

from typing import Any


def deep_merge(current: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """Merge `patch` over `current`: objects recurse, `null` deletes, `{}` clears."""
    merged = dict(current)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and value and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def public(doc: dict[str, Any]) -> dict[str, Any]:
    """Drop top-level private keys (`_*`, `pvt_*`)."""
    return {key: value for key, value in doc.items() if not is_private(key)}


def is_private(key: str) -> bool:
    """Kazoo hides keys that start with `_` or `pvt_`."""
    return key.startswith(("_", "pvt_"))

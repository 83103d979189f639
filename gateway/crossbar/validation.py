"""Marshmallow errors -> Kazoo's validation shape {dotted.path: {rule: detail}}."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError

from gateway.crossbar.errors import InvalidData
from schemas.fields import instance_of


def kazoo_errors(messages: Any, prefix: str = "") -> dict[str, dict[str, Any]]:
    """Flatten nested marshmallow messages into Kazoo's dotted-path errors."""
    out: dict[str, dict[str, Any]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            part = str(key).replace(".", "%2E")
            path = f"{prefix}.{part}" if prefix else part
            out.update(kazoo_errors(value, path))
        return out
    items = messages if isinstance(messages, list) else [messages]
    leaf = out.setdefault(prefix or "data", {})
    for item in items:
        if isinstance(item, dict) and all(isinstance(v, dict) for v in item.values()):
            for rule, detail in item.items():
                detail = dict(detail)
                if rule == "required" and "value" not in detail:
                    detail["value"] = prefix.rsplit(".", 1)[-1]
                leaf[rule] = detail
        elif isinstance(item, dict):
            out.update(kazoo_errors(item, prefix))
        else:
            leaf.setdefault("invalid", {"message": str(item)})
    if not leaf:
        out.pop(prefix or "data")
    return out


def load(schema: type[Schema], data: dict[str, Any]) -> dict[str, Any]:
    """Load `data` with `schema`; raise InvalidData in Kazoo's shape."""
    try:
        loaded: dict[str, Any] = instance_of(schema).load(data)
    except ValidationError as err:
        raise InvalidData(kazoo_errors(err.messages)) from None
    return loaded

"""Reading and setting one dotted place (`caller_id.external.name`) of a Kazoo document."""

from __future__ import annotations

from typing import Any

Doc = dict[str, Any]


def value_at(doc: Doc, path: tuple[str, ...]) -> Any:
    """The value at `path`, or None when any step is missing."""
    value: Any = doc
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def put_at(doc: Doc, path: tuple[str, ...], value: Any) -> None:
    """Set `path` to `value` in `doc`; None removes it and creates nothing on the way. Objects
    on the way are copied, so whatever else shares them (the document as read) stays as it was."""
    *parents, last = path
    node = doc
    for part in parents:
        child = node.get(part)
        if not isinstance(child, dict):
            if value is None:
                return
            child = {}
        node[part] = dict(child)
        node = node[part]
    if value is None:
        node.pop(last, None)
    else:
        node[last] = value

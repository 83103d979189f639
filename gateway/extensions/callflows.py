"""The callflows of extensions: a user's (ring the user, then its box) and the features'."""

from __future__ import annotations

import copy
from typing import Any

from gateway.crossbar.documents import Doc
from gateway.extensions.parts import MODULES, Parts, content, node_data, voicemail_id
from gateway.resources.callflows import CALLFLOW_DOCS, to_e164

# SmartPBX's tag for a user's own callflow.
USER_CALLFLOW = "mainUserCallflow"


def split_name(name: str) -> tuple[str, str]:
    """First and last name (both required by Kazoo): split at the last space; one word is
    both, shown once by `display_name`."""
    first, _, last = name.strip().rpartition(" ")
    return (first.strip(), last) if first.strip() else (last, last)


def _voicemail(box_id: str) -> Doc:
    return {"module": "voicemail", "data": {"id": box_id}, "children": {}}


def user_callflow(name: str, number: str, user_id: str, box_id: str | None, timeout: Any) -> Doc:
    """SmartPBX's callflow of a user: ring the user's devices, then its box."""
    data: Doc = {"id": user_id, "can_call_self": False}
    if timeout is not None:
        data["timeout"] = timeout
    return {
        "name": f"{name} extension",
        "numbers": [number],
        "owner_id": user_id,
        "type": USER_CALLFLOW,
        "flow": {
            "module": "user",
            "data": data,
            "children": {"_": _voicemail(box_id)} if box_id else {},
        },
    }


def edited_callflow(parts: Parts, number: str, box_id: str | None, data: Doc) -> Doc:
    """The user's callflow with its number moved, its box child set and `data` merged into the
    user node's (None removes a key)."""
    assert parts.callflow is not None and parts.number is not None
    doc = copy.deepcopy(content(CALLFLOW_DOCS, parts.callflow))
    old = to_e164(parts.number)
    doc["numbers"] = [number if value == old else value for value in doc.get("numbers") or []]
    node = doc["flow"]
    children = node.get("children") if isinstance(node.get("children"), dict) else {}
    if box_id is not None and voicemail_id(parts.callflow) != box_id:
        node["children"] = {**children, "_": _voicemail(box_id)}
    elif box_id is None and voicemail_id(parts.callflow) is not None:
        node["children"] = {key: child for key, child in children.items() if key != "_"}
    if data:
        merged = {**node_data(node), **data}
        node["data"] = {key: value for key, value in merged.items() if value is not None}
    return doc


def feature_flow(kind: str, conference_id: str | None) -> Doc:
    """The first node of a conference (its room), parking (next free slot) or paging (its
    members are set on /v2: `data.endpoints`) extension."""
    data: Doc = {"id": conference_id}
    if kind == "parking":
        data = {"action": "park"}
    elif kind == "paging":
        data = {"endpoints": [], "audio": "one-way"}
    return {"module": MODULES[kind], "data": data, "children": {}}

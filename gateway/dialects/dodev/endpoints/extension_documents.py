"""The Kazoo documents of a new or changed extension: its user's fields, its callflows."""

from __future__ import annotations

import copy
from typing import Any

from gateway.crossbar.documents import Doc
from gateway.dialects.dodev.endpoints.extension_parts import (
    MODULES,
    Parts,
    content,
    display_name,
    voicemail_id,
)
from gateway.dialects.dodev.errors import invalid_field
from gateway.dialects.dodev.paths import put_at
from gateway.resources.callflows import CALLFLOW_DOCS, to_e164

# SmartPBX's tag for a user's own callflow.
USER_CALLFLOW = "mainUserCallflow"
# The user's caller id fields of an extension.
CALLER_ID = {
    "caller_id_name": ("caller_id", "external", "name"),
    "caller_id_number": ("caller_id", "external", "number"),
}


def split_name(name: str) -> tuple[str, str]:
    """First and last name (both required by Kazoo): split at the last space; one word is
    both, shown once by `display_name`."""
    first, _, last = name.strip().rpartition(" ")
    return (first.strip(), last) if first.strip() else (last, last)


def user_fields(doc: Doc, fields: Doc) -> Doc:
    """A user's content with the extension's fields applied."""
    user = copy.deepcopy(doc)
    if "name" in fields:
        user["first_name"], user["last_name"] = split_name(fields["name"])
    if "number" in fields:
        user["presence_id"] = fields["number"]
    if "name" in fields or "number" in fields:
        internal = {"name": display_name(user)[:35], "number": user["presence_id"]}
        put_at(user, ("caller_id", "internal"), internal)
    for name, path in CALLER_ID.items():
        if name in fields:
            put_at(user, path, fields[name])
    if "forwarding_number" in fields:
        put_at(user, ("call_forward", "number"), fields["forwarding_number"])
        put_at(user, ("call_forward", "enabled"), fields["forwarding_number"] is not None)
    if "forwarding_enabled" in fields:
        put_at(user, ("call_forward", "enabled"), fields["forwarding_enabled"])
    forward = user.get("call_forward") or {}
    if forward.get("enabled") and not forward.get("number"):
        raise invalid_field("forwardingNumber", "required", "Forwarding needs a forwardingNumber")
    return user


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


def edited_callflow(parts: Parts, number: str, box_id: str | None, fields: Doc) -> Doc:
    """The user's callflow with its number moved, its box child and ring timeout set."""
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
    if "forwarding_ring_timeout" in fields:
        put_at(node, ("data", "timeout"), fields["forwarding_ring_timeout"])
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

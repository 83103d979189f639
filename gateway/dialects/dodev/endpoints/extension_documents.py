"""A user's fields as a /v1/pbx extension sets them."""

from __future__ import annotations

import copy

from gateway.crossbar.documents import Doc
from gateway.dialects.dodev.errors import invalid_field
from gateway.dialects.dodev.paths import put_at
from gateway.extensions.callflows import split_name
from gateway.extensions.parts import display_name

# The user's caller id fields of an extension.
CALLER_ID = {
    "caller_id_name": ("caller_id", "external", "name"),
    "caller_id_number": ("caller_id", "external", "number"),
}


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

"""An extensions request's body, loaded and checked, and the extension its path names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gateway.crossbar.documents import Doc
from gateway.dialects.dodev.body import StrictSchema, load_fields
from gateway.dialects.dodev.endpoint import Call
from gateway.dialects.dodev.errors import invalid_field, invalid_fields
from gateway.dialects.dodev.ids import EXTENSION
from gateway.extensions.parts import KINDS, Parts, find_parts
from schemas.fields import Bool, Int, Str

# Extension numbers; longer numbers are phone numbers (Kazoo keeps those in E.164).
NUMBER = r"^[0-9]{1,7}$"
PHONE = r"^\+?[0-9]{2,20}$"
SECONDS = {"minimum": 5, "maximum": 300}
# What only user extensions have.
USER_ONLY = (
    "callerIdName",
    "callerIdNumber",
    "voicemailEnabled",
    "forwardingEnabled",
    "forwardingNumber",
    "forwardingRingTimeout",
)


class CreateBody(StrictSchema):
    """POST: `number` and `name` required."""

    number = Str(required=True, pattern=NUMBER)
    name = Str(required=True, min_length=1, max_length=128)
    type = Str(enum=KINDS, load_default="user")
    caller_id_name = Str(data_key="callerIdName", min_length=1, max_length=35)
    caller_id_number = Str(data_key="callerIdNumber", pattern=PHONE)
    voicemail_enabled = Bool(data_key="voicemailEnabled", load_default=True)
    forwarding_number = Str(data_key="forwardingNumber", pattern=PHONE)
    forwarding_ring_timeout = Int(data_key="forwardingRingTimeout", **SECONDS)


class PatchBody(StrictSchema):
    """PATCH: any field; null clears the caller id and forwarding ones."""

    number = Str(pattern=NUMBER)
    name = Str(min_length=1, max_length=128)
    type = Str(enum=KINDS)
    caller_id_name = Str(data_key="callerIdName", min_length=1, max_length=35, allow_none=True)
    caller_id_number = Str(data_key="callerIdNumber", pattern=PHONE, allow_none=True)
    voicemail_enabled = Bool(data_key="voicemailEnabled")
    forwarding_enabled = Bool(data_key="forwardingEnabled")
    forwarding_number = Str(data_key="forwardingNumber", pattern=PHONE, allow_none=True)
    forwarding_ring_timeout = Int(data_key="forwardingRingTimeout", allow_none=True, **SECONDS)


def body_fields(schema: type[StrictSchema], call: Call) -> tuple[Doc, Doc]:
    """The body as sent and as loaded (a name trimmed and never blank)."""
    raw = call.json_object()
    fields = load_fields(schema, raw)
    if "name" in fields:
        fields["name"] = fields["name"].strip()
        if not fields["name"]:
            raise invalid_field("name", "minLength", "name must not be blank")
    return raw, fields


def refuse_user_fields(raw: Mapping[str, Any], kind: str) -> None:
    """Only user extensions have caller id, voicemail and forwarding."""
    given = sorted(name for name in USER_ONLY if name in raw)
    if given:
        message = f"A {kind} extension has no such setting"
        raise invalid_fields(
            [{"field": name, "rule": "notAllowed", "message": message} for name in given]
        )


async def requested_parts(call: Call, *, whole: bool = False) -> Parts:
    """The extension the path's `id` names (404 when there is none)."""
    public_id = call.params["id"]
    parts = await find_parts(call.ctx, EXTENSION.document_id(public_id), whole=whole)
    if parts is None:
        raise EXTENSION.not_found(public_id)
    return parts

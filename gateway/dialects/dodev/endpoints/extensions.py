"""`/v1/pbx/extensions`: each extension's parts (see `gateway.extensions.parts`) made, changed and
removed through the same `save()`/`remove()` as /v2, all of them or none.

A change is checked whole before its first write: every part's Kazoo schema, the number free
(no other callflow, numbered user or mailbox holds it), nothing outside the extension still
pointing at a part that goes. Its writes then run in order (user, device, box, callflow;
removals the other way round) and a failure part way undoes the writes made, last first.
"""

from __future__ import annotations

import copy
import secrets

from gateway.crossbar.documents import Doc
from gateway.dialects.dodev.endpoint import Answer, Call, Endpoint
from gateway.dialects.dodev.endpoints.extension_checks import extension_in_use, refusals
from gateway.dialects.dodev.endpoints.extension_documents import user_fields
from gateway.dialects.dodev.endpoints.extension_input import (
    CreateBody,
    PatchBody,
    body_fields,
    refuse_user_fields,
    requested_parts,
)
from gateway.dialects.dodev.endpoints.extension_removal import delete_extension
from gateway.dialects.dodev.endpoints.extension_state import (
    extension_stats,
    list_extensions,
    read_extension,
    view,
)
from gateway.dialects.dodev.errors import invalid_field
from gateway.dialects.dodev.ids import EXTENSION
from gateway.extensions.callflows import edited_callflow, feature_flow, user_callflow
from gateway.extensions.lines import Lines, live_lines
from gateway.extensions.numbers import require_free, validate_parts
from gateway.extensions.parts import (
    Parts,
    all_or_nothing,
    content,
    display_name,
)
from gateway.extensions.removal import StillReferenced, refuse_referenced
from gateway.resources.callflows import CALLFLOW_DOCS
from gateway.resources.conferences import CONFERENCE_DOCS
from gateway.resources.devices import DEVICE_DOCS
from gateway.resources.users import USER_DOCS
from gateway.resources.vmboxes import VMBOX_DOCS
from gateway.store.ids import new_id


async def _require_free(
    call: Call, number: str, parts: Parts | None = None, *, mailbox: bool = False
) -> None:
    """NumberTaken (NUMBER_IN_USE, see `refusals`) unless only this extension holds `number`."""
    await require_free(call.ctx, number, parts.own_ids if parts else set(), mailbox=mailbox)


async def _create_user(call: Call, fields: Doc) -> tuple[Parts, Doc]:
    """User, SIP device, box (unless voicemailEnabled is false), callflow."""
    name, number = fields["name"], fields["number"]
    user_id, device_id, callflow_id = new_id(), new_id(), new_id()
    box_id = new_id() if fields["voicemail_enabled"] else None
    user = user_fields({}, fields)
    sip = {"username": f"user_{secrets.token_hex(8)}", "password": secrets.token_urlsafe(18)}
    device = {
        "name": f"{name} phone"[:128],
        "device_type": "sip_device",
        "owner_id": user_id,
        "sip": dict(sip),
    }
    box = {"name": f"{name} voicemail"[:128], "mailbox": number, "owner_id": user_id}
    timeout = fields.get("forwarding_ring_timeout")
    callflow = user_callflow(name, number, user_id, box_id, timeout)
    validate_parts(
        [
            (USER_DOCS, user),
            (DEVICE_DOCS, device),
            (VMBOX_DOCS, box if box_id else None),
            (CALLFLOW_DOCS, callflow),
        ]
    )
    await _require_free(call, number, mailbox=box_id is not None)
    async with all_or_nothing(call.ctx) as writes:
        saved_user = await writes.save(USER_DOCS, user, create_id=user_id)
        await writes.save(DEVICE_DOCS, device, create_id=device_id)
        if box_id is not None:
            await writes.save(VMBOX_DOCS, box, create_id=box_id)
        saved_flow = await writes.save(CALLFLOW_DOCS, callflow, create_id=callflow_id)
    realm = (call.ctx.account or {}).get("realm")
    return Parts("user", saved_flow, saved_user), {**sip, "realm": realm}


async def _create_feature(call: Call, kind: str, fields: Doc) -> Parts:
    """A callflow (after its conference document, for a conference)."""
    name, number = fields["name"], fields["number"]
    conference_id = new_id() if kind == "conference" else None
    conference = {"name": name} if conference_id else None
    callflow = {"name": name, "numbers": [number], "flow": feature_flow(kind, conference_id)}
    validate_parts([(CONFERENCE_DOCS, conference), (CALLFLOW_DOCS, callflow)])
    await _require_free(call, number)
    async with all_or_nothing(call.ctx) as writes:
        if conference is not None:
            await writes.save(CONFERENCE_DOCS, conference, create_id=conference_id)
        saved = await writes.save(CALLFLOW_DOCS, callflow, create_id=new_id())
    return Parts(kind, saved)


async def create_extension(call: Call) -> Answer:
    """POST: 201 with the extension and its device's SIP credentials (null for other types).

    Kept whole under an Idempotency-Key, as the device keeps its SIP password in clear."""
    raw, fields = body_fields(CreateBody, call)
    kind = fields["type"]
    if kind != "user":
        refuse_user_fields(raw, kind)
    async with refusals(call, fields["number"]):
        if kind == "user":
            parts, sip = await _create_user(call, fields)
        else:
            parts, sip = await _create_feature(call, kind, fields), None
    public_id = EXTENSION.public(parts.doc_id)
    # A new extension has no registration, channel or presence yet.
    shown = {**view(parts, Lines(call.account_id)), "sip": sip}
    return Answer(shown, 201, {"Location": f"/v1/pbx/extensions/{public_id}"})


async def _patch_user(call: Call, parts: Parts, fields: Doc) -> Parts:
    """User fields; the number moved on the user, its callflow and its box; the box made or
    removed; the ring timeout on the callflow (made when the change needs one)."""
    user, callflow, box = parts.user, parts.callflow, parts.vmbox
    assert user is not None and parts.number is not None
    number = fields.get("number", parts.number)
    moved = number != parts.number
    new_user = user_fields(content(USER_DOCS, user), fields)
    wants_box = fields.get("voicemail_enabled", box is not None)
    box_id = (box["id"] if box is not None else new_id()) if wants_box else None
    new_box: Doc | None = None
    if wants_box and box is None:
        new_box = {"name": f"{display_name(new_user)} voicemail"[:128], "mailbox": number}
        new_box["owner_id"] = user["id"]
    elif box is not None and wants_box and moved and box.get("mailbox") == parts.number:
        new_box = {**content(VMBOX_DOCS, box), "mailbox": number}
    new_flow: Doc | None = None
    if callflow is not None:
        timeout = fields.get("forwarding_ring_timeout")
        changes = {"timeout": timeout} if "forwarding_ring_timeout" in fields else {}
        new_flow = edited_callflow(parts, number, box_id, changes)
    elif wants_box or moved or fields.get("forwarding_ring_timeout") is not None:
        timeout = fields.get("forwarding_ring_timeout")
        new_flow = user_callflow(display_name(new_user), number, user["id"], box_id, timeout)
    validate_parts([(USER_DOCS, new_user), (VMBOX_DOCS, new_box), (CALLFLOW_DOCS, new_flow)])
    if moved or (callflow is None and new_flow) or (box is None and new_box):
        await _require_free(call, number, parts, mailbox=new_box is not None)
    dropped = box if box is not None and not wants_box else None
    if dropped is not None:
        try:
            await refuse_referenced(call.ctx, [dropped], callflow["id"] if callflow else None)
        except StillReferenced as err:
            raise extension_in_use(call, err.callflow) from None
    async with all_or_nothing(call.ctx) as writes:
        if new_user != content(USER_DOCS, user):
            user = await writes.save(USER_DOCS, new_user, user)
        if new_box is not None:
            await writes.save(VMBOX_DOCS, new_box, box, create_id=None if box else box_id)
        if new_flow is not None and (
            callflow is None or new_flow != content(CALLFLOW_DOCS, callflow)
        ):
            made = None if callflow else new_id()
            callflow = await writes.save(CALLFLOW_DOCS, new_flow, callflow, create_id=made)
        if dropped is not None:
            await writes.remove(VMBOX_DOCS, dropped)
    return Parts("user", callflow, user)


async def _patch_feature(call: Call, parts: Parts, fields: Doc) -> Parts:
    """The callflow's name and first number; a conference's room name with it."""
    callflow, conference = parts.callflow, parts.conference
    assert callflow is not None
    new_flow = copy.deepcopy(content(CALLFLOW_DOCS, callflow))
    new_room: Doc | None = None
    if "name" in fields:
        new_flow["name"] = fields["name"]
        if conference is not None:
            new_room = {**content(CONFERENCE_DOCS, conference), "name": fields["name"]}
    number = fields.get("number", parts.number)
    if number is not None and number != parts.number:
        new_flow["numbers"] = [number, *(new_flow.get("numbers") or [])[1:]]
        await _require_free(call, number, parts)
    validate_parts([(CONFERENCE_DOCS, new_room), (CALLFLOW_DOCS, new_flow)])
    async with all_or_nothing(call.ctx) as writes:
        if new_room is not None and conference is not None:
            parts.conference = await writes.save(CONFERENCE_DOCS, new_room, conference)
        if new_flow != content(CALLFLOW_DOCS, callflow):
            parts.callflow = await writes.save(CALLFLOW_DOCS, new_flow, callflow)
    return parts


async def patch_extension(call: Call) -> Answer:
    """PATCH: the given fields (null clears caller id and forwarding ones)."""
    raw, fields = body_fields(PatchBody, call)
    parts = await requested_parts(call, whole=True)
    if fields.get("type", parts.kind) != parts.kind:
        raise invalid_field("type", "readOnly", "The type of an extension does not change")
    async with refusals(call, fields.get("number", parts.number)):
        if parts.user is None:
            refuse_user_fields(raw, parts.kind)
            parts = await _patch_feature(call, parts, fields)
        else:
            parts = await _patch_user(call, parts, fields)
    if parts.user is None:
        return Answer(view(parts, Lines(call.account_id)))
    return Answer(view(parts, await live_lines(call.ctx)))


ENDPOINTS = (
    Endpoint("GET", "extensions", "pbx:extensions:read", list_extensions),
    Endpoint("GET", "extensions/stats", "pbx:extensions:read", extension_stats),
    Endpoint("GET", "extensions/{id}", "pbx:extensions:read", read_extension),
    Endpoint("POST", "extensions", "pbx:extensions:write", create_extension),
    Endpoint("PATCH", "extensions/{id}", "pbx:extensions:write", patch_extension),
    Endpoint("DELETE", "extensions/{id}", "pbx:extensions:write", delete_extension),
)

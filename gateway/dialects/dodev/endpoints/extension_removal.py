"""DELETE `/v1/pbx/extensions/{id}`: every part of the extension removed, all or nothing."""

from __future__ import annotations

from gateway.dialects.dodev.endpoint import Answer, Call
from gateway.dialects.dodev.endpoints.extension_checks import refusals, refuse_references
from gateway.dialects.dodev.endpoints.extension_input import requested_parts
from gateway.extensions.parts import all_or_nothing, owned_devices
from gateway.resources.callflows import CALLFLOW_DOCS
from gateway.resources.conferences import CONFERENCE_DOCS
from gateway.resources.devices import DEVICE_DOCS
from gateway.resources.users import USER_DOCS
from gateway.resources.vmboxes import VMBOX_DOCS


async def delete_extension(call: Call) -> Answer:
    """DELETE: the callflow, the devices, the conference or box, then the user; 204."""
    parts = await requested_parts(call, whole=True)
    if parts.user is not None:
        parts.devices = await owned_devices(call.ctx, parts.doc_id)
    goes = [parts.user, parts.vmbox, parts.conference, *parts.devices]
    own = parts.callflow["id"] if parts.callflow else None
    await refuse_references(call, [doc["id"] for doc in goes if doc], own)
    async with refusals(call, None), all_or_nothing(call.ctx) as writes:
        if parts.callflow is not None:
            await writes.remove(CALLFLOW_DOCS, parts.callflow)
        for device in parts.devices:
            await writes.remove(DEVICE_DOCS, device)
        if parts.conference is not None:
            await writes.remove(CONFERENCE_DOCS, parts.conference)
        if parts.vmbox is not None:
            await writes.remove(VMBOX_DOCS, parts.vmbox)
        if parts.user is not None:
            await writes.remove(USER_DOCS, parts.user)
    return Answer(None, 204)

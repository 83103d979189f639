"""An extension removed whole: its callflow, devices, conference or box, then its user."""

from __future__ import annotations

from gateway.crossbar.context import Context
from gateway.crossbar.documents import Doc
from gateway.extensions.numbers import referencing_callflow
from gateway.extensions.parts import Parts, all_or_nothing, owned_devices
from gateway.resources.callflows import CALLFLOW_DOCS
from gateway.resources.conferences import CONFERENCE_DOCS
from gateway.resources.devices import DEVICE_DOCS
from gateway.resources.users import USER_DOCS
from gateway.resources.vmboxes import VMBOX_DOCS


class StillReferenced(Exception):
    """A callflow other than the extension's names a part that would go."""

    def __init__(self, callflow: Doc) -> None:
        super().__init__(callflow["id"])
        self.callflow = callflow


async def refuse_referenced(ctx: Context, goes: list[Doc], own: str | None) -> None:
    """StillReferenced while a callflow other than `own` names one of `goes`."""
    other = await referencing_callflow(ctx, [doc["id"] for doc in goes], own)
    if other is not None:
        raise StillReferenced(other)


async def remove_extension(ctx: Context, parts: Parts) -> None:
    """Every part removed (read with `whole`), all or nothing; StillReferenced first when
    Kazoo would refuse a part's delete."""
    if parts.user is not None:
        parts.devices = await owned_devices(ctx, parts.doc_id)
    goes = [doc for doc in (parts.user, parts.vmbox, parts.conference, *parts.devices) if doc]
    await refuse_referenced(ctx, goes, parts.callflow["id"] if parts.callflow else None)
    async with all_or_nothing(ctx) as writes:
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

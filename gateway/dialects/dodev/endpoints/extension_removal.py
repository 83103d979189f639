"""DELETE `/v1/pbx/extensions/{id}`: every part of the extension removed, all or nothing."""

from __future__ import annotations

from gateway.dialects.dodev.endpoint import Answer, Call
from gateway.dialects.dodev.endpoints.extension_checks import extension_in_use, refusals
from gateway.dialects.dodev.endpoints.extension_input import requested_parts
from gateway.extensions.removal import StillReferenced, remove_extension


async def delete_extension(call: Call) -> Answer:
    """DELETE: the callflow, the devices, the conference or box, then the user; 204."""
    parts = await requested_parts(call, whole=True)
    try:
        async with refusals(call, None):
            await remove_extension(call.ctx, parts)
    except StillReferenced as err:
        raise extension_in_use(call, err.callflow) from None
    return Answer(None, 204)

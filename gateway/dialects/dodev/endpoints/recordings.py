"""`/v1/pbx/recordings`: the call recordings the switch reported (Kazoo's `recordings`
documents, as `/v2/accounts/{A}/recordings` serves them), newest first; their audio is a signed
`downloadUrl` that works for an hour without a key."""

from __future__ import annotations

from collections.abc import Callable

from gateway.crossbar.clock import iso_time
from gateway.crossbar.documents import Doc
from gateway.crossbar.write import remove
from gateway.dialects.dodev.endpoint import Answer, Call, Endpoint
from gateway.dialects.dodev.ids import EXTENSION, RECORDING
from gateway.dialects.dodev.pages import cursor_page
from gateway.resources.recordings import RECORDING_DOCS, RECORDINGS, download_paths, start_of


def origin_of(call: Call) -> str:
    """`http://host:port` as the client reached this gateway."""
    request = call.ctx.request
    assert request is not None
    return f"{request.scheme}://{request.host}"


def recording_of(doc: Doc, download_url: str) -> Doc:
    """A recording as this dialect shows it."""
    owner = doc.get("owner_id")
    return {
        "id": RECORDING.public(doc["id"]),
        "callId": doc.get("call_id"),
        "extensionId": EXTENSION.public(owner) if isinstance(owner, str) and owner else None,
        "from": doc.get("caller_id_number") or doc.get("from"),
        "to": doc.get("callee_id_number") or doc.get("to"),
        # Kazoo's whole seconds are rounded up
        "durationSeconds": -(-int(doc.get("duration_ms") or 0) // 1000),
        "createdAt": iso_time(start_of(doc)),
        "contentType": doc.get("content_type"),
        "downloadUrl": download_url,
    }


async def _shown(call: Call) -> Callable[[Doc], Doc]:
    """What shows each recording, its download link signed once for the whole reply."""
    origin, path_of = origin_of(call), await download_paths(call.ctx)
    return lambda doc: recording_of(doc, origin + path_of(doc))


async def list_recordings(call: Call) -> Answer:
    """GET: a page of the account's recordings, newest first."""
    return await cursor_page(call, RECORDINGS, "recordings", await _shown(call), ascending=False)


async def read_recording(call: Call) -> Answer:
    """GET one recording."""
    doc = await RECORDING.load(call, RECORDING_DOCS, call.params["id"])
    return Answer((await _shown(call))(doc))


async def delete_recording(call: Call) -> Answer:
    """DELETE: the recording and its audio; 204."""
    doc = await RECORDING.load(call, RECORDING_DOCS, call.params["id"])
    await remove(call.ctx, RECORDING_DOCS, doc)
    return Answer(status=204)


ENDPOINTS = (
    Endpoint("GET", "recordings", "pbx:recordings:read", list_recordings),
    Endpoint("GET", "recordings/{id}", "pbx:recordings:read", read_recording),
    Endpoint("DELETE", "recordings/{id}", "pbx:recordings:write", delete_recording),
)

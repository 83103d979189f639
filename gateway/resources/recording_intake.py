"""Call recordings reported through the intake: a `recordings` document, its audio in GridFS."""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from gateway.crossbar.binary import one_chunk
from gateway.crossbar.clock import gregorian_now
from gateway.crossbar.context import Context
from gateway.crossbar.errors import ApiError
from gateway.crossbar.write import save
from gateway.keys import ACCOUNT_CACHE
from gateway.resources.recordings import ATTACHMENT, RECORDING_DOCS
from gateway.resources.users import USERS
from gateway.store.files import TooLarge

EXTENSIONS = {
    "audio/mpeg": "mp3",
    "audio/mp3": "mp3",
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/ogg": "ogg",
}
# Event fields the document keeps as they are.
_KEPT = (
    "call_id",
    "owner_id",
    "caller_id_number",
    "caller_id_name",
    "callee_id_number",
    "callee_id_name",
    "from",
    "to",
    "direction",
    "duration_ms",
    "content_type",
)


def recording_id(event_id: str) -> str:
    """The recording's id, fixed by its event: a replay finds the recording it made."""
    return hashlib.sha256(b"recording:" + event_id.encode()).hexdigest()[:32]


def recording_data(event: dict[str, Any]) -> dict[str, Any]:
    """The document an event describes (Kazoo's call_recording fields)."""
    extension = EXTENSIONS[event["content_type"]]
    data = {key: event[key] for key in _KEPT if key in event}
    data.update(
        name=f"call_recording_{event['call_id']}.{extension}",
        media_type=extension,
        media_source="recorded",
        source_type="intake",
        start=event.get("start") or gregorian_now(),
        # Kazoo keeps whole seconds besides the milliseconds, rounded up
        duration=-(-event["duration_ms"] // 1000),
    )
    return data


async def deposit_recording(ctx: Context, event: dict[str, Any]) -> str | None:
    """Store the recording and its audio; a reason when the owner or the audio is not right."""
    account_id = event["account_id"]
    if "owner_id" in event:
        owner = await ctx.store.get(USERS, event["owner_id"])
        if owner is None or owner.get("pvt_account_id") != account_id:
            return "unknown owner"
    try:
        audio = base64.b64decode(event["audio"], validate=True)
    except (binascii.Error, ValueError):
        return "audio is not base64"
    doc_id = recording_id(event["event_id"])
    if await ctx.store.get(RECORDING_DOCS.kind, doc_id) is not None:
        return None
    ctx.account = await ctx.app[ACCOUNT_CACHE].get(account_id)
    data = recording_data(event)
    try:
        stored = await ctx.store.files.save(
            one_chunk(audio),
            event["content_type"],
            data["name"],
            ctx.settings.max_upload_size,
            account_id,
        )
    except TooLarge:
        return "audio is too large"
    attachment = {
        "file_id": stored.file_id,
        "name": data["name"],
        "content_type": stored.content_type,
        "length": stored.length,
    }
    try:
        # One write: the document is created pointing at its audio.
        await save(ctx, RECORDING_DOCS, {**data, ATTACHMENT: attachment}, None, create_id=doc_id)
    except ApiError as err:
        await ctx.store.files.delete(stored.file_id)
        return f"the recording was refused: {err.message}"
    except BaseException:
        await ctx.store.files.delete(stored.file_id)
        raise
    return None

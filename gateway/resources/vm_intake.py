"""Voicemail reported through the intake: a new message in its box, audio in GridFS."""

from __future__ import annotations

import base64
import binascii
import hashlib
import time
from typing import Any

from gateway.crossbar.binary import one_chunk
from gateway.crossbar.context import Context
from gateway.crossbar.errors import ApiError
from gateway.crossbar.tokenizer import Noun
from gateway.crossbar.write import save
from gateway.resources.vm_audio import attach
from gateway.resources.vm_messages import MESSAGE_DOCS, MESSAGES
from gateway.resources.vmboxes import VMBOXES
from gateway.store.files import TooLarge


def message_id(event_id: str) -> str:
    """The message's id, fixed by its event: a replay finds the message it made."""
    digest = hashlib.sha256(event_id.encode()).hexdigest()[:32]
    return f"{time.strftime('%Y%m', time.gmtime())}-{digest}"


async def deposit_voicemail(ctx: Context, event: dict[str, Any]) -> str | None:
    """Store the message and its audio; a reason when the box or the audio is not right."""
    box = await ctx.store.get(VMBOXES, event["vmbox_id"])
    if box is None or box.get("pvt_account_id") != event["account_id"]:
        return "unknown voicemail box"
    try:
        audio = base64.b64decode(event["audio"], validate=True)
    except (binascii.Error, ValueError):
        return "audio is not base64"
    doc_id = message_id(event["event_id"])
    if await ctx.store.get(MESSAGE_DOCS.kind, doc_id) is not None:
        return None
    ctx.account = await ctx.store.get("accounts", event["account_id"])
    ctx.nouns = (Noun(VMBOXES, (box["id"], MESSAGES)),)
    metadata: dict[str, Any] = {
        key: event[key] for key in ("caller_id_number", "caller_id_name", "length") if key in event
    }
    realm = (ctx.account or {}).get("realm")
    if realm:
        metadata["to"] = f"{box.get('mailbox')}@{realm}"
    try:
        stored = await ctx.store.files.save(
            one_chunk(audio),
            event["content_type"],
            "message",
            ctx.settings.max_upload_size,
            account_id=event["account_id"],
        )
    except TooLarge:
        return "audio is too large"
    try:
        saved = await save(ctx, MESSAGE_DOCS, metadata, None, create_id=doc_id)
        await attach(ctx, MESSAGE_DOCS, saved, stored)
    except ApiError as err:
        await ctx.store.files.delete(stored.file_id)
        return f"the message was refused: {err.message}"
    except BaseException:
        await ctx.store.files.delete(stored.file_id)
        raise
    return None

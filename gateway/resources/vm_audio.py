"""The audio of voicemail messages: deposit parsing, `raw` download and replacement."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

from aiohttp import BodyPartReader

from gateway.crossbar.binary import (
    MULTIPART,
    Upload,
    download,
    next_part,
    read_upload,
    store_upload,
    swap_file,
)
from gateway.crossbar.body import parse_json
from gateway.crossbar.clock import GREGORIAN_OFFSET
from gateway.crossbar.context import Context, Reply
from gateway.crossbar.documents import Doc, Documents
from gateway.crossbar.errors import NotFound, invalid
from gateway.crossbar.merge import public
from gateway.crossbar.resource import JSON_TYPES, Handler
from gateway.crossbar.write import request_data, save
from gateway.store.files import StoredFile

ATTACHMENT = "pvt_attachment"
EXTENSIONS = {
    "audio/mpeg": ".mp3",
    "audio/mp3": ".mp3",
    "audio/x-wav": ".wav",
    "audio/wav": ".wav",
    "audio/ogg": ".ogg",
    "audio/mp4": ".mp4",
}
AUDIO_TYPES = frozenset(EXTENSIONS)
METADATA_LIMIT = 64 * 1024


def file_name(message: Doc) -> str:
    """Kazoo's download name: `<caller_id_number>_<YYYY-MM-DD_HH:MM:SS><ext>`."""
    seconds = int(message.get("timestamp", GREGORIAN_OFFSET)) - GREGORIAN_OFFSET
    when = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d_%H:%M:%S")
    content_type = message.get(ATTACHMENT, {}).get("content_type", "")
    number = message.get("caller_id_number") or "unknown"
    return f"{number}_{when}{EXTENSIONS.get(content_type, '')}"


async def attach(ctx: Context, docs: Documents, message: Doc, stored: StoredFile) -> Doc:
    """Save `message` pointing at new audio (through the write path)."""
    audio = {
        "file_id": stored.file_id,
        "content_type": stored.content_type,
        "length": stored.length,
        "name": stored.filename,
    }
    return await save(ctx, docs, public(message), {**message, ATTACHMENT: audio}, before=message)


async def _chunks(part: BodyPartReader) -> AsyncIterator[bytes]:
    while chunk := await part.read_chunk(64 * 1024):
        yield chunk


async def _metadata(part: BodyPartReader) -> Doc:
    raw = b""
    while chunk := await part.read_chunk(8192):
        raw += chunk
        if len(raw) > METADATA_LIMIT:
            raise invalid("json", "invalid", "The metadata part is too large", target="body")
    parsed = parse_json(raw or b"{}")
    if isinstance(parsed, dict) and isinstance(parsed.get("data"), dict):
        parsed = parsed["data"]
    if not isinstance(parsed, dict):
        raise invalid("data", "type", "Value did not match type(s): object", target="object")
    return public(parsed)


async def read_deposit(ctx: Context) -> tuple[Doc, StoredFile | None]:
    """A deposit's metadata, and its audio stored when the body is multipart."""
    if not ctx.content_type.startswith(MULTIPART):
        return request_data(ctx), None
    assert ctx.request is not None
    reader = await ctx.request.multipart()
    metadata: Doc = {}
    stored: StoredFile | None = None
    try:
        while (part := await next_part(reader)) is not None:
            if not isinstance(part, BodyPartReader):
                continue
            raw_type = part.headers.get("Content-Type", "application/octet-stream")
            part_type = raw_type.split(";", 1)[0].strip().lower()
            if part_type in JSON_TYPES:
                metadata = await _metadata(part)
            elif stored is None:
                upload = Upload(_chunks(part), part_type, part.filename or "message")
                stored = await store_upload(ctx, upload)
    except BaseException:
        if stored is not None:
            await ctx.store.files.delete(stored.file_id)
        raise
    return metadata, stored


MessageOf = Callable[[Context], Awaitable[Doc]]


def raw_handlers(docs: Documents, message_of: MessageOf) -> dict[str, Handler]:
    """GET (ranged download) and PUT (upload or replace) of `messages/{M}/raw`."""

    async def read(ctx: Context) -> Reply:
        message = await message_of(ctx)
        audio = message.get(ATTACHMENT)
        if not audio:
            raise NotFound(f"{message['id']}/raw")
        return await download(ctx, audio["file_id"], file_name(message), audio["content_type"])

    async def upload(ctx: Context) -> Reply:
        message = await message_of(ctx)
        stored = await store_upload(ctx, await read_upload(ctx, ctx.content_type, "message"))
        old_file = (message.get(ATTACHMENT) or {}).get("file_id")
        saved = await swap_file(ctx, stored, old_file, attach(ctx, docs, message, stored))
        return Reply(docs.show(ctx, saved), revision=saved["_rev"])

    return {"GET": read, "PUT": upload}

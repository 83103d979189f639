"""Binary uploads (raw body, multipart, base64 data URI) and ranged downloads."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from typing import TypeVar

from aiohttp import BodyPartReader, MultipartReader
from aiohttp.http_exceptions import BadHttpMessage

from gateway.crossbar.context import Context, Reply
from gateway.crossbar.errors import InvalidData, invalid
from gateway.store.files import StoredFile, TooLarge

T = TypeVar("T")
BASE64_TYPES = frozenset({"application/base64", "application/x-base64"})
MULTIPART = ("multipart/form-data", "multipart/mixed")
UPLOAD_TYPES = BASE64_TYPES | {
    "multipart/form-data",
    "multipart/mixed",
    "application/octet-stream",
    "image/png",
    "image/jpeg",
    "image/gif",
}
_DATA_URI = re.compile(r"^data:(?P<type>[\w.+-]+/[\w.+-]+)?(;[^,]*)?;base64,(?P<data>.*)$", re.S)
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


@dataclass(frozen=True)
class Upload:
    """An incoming file: its bytes as a stream, its type and name."""

    chunks: AsyncIterator[bytes]
    content_type: str
    filename: str


def _too_large(limit: int) -> InvalidData:
    return invalid(
        "file", "maxSize", f"Payload or Files must not be more than {limit} bytes", target=limit
    )


async def one_chunk(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def _stream(ctx: Context) -> AsyncIterator[bytes]:
    assert ctx.request is not None
    async for chunk in ctx.request.content.iter_chunked(64 * 1024):
        yield chunk


async def _part_chunks(part: BodyPartReader) -> AsyncIterator[bytes]:
    while chunk := await part.read_chunk(64 * 1024):
        yield chunk


def _decode_base64(text: str, fallback_type: str) -> tuple[bytes, str]:
    match = _DATA_URI.match(text.strip())
    payload, content_type = (
        (match["data"], match["type"] or fallback_type) if match else (text, fallback_type)
    )
    try:
        return base64.b64decode(payload, validate=False), content_type
    except (binascii.Error, ValueError):
        raise invalid("file", "invalid", "Base64 payload could not be decoded") from None


async def read_upload(ctx: Context, content_type: str, default_name: str) -> Upload:
    """The uploaded file of this request, whatever way it was sent."""
    assert ctx.request is not None
    name = ctx.header("X-File-Name") or default_name
    if content_type.startswith(MULTIPART):
        reader = await ctx.request.multipart()
        part = await _first_file(reader)
        part_type = part.headers.get("Content-Type", "application/octet-stream")
        return Upload(_part_chunks(part), part_type, part.filename or name)
    if content_type in BASE64_TYPES:
        raw = await ctx.request.content.read(ctx.settings.max_upload_size * 4 // 3 + 16)
        data, decoded_type = _decode_base64(
            raw.decode("ascii", "replace"), "application/octet-stream"
        )
        return Upload(one_chunk(data), decoded_type, name)
    return Upload(_stream(ctx), content_type or "application/octet-stream", name)


async def next_part(reader: MultipartReader) -> BodyPartReader | MultipartReader | None:
    """The next part of a multipart body; 400 when its headers are malformed."""
    try:
        return await reader.next()
    except (BadHttpMessage, ValueError):
        raise invalid(
            "file", "invalid", "The multipart body is malformed", target="body"
        ) from None


async def _first_file(reader: MultipartReader) -> BodyPartReader:
    while (part := await next_part(reader)) is not None:
        if isinstance(part, BodyPartReader) and part.filename is not None:
            return part
    raise invalid("file", "required", "Field is required but missing", value="file")


async def store_upload(ctx: Context, upload: Upload) -> StoredFile:
    """Stream an upload into the store, bounded by the upload limit (400 past it)."""
    limit = ctx.settings.max_upload_size
    try:
        return await ctx.store.files.save(
            upload.chunks, upload.content_type, upload.filename, limit, ctx.account_id
        )
    except TooLarge:
        raise _too_large(limit) from None


async def swap_file(
    ctx: Context, stored: StoredFile, old_file_id: str | None, write: Awaitable[T]
) -> T:
    """Run the write that points a document at `stored`: on failure the new file goes, on
    success the old one does, so no accepted upload is lost and no file is orphaned."""
    try:
        saved = await write
    except BaseException:
        await ctx.store.files.delete(stored.file_id)
        raise
    if old_file_id:
        await ctx.store.files.delete(old_file_id)
    return saved


def parse_range(header: str | None, length: int) -> tuple[int, int] | None:
    """(start, end) inclusive for a satisfiable single `bytes=` range, else None (whole file)."""
    if not header or length == 0:
        return None
    match = _RANGE.match(header.strip())
    if not match or (not match[1] and not match[2]):
        return None
    if not match[1]:
        start, end = max(0, length - int(match[2])), length - 1
    else:
        start = int(match[1])
        end = min(int(match[2]), length - 1) if match[2] else length - 1
    if start > end or start >= length:
        return None
    return start, end


async def download(ctx: Context, file_id: str, filename: str, content_type: str) -> Reply:
    """The stored bytes; with `Range:` a 206 of the part asked for."""
    handle = await ctx.store.files.open(file_id)
    if handle is None:
        raise invalid("file", "not_found", "The attachment is missing", cause=file_id)
    length = handle.length
    wanted = parse_range(ctx.header("Range"), length)
    start, end = wanted if wanted else (0, length - 1)
    headers = {
        "Accept-Ranges": "bytes",
        "Content-Disposition": f"attachment; filename={filename}",
        "Content-Length": str(max(0, end - start + 1)),
    }
    status = 200
    if wanted and (start, end) != (0, length - 1):
        status = 206
        headers["Content-Range"] = f"bytes {start}-{end}/{length}"
    stream = ctx.store.files.read_range(handle, start, end) if length else one_chunk(b"")
    return Reply(status=status, headers=headers, stream=stream, content_type=content_type)

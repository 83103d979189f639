"""Media: prompt and music metadata (`media`, `media/{M}`) and its audio (`media/{M}/raw`)."""

from __future__ import annotations

import re
import time

from gateway.crossbar.binary import UPLOAD_TYPES, download, read_upload, store_upload, swap_file
from gateway.crossbar.body import JSON_LIKE
from gateway.crossbar.context import Context, Reply
from gateway.crossbar.crud import document_handlers, document_routes
from gateway.crossbar.documents import Doc, Documents
from gateway.crossbar.errors import NotFound
from gateway.crossbar.merge import public
from gateway.crossbar.resource import ID, JSON_TYPES, Handler, Resource, Route
from gateway.crossbar.write import load_scoped, save
from gateway.resources.rules import refuse_media_in_use
from gateway.store.files import StoredFile
from schemas.media import CONTENT_TYPES, MediaSchema

MEDIA = "media"
# The stored audio: {file_id, name, content_type, length}.
ATTACHMENT = "pvt_attachment"
EXTENSIONS = {
    "audio/mpeg": "mp3",
    "audio/mp3": "mp3",
    "audio/mpeg3": "mp3",
    "audio/x-wav": "wav",
    "audio/wav": "wav",
    "audio/ogg": "ogg",
    "video/x-flv": "flv",
    "video/quicktime": "mov",
}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def media_row(doc: Doc) -> Doc:
    """A row of the media listing (Kazoo's `media/crossbar_listing` view)."""
    row = {"id": doc["id"], "name": doc.get("name")}
    if doc.get("media_type") is not None:
        row["media_type"] = doc["media_type"]
    row.update(
        media_source=doc.get("media_source"),
        language=str(doc.get("language") or "").lower(),
        is_prompt=bool(doc.get("prompt_id")),
    )
    return row


async def drop_attachment(ctx: Context, doc: Doc) -> None:
    """A deleted media document takes its audio with it."""
    if doc.get(ATTACHMENT):
        await ctx.store.files.delete(doc[ATTACHMENT]["file_id"])


MEDIA_DOCS = Documents(
    kind=MEDIA,
    schema=MediaSchema,
    row=media_row,
    before_delete=(refuse_media_in_use,),
    after_delete=(drop_attachment,),
)


def attachment_name(filename: str, content_type: str) -> str:
    """Kazoo's attachment name: the upload's name, with an extension from its type if none."""
    name = _UNSAFE.sub("_", filename.rsplit("/", 1)[-1]) or f"uploaded_file_{int(time.time())}"
    if "." in name.strip("."):
        return name
    extension = EXTENSIONS.get(content_type) or content_type.rsplit("/", 1)[-1]
    return f"{name}.{_UNSAFE.sub('_', extension)}"


async def read_raw(ctx: Context) -> Reply:
    """GET media/{M}/raw: the audio, whole or by range."""
    media = await load_scoped(ctx, MEDIA_DOCS, ctx.args[0])
    attachment = media.get(ATTACHMENT)
    if not attachment:
        raise NotFound(media["id"])
    return await download(
        ctx, attachment["file_id"], attachment["name"], attachment["content_type"]
    )


def uploaded(media: Doc, stored: StoredFile) -> tuple[Doc, Doc]:
    """A media's public fields and its attachment once `stored` is its audio."""
    attachment = {
        "file_id": stored.file_id,
        "name": attachment_name(stored.filename, stored.content_type),
        "content_type": stored.content_type,
        "length": stored.length,
    }
    # Kazoo: the upload sets the public type and size and marks the media as uploaded.
    data = {
        **public(media),
        "content_type": stored.content_type,
        "content_length": stored.length,
        "media_source": "upload",
    }
    return data, attachment


async def upload_raw(ctx: Context) -> Reply:
    """POST media/{M}/raw: store the audio, then point the document at it."""
    media = await load_scoped(ctx, MEDIA_DOCS, ctx.args[0])
    default_name = f"uploaded_file_{int(time.time())}"
    stored = await store_upload(ctx, await read_upload(ctx, ctx.content_type, default_name))
    data, attachment = uploaded(media, stored)
    old_file = (media.get(ATTACHMENT) or {}).get("file_id")
    write = save(ctx, MEDIA_DOCS, data, {**media, ATTACHMENT: attachment}, before=media)
    saved = await swap_file(ctx, stored, old_file, write)
    return Reply(MEDIA_DOCS.show(ctx, saved), revision=saved["_rev"])


def _replace_or_upload(replace: Handler) -> Handler:
    """Kazoo: POST media/{M} with an audio body is an upload, else a metadata replace."""

    async def handle(ctx: Context) -> Reply:
        if ctx.content_type in JSON_LIKE:
            return await replace(ctx)
        return await upload_raw(ctx)

    return handle


_DOCUMENT_ROUTES = document_routes(MEDIA_DOCS, {0: {"GET", "PUT"}, 1: {"GET", "DELETE"}})
_REPLACE = document_handlers(MEDIA_DOCS)["1:POST"]

MEDIA_RESOURCE = Resource(
    name=MEDIA,
    routes=(
        _DOCUMENT_ROUTES[0],
        Route((ID,), {**_DOCUMENT_ROUTES[1].handlers, "POST": _replace_or_upload(_REPLACE)}),
        Route((ID, "raw"), {"GET": read_raw, "POST": upload_raw}),
    ),
    content_types=JSON_TYPES | UPLOAD_TYPES | frozenset(CONTENT_TYPES),
    indexes=MEDIA_DOCS.indexes(),
    schema=MediaSchema,
    documents=MEDIA_DOCS,
)

"""Voicemail messages of a box: deposit, listings, folder moves, soft delete.

A message is a `vm_messages` document whose id is its `media_id` (`YYYYMM-<32hex>`). With no
media server, messages arrive as Kazoo's crossbar takes them: `PUT vmboxes/{B}/messages` with
either a JSON body (metadata only; the audio follows with `PUT .../messages/{M}/raw`) or a
`multipart/mixed` (or `multipart/form-data`) body of an `application/json` part (the metadata,
bare or as `{"data": {...}}`) and one audio part, in any order.
"""

from __future__ import annotations

import time
from typing import Any

from gateway.crossbar.clock import gregorian_now
from gateway.crossbar.context import Context, Reply
from gateway.crossbar.crud import location
from gateway.crossbar.documents import Doc, Documents, Listing
from gateway.crossbar.errors import NotFound, invalid
from gateway.crossbar.listing import list_page
from gateway.crossbar.merge import public
from gateway.crossbar.resource import ID, Handler, Route
from gateway.crossbar.validation import load
from gateway.crossbar.write import load_scoped, remove, save
from gateway.resources.vm_audio import (
    ATTACHMENT,
    AUDIO_TYPES,
    attach,
    raw_handlers,
    read_deposit,
)
from gateway.store import Index
from gateway.store.ids import new_id
from schemas.vmboxes import VoicemailMessageSchema

__all__ = ["AUDIO_TYPES", "BOX", "KEPT_IN_BOX", "MESSAGES", "MESSAGE_DOCS", "message_routes"]

MESSAGES = "messages"
VM_MESSAGES = "vm_messages"
BOX = "pvt_vmbox_id"
DELETED = "deleted"


def _kept_in(scope_field: str) -> Listing:
    """Kazoo soft-deletes on a move to `deleted`: such messages leave every listing."""

    def scope_of(doc: Doc) -> str | None:
        return None if doc.get("folder") == DELETED else doc.get(scope_field)

    return Listing(f"pvt_kept_by_{scope_field.removeprefix('pvt_')}", scope_of)


KEPT_IN_ACCOUNT = _kept_in("pvt_account_id")
KEPT_IN_BOX = _kept_in(BOX)


async def stamp_message(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """A new message belongs to the box in the path and gets Kazoo's defaults."""
    if old is None:
        doc[BOX] = ctx.args[0]
        doc.setdefault("folder", "new")
        doc.setdefault("timestamp", gregorian_now())
        doc.setdefault("length", 0)
        doc.setdefault("call_id", new_id())
    return doc


async def delete_audio(ctx: Context, doc: Doc) -> None:
    """A removed message takes its audio with it."""
    if doc.get(ATTACHMENT):
        await ctx.store.files.delete(doc[ATTACHMENT]["file_id"])


def message_summary(doc: Doc) -> Doc:
    """Kazoo's message object: metadata plus `media_id`, no `id`."""
    shown = {key: value for key, value in public(doc).items() if key != "id"}
    shown["media_id"] = doc["id"]
    return shown


MESSAGE_DOCS = Documents(
    kind=VM_MESSAGES,
    schema=VoicemailMessageSchema,
    row=message_summary,
    # Listings are descending by default, so the newest message comes first.
    sort_value=lambda doc: f"{int(doc.get('timestamp', 0)):013d}",
    before_save=(stamp_message,),
    after_delete=(delete_audio,),
    present=lambda ctx, shown, stored: message_summary(stored),
    listings=(KEPT_IN_ACCOUNT, KEPT_IN_BOX),
    # vmboxes' listing counts the kept messages of its page's boxes by box id.
    extra_indexes=(Index(VM_MESSAGES, "vm_messages_by_box_id", (BOX,)),),
)


def media_id() -> str:
    """A message id in Kazoo's MODB form: `YYYYMM-<32hex>`."""
    return f"{time.strftime('%Y%m', time.gmtime())}-{new_id()}"


async def load_message(ctx: Context, box_id: str, message_id: str) -> Doc:
    """A message of this box in this account, or 404 bad_identifier."""
    doc = await ctx.store.get(VM_MESSAGES, message_id)
    if doc is None or doc.get("pvt_account_id") != ctx.account_id or doc.get(BOX) != box_id:
        raise NotFound(message_id)
    return doc


def checked_folder(value: Any) -> str:
    """A folder name, validated like the message schema does (400 otherwise)."""
    if value is None:
        raise invalid("folder", "required", "Field is required but missing", value="folder")
    load(VoicemailMessageSchema, {"folder": value})
    return str(value)


async def move(ctx: Context, message: Doc, folder: str) -> Doc:
    """Put a message in another folder through the write path."""
    if message.get("folder") == folder:
        return message
    return await save(ctx, MESSAGE_DOCS, {**public(message), "folder": folder}, message)


async def account_messages_handler(ctx: Context) -> Reply:
    """GET vmboxes/messages: every message of the account."""
    return await list_page(ctx, VM_MESSAGES, KEPT_IN_ACCOUNT, ctx.path_account_id, message_summary)


def _listed_ids(ctx: Context) -> list[Any] | None:
    data = ctx.data
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and isinstance(data.get(MESSAGES), list):
        return list(data[MESSAGES])
    return None


async def _move_many(ctx: Context, box_id: str, folder: str, only: str | None) -> Reply:
    """Move the listed messages (else every message, of folder `only` if set)."""
    wanted = _listed_ids(ctx)
    if wanted is None:
        query: dict[str, Any] = {KEPT_IN_BOX.field: Listing.bounds(box_id)}
        if only is not None:
            query["folder"] = only
        found = await ctx.store.find(VM_MESSAGES, query, sort=KEPT_IN_BOX.field)
        wanted = [doc["id"] for doc in found]
    succeeded: list[str] = []
    failed: list[dict[str, str]] = []
    for message_id in wanted:
        try:
            message = await load_message(ctx, box_id, str(message_id))
        except NotFound:
            failed.append({str(message_id): "not_found"})
            continue
        await move(ctx, message, folder)
        succeeded.append(message["id"])
    return Reply({"succeeded": succeeded, "failed": failed})


def message_routes(box_docs: Documents) -> tuple[Route, ...]:
    """Routes under `vmboxes/{B}/messages`."""

    async def box_of(ctx: Context) -> Doc:
        return await load_scoped(ctx, box_docs, ctx.args[0])

    async def list_box(ctx: Context) -> Reply:
        box = await box_of(ctx)
        return await list_page(ctx, VM_MESSAGES, KEPT_IN_BOX, box["id"], message_summary)

    async def deposit(ctx: Context) -> Reply:
        box = await box_of(ctx)
        metadata, stored = await read_deposit(ctx)
        metadata = {k: v for k, v in metadata.items() if k not in ("id", "media_id")}
        realm = (ctx.account or {}).get("realm")
        if realm and "to" not in metadata:
            metadata["to"] = f"{box['mailbox']}@{realm}"
        try:
            saved = await save(ctx, MESSAGE_DOCS, metadata, None, create_id=media_id())
            if stored is not None:
                saved = await attach(ctx, MESSAGE_DOCS, saved, stored)
        except BaseException:
            if stored is not None:
                await ctx.store.files.delete(stored.file_id)
            raise
        return Reply(
            message_summary(saved),
            status=201,
            revision=saved["_rev"],
            headers={"Location": location(ctx, saved["id"])},
        )

    async def change_many(ctx: Context) -> Reply:
        box = await box_of(ctx)
        return await _move_many(ctx, box["id"], checked_folder(ctx.param("folder")), None)

    async def delete_many(ctx: Context) -> Reply:
        box = await box_of(ctx)
        only = ctx.param("folder")
        return await _move_many(ctx, box["id"], DELETED, None if only is None else str(only))

    async def message_of(ctx: Context) -> Doc:
        box = await box_of(ctx)
        return await load_message(ctx, box["id"], ctx.args[2])

    async def read(ctx: Context) -> Reply:
        message = await message_of(ctx)
        return Reply(message_summary(message), revision=message["_rev"])

    async def change(ctx: Context) -> Reply:
        message = await message_of(ctx)
        saved = await move(ctx, message, checked_folder(ctx.param("folder")))
        return Reply(message_summary(saved), revision=saved["_rev"])

    async def delete(ctx: Context) -> Reply:
        # Kazoo: deleting a message moves it to `deleted` (soft delete), it stays readable.
        saved = await move(ctx, await message_of(ctx), DELETED)
        return Reply(message_summary(saved), revision=saved["_rev"])

    one: dict[str, Handler] = {"GET": read, "POST": change, "DELETE": delete}
    return (
        Route(
            (ID, MESSAGES),
            {"GET": list_box, "PUT": deposit, "POST": change_many, "DELETE": delete_many},
        ),
        Route((ID, MESSAGES, ID), one),
        Route((ID, MESSAGES, ID, "raw"), raw_handlers(MESSAGE_DOCS, message_of)),
    )


async def remove_box_messages(ctx: Context, box: Doc) -> None:
    """Remove every message of a box (and its audio) through the write path."""
    for message in await ctx.store.find(VM_MESSAGES, {BOX: box["id"]}):
        await remove(ctx, MESSAGE_DOCS, message)

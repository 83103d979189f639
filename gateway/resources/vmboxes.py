"""Voicemail boxes; their messages live in vm_messages."""

from __future__ import annotations

import re

from gateway.crossbar.binary import UPLOAD_TYPES
from gateway.crossbar.context import Context, Reply
from gateway.crossbar.crud import document_handlers
from gateway.crossbar.documents import BY_ACCOUNT, Doc, Documents, UniqueRule
from gateway.crossbar.errors import Forbidden, invalid
from gateway.crossbar.listing import list_page
from gateway.crossbar.references import must_exist
from gateway.crossbar.resource import ID, JSON_TYPES, Resource, Route
from gateway.resources.rules import USED_BY_CALLFLOWS, media_references
from gateway.resources.vm_messages import (
    AUDIO_TYPES,
    BOX,
    KEPT_IN_BOX,
    MESSAGE_DOCS,
    MESSAGES,
    account_messages_handler,
    message_routes,
    remove_box_messages,
)
from schemas.vmboxes import VmboxSchema

VMBOXES = "vmboxes"
MAILBOX_NUMBER = "pvt_mailbox_number"
MAILBOX_MESSAGE = "Invalid mailbox number or already exists"
_INTEGER = re.compile(r"^[+-]?[0-9]+$")


async def mailbox_number(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """Kazoo compares mailboxes as integers; a non-integer is reported as not unique."""
    mailbox = doc["mailbox"]
    if not _INTEGER.match(mailbox):
        raise invalid("mailbox", "unique", MAILBOX_MESSAGE, cause=mailbox)
    doc[MAILBOX_NUMBER] = str(int(mailbox))
    return doc


async def keep_own_boxes(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """A `user` login may not hand its box to someone else."""
    identity = ctx.identity
    if identity is None or identity.priv_level == "admin" or ctx.settings.permissive_priv_levels:
        return doc
    if doc.get("owner_id") != identity.owner_id:
        raise Forbidden()
    return doc


def vmbox_row(doc: Doc) -> Doc:
    """A row of the vmboxes listing (`messages` is filled per page)."""
    row = {"id": doc["id"], "name": doc.get("name"), "mailbox": doc.get("mailbox")}
    if doc.get("owner_id"):  # Kazoo's view drops an undefined owner_id
        row["owner_id"] = doc["owner_id"]
    return {**row, "messages": 0, "flags": doc.get("flags", [])}


VMBOX_DOCS = Documents(
    kind=VMBOXES,
    schema=VmboxSchema,
    row=vmbox_row,
    sort_value=lambda doc: str(doc.get("name", "")),
    unique=(
        UniqueRule(
            "vmboxes_mailbox",
            "mailbox",
            MAILBOX_MESSAGE,
            (MAILBOX_NUMBER,),
            cause=lambda doc: doc.get("mailbox"),
        ),
    ),
    before_save=(
        mailbox_number,
        must_exist("owner_id", "users", "user"),
        media_references("media.unavailable"),
        keep_own_boxes,
    ),
    before_delete=(USED_BY_CALLFLOWS,),
    after_delete=(remove_box_messages,),
)


async def list_vmboxes(ctx: Context) -> Reply:
    """The listing; one query per page counts the messages not in `deleted`."""
    reply = await list_page(ctx, VMBOXES, BY_ACCOUNT, ctx.path_account_id, vmbox_row)
    rows: list[Doc] = reply.data
    if rows:
        query = {BOX: {"$in": [row["id"] for row in rows]}}
        counts: dict[str, int] = {}
        for message in await ctx.store.find(MESSAGE_DOCS.kind, query):
            if message.get(KEPT_IN_BOX.field) is not None:
                counts[message[BOX]] = counts.get(message[BOX], 0) + 1
        for row in rows:
            row["messages"] = counts.get(row["id"], 0)
    return reply


async def user_owns_box(ctx: Context) -> bool:
    """A `user` login may change only the boxes it owns, and their messages."""
    identity = ctx.identity
    if identity is None or not ctx.args or ctx.args[0] == MESSAGES:
        return False
    box = await ctx.store.get(VMBOXES, ctx.args[0])
    if box is None or box.get("pvt_account_id") != ctx.account_id:
        return True  # the handler answers 404
    return identity.owner_id is not None and box.get("owner_id") == identity.owner_id


_HANDLERS = document_handlers(VMBOX_DOCS)

VMBOXES_RESOURCE = Resource(
    name=VMBOXES,
    routes=(
        Route((), {"GET": list_vmboxes, "PUT": _HANDLERS["0:PUT"]}),
        Route(
            (ID,),
            {verb: _HANDLERS[f"1:{verb}"] for verb in ("DELETE", "GET", "PATCH", "POST")},
        ),
        Route((MESSAGES,), {"GET": account_messages_handler}),
        *message_routes(VMBOX_DOCS),
    ),
    content_types=JSON_TYPES | UPLOAD_TYPES | AUDIO_TYPES,
    indexes=(*VMBOX_DOCS.indexes(), *MESSAGE_DOCS.indexes()),
    schema=VmboxSchema,
    documents=VMBOX_DOCS,
    sub_documents=(MESSAGE_DOCS,),
    user_may_write=user_owns_box,
)

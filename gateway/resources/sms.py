"""sms: text messages queued for the carrier side, with the status it reports back.

A message is `queued` until the carrier side takes it from the SMS feed and reports `sent`,
`delivered` or `failed` through the intake; the gateway never claims more than it was told.
"""

from __future__ import annotations

import re
import time

from gateway.crossbar.context import Context
from gateway.crossbar.crud import document_resource
from gateway.crossbar.documents import Doc, Documents
from gateway.crossbar.errors import invalid
from gateway.store import Index
from schemas.sms import SmsSchema

SMS = "sms"
DUE = "pvt_send_due"
# Kazoo: a number it can reconcile goes out through a carrier (offnet); anything else onnet.
RECONCILABLE = re.compile(r"^\+?[0-9]{7,15}$")
CREATED_ONLY = ("status", "message_id", "route_type", "custom_vars")


async def queue_message(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """Fill in what Kazoo fills in and queue the message for the carrier side."""
    if old is not None:
        # Only the carrier side's reports change a message; a reported one is not offered again.
        return {**doc, DUE: None} if doc.get("status") != "queued" else doc
    to = str(doc["to"])
    route = "offnet" if RECONCILABLE.match(to) else "onnet"
    sender = doc.get("from") or _default_caller_id(ctx)
    if not sender:
        raise invalid("from", "required", "Field is required but missing")
    identity = ctx.identity
    owner = identity.owner_id if identity and identity.account_id == ctx.account_id else None
    account = ctx.account or {}
    custom_vars = {
        "account_id": ctx.account_id,
        "reseller_id": account.get("pvt_reseller_id") or ctx.account_id,
        "authorizing_type": "user" if owner else "account",
        "authorizing_id": owner or ctx.account_id,
    }
    if owner:
        custom_vars["owner_id"] = owner
    return {
        **{k: v for k, v in doc.items() if k not in CREATED_ONLY},
        "from": sender,
        "to": to,
        "message_id": doc["id"],
        "route_type": route,
        "custom_vars": custom_vars,
        "status": "queued",
        DUE: time.time(),
    }


def _default_caller_id(ctx: Context) -> str | None:
    """Kazoo takes the account's external caller id when `from` is absent."""
    caller_id = (ctx.account or {}).get("caller_id") or {}
    number = (caller_id.get("external") or {}).get("number")
    return str(number) if number else None


def sms_row(doc: Doc) -> Doc:
    """A row of the sms listing."""
    keys = ("id", "from", "to", "body", "status", "route_type")
    row = {key: doc[key] for key in keys if doc.get(key) is not None}
    row["created"] = doc.get("pvt_created")
    return row


SMS_DOCS = Documents(
    kind=SMS,
    schema=SmsSchema,
    row=sms_row,
    before_save=(queue_message,),
    extra_indexes=(Index(SMS, "sms_send_due", (DUE,), sparse_on=DUE),),
)
# Kazoo: PUT sends, GET lists and reads, DELETE removes; a sent message is never edited.
SMS_RESOURCE = document_resource(SMS_DOCS, {0: {"GET", "PUT"}, 1: {"GET", "DELETE"}})

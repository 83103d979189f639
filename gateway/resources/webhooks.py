"""Webhooks: HTTP callbacks for an account's call and document events."""

from __future__ import annotations

from gateway.crossbar.context import Context, Reply
from gateway.crossbar.crud import document_handlers, document_resource
from gateway.crossbar.documents import Doc, Documents
from gateway.crossbar.errors import invalid
from gateway.crossbar.merge import public
from gateway.crossbar.resource import Route
from gateway.crossbar.write import save
from schemas.webhooks import WebhookSchema

WEBHOOKS = "webhooks"
# Kazoo checks `hook` against the hook definitions its webhooks app installs (`all` is extra).
AVAILABLE_HOOKS = (
    "all",
    "callflow",
    "channel_answer",
    "channel_bridge",
    "channel_create",
    "channel_destroy",
    "conference",
    "doc",
    "fax",
    "inbound_fax",
    "notifications",
    "object",
    "outbound_fax",
    "parking",
)
REENABLE = "re-enable"


async def hook_available(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """`hook` names an available hook."""
    if doc["hook"] not in AVAILABLE_HOOKS:
        raise invalid(
            "hook",
            "enum",
            "Value not found in enumerated list of values",
            target=list(AVAILABLE_HOOKS),
            value=doc["hook"],
        )
    return doc


def webhook_row(doc: Doc) -> Doc:
    """A row of the webhooks listing (`webhooks/crossbar_listing`)."""
    return {key: doc[key] for key in ("id", "hook", "name") if doc.get(key) is not None}


WEBHOOK_DOCS = Documents(
    kind=WEBHOOKS,
    schema=WebhookSchema,
    row=webhook_row,
    before_save=(hook_available,),
)


async def reenable_hooks(ctx: Context) -> Reply:
    """`PATCH /webhooks` with `{"re-enable": true}` turns the account's disabled hooks back on."""
    data = ctx.data if isinstance(ctx.data, dict) else {}
    if REENABLE not in data:
        raise invalid(REENABLE, "required", "re-enable is required to patch collections")
    if data[REENABLE] is not True and data[REENABLE] != "true":
        raise invalid(
            REENABLE, "enum", "value not found in enumerated list of values", target=[True]
        )
    disabled = await ctx.store.find(WEBHOOKS, {"pvt_account_id": ctx.account_id, "enabled": False})
    for hook in disabled:
        await save(ctx, WEBHOOK_DOCS, {**public(hook), "enabled": True}, hook)
    return Reply("hooks updated")


_HANDLERS = document_handlers(WEBHOOK_DOCS)

WEBHOOKS_RESOURCE = document_resource(
    WEBHOOK_DOCS,
    {1: {"GET", "POST", "PATCH", "DELETE"}},
    extra_routes=(
        Route((), {"GET": _HANDLERS["0:GET"], "PUT": _HANDLERS["0:PUT"], "PATCH": reenable_hooks}),
    ),
)

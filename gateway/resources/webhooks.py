"""Webhooks: HTTP callbacks for an account's call and document events."""

from __future__ import annotations

from gateway.auth.tree import ACCOUNTS
from gateway.crossbar.context import Context, Reply
from gateway.crossbar.crud import created_reply, document_handlers, document_resource
from gateway.crossbar.errors import invalid
from gateway.crossbar.merge import public
from gateway.crossbar.resource import Route
from gateway.crossbar.write import request_data, save
from gateway.resources.accounts import descendants_query
from gateway.resources.webhook_docs import SECRET, WEBHOOK_DOCS, WEBHOOKS
from gateway.resources.webhook_tools import TOOL_ROUTES
from gateway.webhooks.available import AVAILABLE

REENABLE = "re-enable"


_HANDLERS = document_handlers(WEBHOOK_DOCS)


async def create_hook(ctx: Context) -> Reply:
    """PUT: as any document, and the reply carries the signing secret, this once."""
    saved = await save(ctx, WEBHOOK_DOCS, request_data(ctx), None)
    reply = created_reply(ctx, WEBHOOK_DOCS, saved)
    reply.data["secret"] = saved[SECRET]
    return reply


async def reenable_hooks(ctx: Context) -> Reply:
    """`PATCH /webhooks` with `{"re-enable": true}` turns disabled hooks back on (with
    `accounts/{A}/descendants/webhooks`, in the whole subtree)."""
    data = ctx.data if isinstance(ctx.data, dict) else {}
    if REENABLE not in data:
        raise invalid(REENABLE, "required", "re-enable is required to patch collections")
    if data[REENABLE] is not True and data[REENABLE] != "true":
        raise invalid(
            REENABLE, "enum", "value not found in enumerated list of values", target=[True]
        )
    accounts = [ctx.account_id]
    if ctx.parents.get(ACCOUNTS, ())[1:] == ("descendants",) and ctx.account is not None:
        below = await ctx.store.find(ACCOUNTS, descendants_query(ctx.account))
        accounts += [doc["id"] for doc in below]
    disabled = await ctx.store.find(
        WEBHOOKS, {"pvt_account_id": {"$in": accounts}, "enabled": False}
    )
    for hook in disabled:
        await save(ctx, WEBHOOK_DOCS, {**public(hook), "enabled": True}, hook)
    return Reply("hooks updated")


async def available_hooks(ctx: Context) -> Reply:
    """`GET /v2/webhooks`: the hooks one may subscribe to (no login, as Kazoo)."""
    return Reply(AVAILABLE)


WEBHOOKS_RESOURCE = document_resource(
    WEBHOOK_DOCS,
    {1: {"GET", "POST", "PATCH", "DELETE"}},
    extra_routes=(
        Route((), {"GET": _HANDLERS["0:GET"], "PUT": create_hook, "PATCH": reenable_hooks}),
        *TOOL_ROUTES,
    ),
    parents=frozenset({"descendants"}),
    unscoped=(Route((), {"GET": available_hooks}),),
)

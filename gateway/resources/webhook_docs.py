"""Webhook documents: Kazoo's fields, a safe `uri`, a signing secret, disable reasons."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from gateway.auth.identity import Identity
from gateway.crossbar.context import Context
from gateway.crossbar.documents import Doc, Documents
from gateway.crossbar.errors import DatastoreConflict, invalid
from gateway.crossbar.merge import public
from gateway.crossbar.write import save
from gateway.keys import STORE
from gateway.store import Index
from gateway.webhooks.addresses import UNRESOLVED, UnsafeAddress, check_url
from gateway.webhooks.signing import new_secret
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
DISABLED_MESSAGE = "pvt_disabled_message"
SECRET = "pvt_secret"
SINCE = "pvt_events_since"
RESOLVE_SECONDS = 5.0


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


async def uri_is_public(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """Never a loopback, private, link-local or metadata address (unless allowed)."""
    if old is not None and old.get("uri") == doc["uri"]:
        return doc
    try:
        async with asyncio.timeout(RESOLVE_SECONDS):
            await check_url(doc["uri"], allow_private=ctx.settings.webhooks_allow_private)
    except UnsafeAddress as err:
        # A name that does not resolve yet is kept: every delivery checks where it connects.
        if err.reason != UNRESOLVED:
            raise invalid("uri", "format", err.reason, value=doc["uri"]) from None
    except TimeoutError:
        pass
    return doc


async def keep_secret(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """A hook signs with its own secret, made once; enabling it again clears the failures."""
    if old is None or not old.get(SECRET):
        doc[SECRET] = new_secret()
    if old is None:
        doc[SINCE] = time.time()
    if doc.get("enabled", True) and old is not None and old.get("enabled") is False:
        doc.update({DISABLED_MESSAGE: None, "pvt_failed_events": None})
    return doc


def webhook_row(doc: Doc) -> Doc:
    """A row of the webhooks listing (Kazoo's `webhooks/crossbar_listing`)."""
    row = {key: doc.get(key) for key in ("id", "hook", "name", "uri", "group")}
    row = {key: value for key, value in row.items() if value is not None}
    row["enabled"] = doc.get("enabled", True)
    if doc.get(DISABLED_MESSAGE):
        row["disable_reason"] = doc[DISABLED_MESSAGE]
    return row


def present(ctx: Context, shown: Doc, stored: Doc) -> Doc:
    """The document, with why it was disabled when it was."""
    if stored.get(DISABLED_MESSAGE):
        shown["disable_reason"] = stored[DISABLED_MESSAGE]
    return shown


WEBHOOK_DOCS = Documents(
    kind=WEBHOOKS,
    schema=WebhookSchema,
    row=webhook_row,
    before_save=(hook_available, uri_is_public, keep_secret),
    present=present,
    extra_indexes=(Index(WEBHOOKS, "webhooks_account", ("pvt_account_id",)),),
)


_SYSTEM = Identity(
    account_id="", owner_id=None, method="system", priv_level="admin", superduper=True
)


def hook_disabler(app: web.Application) -> Callable[[str, str], Awaitable[None]]:
    """What delivery calls to turn a failing hook off, through the write path."""

    async def disable(hook_id: str, reason: str) -> None:
        hook = await app[STORE].get(WEBHOOKS, hook_id)
        if hook is None or hook.get("enabled") is False:
            return
        ctx = Context(app=app, request_id="webhooks", verb="POST", identity=_SYSTEM)
        ctx.account_id = hook["pvt_account_id"]
        off = {**hook, DISABLED_MESSAGE: reason}
        try:
            await save(ctx, WEBHOOK_DOCS, {**public(hook), "enabled": False}, off, before=hook)
        except DatastoreConflict:
            pass  # changed meanwhile: the next failure decides again

    return disable

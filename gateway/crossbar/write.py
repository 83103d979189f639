"""The one write path: validate, run hooks, stamp private fields, store."""

from __future__ import annotations

import re
from typing import Any

from gateway.audit.facts import document_facts
from gateway.crossbar.claims import acquire, release, release_keys
from gateway.crossbar.clock import gregorian_now
from gateway.crossbar.context import Context
from gateway.crossbar.documents import Doc, Documents
from gateway.crossbar.errors import DatastoreConflict, EmptyError, InvalidData, NotFound, invalid
from gateway.crossbar.merge import is_private, public
from gateway.crossbar.timing import step_name, timed
from gateway.crossbar.validation import load
from gateway.events.outbox import document_intent
from gateway.keys import EVENT_OUTBOX
from gateway.store import Conflict, DuplicateValue
from gateway.store.ids import new_id, next_revision

_ID = re.compile(r"^[0-9a-f]{32}$")


async def load_scoped(ctx: Context, docs: Documents, doc_id: str) -> Doc:
    """A document of this kind in the request's account, or 404 bad_identifier."""
    doc = await ctx.store.get(docs.kind, doc_id)
    if doc is None or doc.get("pvt_account_id") != ctx.account_id:
        raise NotFound(doc_id)
    return doc


def check_if_match(ctx: Context, doc: Doc) -> None:
    """412 (empty body) when If-Match names another revision."""
    wanted = ctx.header("If-Match")
    if wanted is None:
        return
    tags = {tag.strip() for tag in wanted.split(",")}
    if "*" not in tags and f'"{doc.get("_rev")}"' not in tags:
        raise EmptyError(412)


def request_data(ctx: Context) -> Doc:
    """The request's `data` object without private keys (an array is a type error)."""
    if not isinstance(ctx.data, dict):
        raise invalid(
            "data",
            "type",
            "Value did not match type(s): object",
            target="object",
            value=ctx.data,
        )
    return public({k: v for k, v in ctx.data.items() if k not in ("id", "verb", "auth_token")})


async def save(
    ctx: Context,
    docs: Documents,
    data: Doc,
    old: Doc | None,
    *,
    create_id: str | None = None,
    before: Doc | None = None,
) -> Doc:
    """Validate `data` and store it as a new document (id `create_id` if given) or over `old`.

    `before` is the document as stored when `old` already carries private changes (a new API
    key, a new signing secret), so that the audit diff shows them.
    """
    with timed(ctx, "validate"):
        doc = load(docs.schema, data)
    doc_id = (create_id or _requested_id(ctx)) if old is None else old["id"]
    doc["id"] = doc_id
    for hook in docs.before_save:
        with timed(ctx, step_name(hook)):
            doc = await hook(ctx, doc, old)
    stored = _stamped(ctx, docs, {**doc, "id": doc_id}, old)
    prev = old["_rev"] if old is not None else None
    revision = next_revision(prev)
    outbox = ctx.app[EVENT_OUTBOX]
    with timed(ctx, "audit"):
        facts = document_facts(ctx, docs, old if before is None else before, stored)
    intent = document_intent(
        docs.kind, stored.get("pvt_account_id"), doc_id, prev, revision, audit=facts
    )
    taken: list[str] = []
    try:
        with timed(ctx, "claims"):
            for claim in docs.claims:
                taken += await acquire(ctx, docs.kind, claim, stored, old)
        with timed(ctx, "outbox"):
            await outbox.announce(intent)
        with timed(ctx, "store"):
            saved = await (
                ctx.store.insert(docs.kind, stored, revision=revision)
                if old is None
                else ctx.store.replace(docs.kind, stored, revision=revision)
            )
    except DuplicateValue as dup:
        await _refused(ctx, intent, taken)
        raise _unique_error(docs, dup.index, stored) from None
    except Conflict:
        await _refused(ctx, intent, taken)
        raise DatastoreConflict() from None
    except BaseException:
        # The write may have happened: its intent stays for the relay to decide.
        await release_keys(ctx, taken)
        raise
    outbox.changed()
    if old is not None:
        with timed(ctx, "release_claims"):
            for claim in docs.claims:
                await release(ctx, claim, old, saved)
    for after in docs.after_save:
        with timed(ctx, step_name(after)):
            await after(ctx, saved, old)
    return saved


def _stamped(ctx: Context, docs: Documents, doc: Doc, old: Doc | None) -> Doc:
    """The document as stored: private fields kept or set, timestamps, listing keys."""
    now = gregorian_now()
    if old is None:
        stored: dict[str, Any] = {
            **doc,
            "pvt_type": docs.kind,
            "pvt_created": now,
        }
        stored.setdefault("pvt_account_id", ctx.account_id)
    else:
        kept = {k: v for k, v in old.items() if is_private(k)}
        stored = {**kept, **doc}
    # A hook sets a private key to None to remove it.
    stored = {k: v for k, v in stored.items() if not (k.startswith("pvt_") and v is None)}
    stored["pvt_modified"] = now
    docs.stamp_listing_keys(stored)
    return stored


async def _refused(ctx: Context, intent: dict[str, Any], taken: list[str]) -> None:
    """The store refused the write: nothing happened, so nothing is announced."""
    await ctx.app[EVENT_OUTBOX].withdraw(intent)
    await release_keys(ctx, taken)


async def remove(ctx: Context, docs: Documents, doc: Doc) -> None:
    """Delete a document through the hooks (only at the revision read: else 409)."""
    for hook in docs.before_delete:
        await hook(ctx, doc)
    outbox = ctx.app[EVENT_OUTBOX]
    facts = document_facts(ctx, docs, doc, None)
    intent = document_intent(
        docs.kind, doc.get("pvt_account_id"), doc["id"], doc["_rev"], None, audit=facts
    )
    await outbox.announce(intent)
    if not await ctx.store.delete(docs.kind, doc["id"], revision=doc["_rev"]):
        await outbox.withdraw(intent)
        if await ctx.store.get(docs.kind, doc["id"]) is None:
            raise NotFound(doc["id"])
        raise DatastoreConflict()
    outbox.changed()
    for claim in docs.claims:
        await release(ctx, claim, doc, None)
    for after in docs.after_delete:
        await after(ctx, doc)


def _requested_id(ctx: Context) -> str:
    wanted = ctx.data.get("id") if isinstance(ctx.data, dict) else None
    if wanted is None:
        return new_id()
    if not isinstance(wanted, str) or not _ID.match(wanted):
        raise invalid("id", "pattern", "Failed to match pattern '^[0-9a-f]{32}$'", value=wanted)
    return wanted


def _unique_error(docs: Documents, index: str, doc: Doc) -> InvalidData:
    rule = docs.rule(index)
    if rule is None:
        return invalid("id", "unique", "Document id already in use", cause=doc["id"])
    cause = rule.cause(doc) if rule.cause else _value(doc, rule.keys[0])
    return invalid(rule.path, "unique", rule.message, cause=cause)


def _value(doc: Doc, dotted: str) -> Any:
    value: Any = doc
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value

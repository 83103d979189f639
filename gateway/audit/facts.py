"""What a write's audit entry says beyond the change itself: who, from which request, the diff."""

from __future__ import annotations

from typing import Any

from gateway.audit.changes import changes
from gateway.auth.identity import Identity
from gateway.crossbar.context import Context
from gateway.crossbar.documents import Documents

Doc = dict[str, Any]
# Stamped on every write, or derived: never a change worth showing.
_NOISE = frozenset({"_rev", "id", "pvt_created", "pvt_modified", "pvt_type"})


def actor_of(ctx: Context, identity: Identity | None = None) -> Doc:
    """Who acts: the login's account, user (none for an API key) and method, its session, and
    the /v1/pbx API key it presented.

    Without a login the write comes from the intake (an intake key) or from the gateway itself.
    """
    identity = identity or ctx.identity
    if identity is None:
        return {"method": "intake_key" if ctx.request is not None else "system"}
    actor = {
        "account_id": identity.account_id,
        "user_id": identity.owner_id,
        "method": identity.method,
        "session_id": identity.session_id,
        "key_id": identity.key_id,
    }
    return {key: value for key, value in actor.items() if value}


def tree_of(ctx: Context, doc: Doc) -> list[str] | None:
    """The ancestors of the account a document belongs to, when known without a read."""
    if "pvt_tree" in doc:  # an account document
        return list(doc["pvt_tree"] or [])
    account = ctx.account
    if account is not None and account.get("id") == doc.get("pvt_account_id"):
        return list(account.get("pvt_tree") or [])
    return None


def document_facts(ctx: Context, docs: Documents, before: Doc | None, after: Doc | None) -> Doc:
    """The audit facts an intent carries for one create (no `before`), edit or delete."""
    ignored = _NOISE | {listing.field for listing in docs.listings}
    old, new, changed = changes(_shown(before, ignored), _shown(after, ignored))
    doc = after if after is not None else before
    assert doc is not None
    return {
        "actor": actor_of(ctx),
        "request_id": ctx.request_id,
        "changed": changed,
        "before": old,
        "after": new,
        "tree": tree_of(ctx, doc),
        "keep_days": ctx.settings.audit_retention_days,
    }


def _shown(doc: Doc | None, ignored: frozenset[str]) -> Doc:
    return {} if doc is None else {k: v for k, v in doc.items() if k not in ignored}

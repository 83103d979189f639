"""Audit entries for auth actions that are not document writes (logins, revoked tokens)."""

from __future__ import annotations

import time
from typing import Any

from gateway.audit.entries import write_entries
from gateway.audit.facts import actor_of
from gateway.auth.identity import Identity
from gateway.crossbar.context import Context
from gateway.store.ids import new_id


async def record(
    ctx: Context,
    action: str,
    account: dict[str, Any],
    subject: tuple[str, str],
    identity: Identity | None = None,
) -> None:
    """Record `action` on `subject` (kind, id) in `account` (its document), by `identity`
    (default: the request's), now: one store write, after the action happened."""
    kind, doc_id = subject
    entry = {
        "id": new_id(),
        "at": time.time(),
        "account_id": account["id"],
        "type": kind,
        "doc_id": doc_id,
        "action": action,
        "actor": actor_of(ctx, identity),
        "request_id": ctx.request_id,
    }
    tree = list(account.get("pvt_tree") or [])
    await write_entries(ctx.store, [(entry, tree, ctx.settings.audit_retention_days)])

"""Who calls /v1/pbx: `Authorization: Bearer do_live_...`, verified in one by-id read (cached
for GATEWAY_CACHE_TTL_MS), reaching the key's own account and nothing else."""

from __future__ import annotations

import time

from gateway.auth.api_keys import (
    API_KEYS,
    VERIFIED_KEYS,
    VerifiedKey,
    grants,
    is_well_formed,
    key_id,
    touch,
)
from gateway.auth.tree import resolve_account
from gateway.crossbar.context import Context
from gateway.crossbar.errors import ApiError
from gateway.dialects.dodev.errors import insufficient_scope, unauthorized
from gateway.dialects.dodev.plans import plan_name
from gateway.dialects.dodev.sandbox import sandbox_of
from gateway.keys import ACCOUNT_CACHE
from gateway.resources.limits import stored_limits


def presented_secret(ctx: Context) -> str | None:
    """The Bearer credential of the Authorization header, if any."""
    scheme, _, value = (ctx.header("Authorization") or "").partition(" ")
    return (value.strip() or None) if scheme.lower() == "bearer" else None


async def _load(ctx: Context, doc_id: str) -> VerifiedKey | None:
    doc = await ctx.store.get(API_KEYS, doc_id)
    if doc is None:
        return None
    account_id = str(doc["pvt_account_id"])
    return VerifiedKey(
        key_id=doc_id,
        account_id=account_id,
        scopes=frozenset(doc.get("scopes") or ()),
        mode=str(doc.get("mode", "live")),
        plan=plan_name(await stored_limits(ctx, account_id)),
        expires_at=doc.get("expires_at"),
        last_used=int(doc.get("pvt_last_used") or 0),
    )


async def authenticate(ctx: Context) -> VerifiedKey:
    """The request's key, its caller in `ctx.identity` and its account in `ctx.account`;
    401 for no key or an unknown, revoked or expired one (or one whose account is gone)."""
    secret = presented_secret(ctx)
    if secret is None:
        raise unauthorized("Send an API key: Authorization: Bearer do_live_...")
    if not is_well_formed(secret):
        raise unauthorized("Unknown API key")
    verified = ctx.app[VERIFIED_KEYS]
    doc_id = key_id(await verified.hashing_key(ctx.store, ctx.settings.secret_key), secret)
    key = await verified.get(doc_id, lambda: _load(ctx, doc_id))
    if key is None:
        raise unauthorized("Unknown or revoked API key")
    if key.expired(time.time()):
        raise unauthorized("This API key has expired")
    try:
        account = await resolve_account(ctx.app[ACCOUNT_CACHE], key.account_id)
    except ApiError:
        raise unauthorized("Unknown or revoked API key") from None
    if account.get("pvt_enabled") is False:
        raise unauthorized("The account of this API key is disabled")
    ctx.identity = key.identity()
    if key.mode != "live":
        account = await sandbox_of(ctx, key, account)
    ctx.account, ctx.account_id = account, account["id"]
    await touch(ctx.store, key)
    return key


def require_scope(key: VerifiedKey, scope: str) -> None:
    """403 INSUFFICIENT_SCOPE naming `scope` unless the key holds it (or a wildcard for it)."""
    if not grants(key.scopes, scope):
        raise insufficient_scope(scope)

"""Where a request carries its credentials, and Basic authentication."""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from gateway.auth.identity import Identity
from gateway.auth.passwords import bucket, matches
from gateway.auth.throttle import record_failure, refuse_if_throttled
from gateway.auth.tree import ACCOUNTS
from gateway.crossbar.context import Context
from gateway.crossbar.documents import Listing
from gateway.crossbar.errors import Unauthorized
from gateway.keys import TOKENS

USERS = "users"


def _login_listing(method: str) -> Listing:
    """Enabled users of an account by their credential tag: a login reads a few candidates."""

    def scope_of(doc: dict[str, Any]) -> str | None:
        tag = doc.get(f"pvt_{method}_bucket")
        if tag is None or doc.get("enabled") is not True:
            return None
        return f"{doc.get('pvt_account_id')}/{tag}"

    return Listing(f"pvt_by_{method}_login", scope_of)


LOGIN_LISTINGS = {method: _login_listing(method) for method in ("md5", "sha")}


def client_address(ctx: Context) -> str:
    """The peer address; X-Forwarded-For only when the peer is a trusted proxy."""
    peer = (ctx.request.remote if ctx.request else None) or "local"
    forwarded = ctx.header("X-Forwarded-For")
    if forwarded and peer in ctx.settings.trusted_proxies:
        return forwarded.split(",")[-1].strip()
    return peer


def token_of(ctx: Context) -> str | None:
    """X-Auth-Token, then `auth_token` (data, query, envelope), then `Authorization: Bearer`."""
    token = ctx.header("X-Auth-Token") or ctx.param("auth_token")
    if not token:
        scheme, _, value = (ctx.header("Authorization") or "").partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            token = value.strip()
    return str(token) if token else None


async def basic_identity(ctx: Context) -> Identity | None:
    """`Authorization: Basic base64(account_id:md5(user:pass))`, checked per request."""
    scheme, _, value = (ctx.header("Authorization") or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        account_id, _, secret = base64.b64decode(value.strip()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise Unauthorized() from None
    address = client_address(ctx)
    await refuse_if_throttled(ctx.store, ctx.settings, account_id, address)
    identity = await _basic_user(ctx, account_id, secret)
    if identity is None:
        await record_failure(ctx.store, ctx.settings, account_id, address)
        raise Unauthorized()
    return identity


async def _basic_user(ctx: Context, account_id: str, secret: str) -> Identity | None:
    account = await ctx.store.get(ACCOUNTS, account_id) if len(account_id) == 32 else None
    if account is None or account.get("pvt_enabled") is False:
        return None
    # Kazoo also takes the clear 'username:password' in place of its md5.
    digest = secret if ":" not in secret else _md5_of_clear(secret)
    user = await user_with_digest(ctx, account_id, digest, "md5")
    if user is None:
        return None
    return Identity(
        account_id=account_id,
        owner_id=user["id"],
        method="cb_basic_auth",
        priv_level=user.get("priv_level", "user"),
        superduper=bool(account.get("pvt_superduper_admin")),
    )


async def user_with_digest(
    ctx: Context, account_id: str, digest: str, method: str
) -> dict[str, Any] | None:
    """The enabled user of `account_id` whose credentials give `digest` (md5 or sha)."""
    tag = bucket(ctx.app[TOKENS].login_secret, account_id, digest)
    listing = LOGIN_LISTINGS[method]
    candidates = await ctx.store.find(
        USERS, {listing.field: Listing.bounds(f"{account_id}/{tag}")}, limit=_MOST_CANDIDATES
    )
    for user in candidates:
        hashed = user.get(f"pvt_{method}_hash")
        if hashed and await matches(digest, hashed):
            return user
    return None


# 4,096 tags per account: even 100,000 users give about 25 candidates.
_MOST_CANDIDATES = 1000


def _md5_of_clear(secret: str) -> str:
    username, _, password = secret.partition(":")
    return hashlib.md5(f"{username.lower()}:{password}".encode()).hexdigest()

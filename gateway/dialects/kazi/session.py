"""Who calls /api: a session token as `Authorization: Bearer` or in the `kazi_session`
cookie, and the CSRF rule for cookie-authenticated writes."""

from __future__ import annotations

from urllib.parse import urlsplit

from aiohttp import web

from gateway.auth.tree import resolve_account
from gateway.crossbar.context import Context
from gateway.crossbar.errors import ApiError
from gateway.dialects.kazi.errors import csrf_mismatch, forbidden, unauthenticated
from gateway.keys import ACCOUNT_CACHE, TOKENS

COOKIE = "kazi_session"
COOKIE_PATH = "/api"
WRITE_VERBS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def bearer_of(ctx: Context) -> str | None:
    """The Bearer credential of the Authorization header, if any."""
    scheme, _, value = (ctx.header("Authorization") or "").partition(" ")
    return (value.strip() or None) if scheme.lower() == "bearer" else None


def cookie_of(ctx: Context) -> str | None:
    """The session cookie, if any."""
    assert ctx.request is not None
    return ctx.request.cookies.get(COOKIE) or None


async def authenticate(ctx: Context) -> None:
    """The caller in `ctx.identity` and its account in `ctx.account`: 401 without a live
    session, 403 for a non-admin one, 419 for a cookie write that fails the CSRF rule."""
    token = bearer_of(ctx)
    by_cookie = token is None
    token = token or cookie_of(ctx)
    if token is None:
        raise unauthenticated()
    identity = await ctx.app[TOKENS].verify(token)
    if identity is None:
        raise unauthenticated()
    try:
        account = await resolve_account(ctx.app[ACCOUNT_CACHE], identity.account_id)
    except ApiError:
        raise unauthenticated() from None
    if account.get("pvt_enabled") is False:
        raise unauthenticated()
    if identity.priv_level != "admin":
        raise forbidden()
    if by_cookie and ctx.verb in WRITE_VERBS and not same_origin(ctx):
        raise csrf_mismatch()
    ctx.identity, ctx.token = identity, token
    ctx.account, ctx.account_id = account, account["id"]


def same_origin(ctx: Context) -> bool:
    """True for an XMLHttpRequest, or an Origin whose host is the request's Host."""
    if ctx.header("X-Requested-With") == "XMLHttpRequest":
        return True
    origin, host = ctx.header("Origin"), ctx.header("Host")
    if not origin or not host:
        return False
    return urlsplit(origin).netloc.lower() == host.lower()


def served_securely(ctx: Context) -> bool:
    """True over https, directly or as a trusted proxy reports it."""
    assert ctx.request is not None
    if ctx.request.secure:
        return True
    peer = ctx.request.remote or ""
    proto = (ctx.header("X-Forwarded-Proto") or "").split(",")[0].strip().lower()
    return proto == "https" and peer in ctx.settings.trusted_proxies


def set_cookie(ctx: Context, response: web.StreamResponse, token: str) -> None:
    """The session cookie, living as long as the token."""
    response.set_cookie(
        COOKIE,
        token,
        max_age=ctx.app[TOKENS].ttl,
        path=COOKIE_PATH,
        httponly=True,
        samesite="Lax",
        secure=served_securely(ctx),
    )


def clear_cookie(ctx: Context, response: web.StreamResponse) -> None:
    """Tell the browser to forget the session cookie."""
    response.del_cookie(
        COOKIE, path=COOKIE_PATH, secure=served_securely(ctx), httponly=True, samesite="Lax"
    )

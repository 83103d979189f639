"""Logins: user_auth (credentials), api_auth (API key) and token_auth (the token itself)."""

from __future__ import annotations

from typing import Any

from gateway.audit import record
from gateway.auth.credentials import client_address, user_with_digest
from gateway.auth.identity import Identity
from gateway.auth.throttle import record_failure, refuse_if_throttled
from gateway.auth.tokens import SESSIONS
from gateway.auth.tree import ACCOUNTS
from gateway.crossbar.context import Context, Reply
from gateway.crossbar.documents import Doc
from gateway.crossbar.errors import ApiError, TokenRejected, Unauthorized, invalid
from gateway.crossbar.resource import ID, Resource, Route
from gateway.crossbar.validation import load
from gateway.keys import ACCOUNT_CACHE, TOKENS
from gateway.resources.accounts import name_key
from gateway.resources.app_rules import Viewer, login_app
from gateway.resources.apps_store import account_apps
from gateway.resources.users import USERS
from schemas.auth import ApiAuthSchema, UserAuthSchema

PHONE_NUMBERS = "phone_numbers"


class UnknownApiKey(ApiError):
    """Kazoo answers an unknown API key with 404 and the key in an array."""

    status = 404
    message = "bad identifier"


def auth_data(account: Doc, user: Doc | None) -> dict[str, Any]:
    """What a login returns besides the token."""
    language = (user or {}).get("language") or account.get("language") or "en-us"
    data: dict[str, Any] = {"account_id": account["id"]}
    if user is not None:
        data["owner_id"] = user["id"]
    data.update(
        account_name=account.get("name"),
        apps=[],
        language=language,
        reseller_id=account.get("pvt_reseller_id"),
        is_reseller=bool(account.get("pvt_reseller")),
        is_master_account=bool(account.get("pvt_superduper_admin")),
        capabilities={},
        ui_config={},
    )
    return data


async def login_data(ctx: Context, account: Doc, user: Doc | None) -> dict[str, Any]:
    """auth_data with the apps the user may open (Kazoo also lists the ones kept from it)."""
    data = auth_data(account, user)
    viewer = Viewer(user["id"], user.get("priv_level") == "admin") if user else None
    views = await account_apps(ctx, account, viewer)
    data["apps"] = [login_app(view, data["language"]) for view in views if view["published"]]
    return data


async def _accounts_for(ctx: Context, request: Doc) -> tuple[str, list[Doc]]:
    """The selector used and the accounts it names: phone number, realm, then name."""
    store = ctx.store
    if request.get("phone_number"):
        number = await store.get(PHONE_NUMBERS, request["phone_number"])
        owner = (number or {}).get("pvt_account_id")
        found = await store.get(ACCOUNTS, owner) if owner else None
        return request["phone_number"], [found] if found else []
    realm = request.get("account_realm") or request.get("realm")
    if realm:
        return realm, await store.find(ACCOUNTS, {"pvt_realm_key": realm.lower()})
    if request.get("account_name"):
        key = name_key(request["account_name"])
        return request["account_name"], await store.find(ACCOUNTS, {"pvt_name_key": key})
    raise Unauthorized()


async def user_auth(ctx: Context) -> Reply:
    """PUT /v2/user_auth: a token for md5/sha credentials within one account."""
    request = load(UserAuthSchema, ctx.data if isinstance(ctx.data, dict) else {})
    selector, accounts = await _accounts_for(ctx, request)
    # Failures count per account reached, however the client spelled its selector.
    selector = ",".join(sorted(account["id"] for account in accounts)) or name_key(selector)
    address = client_address(ctx)
    await refuse_if_throttled(ctx.store, ctx.settings, selector, address)
    for account in accounts:
        user = await user_with_digest(
            ctx, account["id"], request["credentials"], request["method"]
        )
        if user is None:
            continue
        if account.get("pvt_enabled") is False:
            raise invalid("account", "disabled", "account disabled")
        identity = Identity(
            account_id=account["id"],
            owner_id=user["id"],
            method="cb_user_auth",
            priv_level=user.get("priv_level", "user"),
            superduper=bool(account.get("pvt_superduper_admin")),
        )
        token, claims = await ctx.app[TOKENS].issue(identity)
        await record(ctx, "login", account, (SESSIONS, claims["jti"]), identity)
        return Reply(await login_data(ctx, account, user), status=201, auth_token=token)
    await record_failure(ctx.store, ctx.settings, selector, address)
    raise Unauthorized()


async def api_auth(ctx: Context) -> Reply:
    """PUT /v2/api_auth: a token for an account API key."""
    request = load(ApiAuthSchema, ctx.data if isinstance(ctx.data, dict) else {})
    address = client_address(ctx)
    await refuse_if_throttled(ctx.store, ctx.settings, "api_key", address)
    account = await ctx.store.find_one(ACCOUNTS, {"pvt_api_key": request["api_key"]})
    if account is None:
        await record_failure(ctx.store, ctx.settings, "api_key", address)
        raise UnknownApiKey([request["api_key"]])
    identity = Identity(
        account_id=account["id"],
        owner_id=None,
        method="cb_api_auth",
        priv_level="admin",
        superduper=bool(account.get("pvt_superduper_admin")),
    )
    token, claims = await ctx.app[TOKENS].issue(identity)
    await record(ctx, "login", account, (SESSIONS, claims["jti"]), identity)
    return Reply(await login_data(ctx, account, None), status=201, auth_token=token)


async def _token_info(ctx: Context) -> dict[str, Any]:
    identity = ctx.identity
    assert identity is not None
    account = await ctx.store.get(ACCOUNTS, identity.account_id)
    if account is None:
        raise TokenRejected()
    user = await ctx.store.get(USERS, identity.owner_id) if identity.owner_id else None
    claims = {k: v for k, v in identity.claims.items() if k != "jti"}
    return {**claims, **(await login_data(ctx, account, user))}


async def token_info(ctx: Context) -> Reply:
    """GET /v2/token_auth: what the token stands for."""
    return Reply(await _token_info(ctx))


async def end_session(ctx: Context) -> None:
    """The caller's session stops working on every instance (audited)."""
    identity = ctx.identity
    assert identity is not None
    if identity.session_id is not None:
        await ctx.app[TOKENS].revoke(identity.session_id)
        account = await ctx.app[ACCOUNT_CACHE].get(identity.account_id)
        if account is not None:
            await record(ctx, "token_revoked", account, (SESSIONS, identity.session_id))


async def revoke_token(ctx: Context) -> Reply:
    """DELETE /v2/token_auth: the token stops working on every instance."""
    await end_session(ctx)
    return Reply(None)


async def token_lookup(ctx: Context) -> Reply:
    """GET /v2/user_auth/{token}: only with the same token presented."""
    if ctx.args[0] != ctx.token:
        raise Unauthorized()
    return Reply(await _token_info(ctx))


async def token_details(ctx: Context) -> Reply:
    """GET|POST /v2/auth/tokeninfo: what a token (`token` in the query or body) stands for."""
    assert ctx.request is not None
    data = ctx.data if isinstance(ctx.data, dict) else {}
    token = data.get("token") or ctx.request.query.get("token") or ""
    identity = await ctx.app[TOKENS].verify(token) if isinstance(token, str) and token else None
    if identity is None:
        raise TokenRejected()
    ctx.identity = identity
    return Reply(await _token_info(ctx))


AUTH = Resource(
    name="auth",
    scoped=False,
    routes=(
        Route(
            ("tokeninfo",),
            {"GET": token_details, "POST": token_details},
            public=frozenset({"GET", "POST"}),
        ),
    ),
)
USER_AUTH = Resource(
    name="user_auth",
    scoped=False,
    public=frozenset({"PUT"}),
    routes=(Route((), {"PUT": user_auth}), Route((ID,), {"GET": token_lookup})),
)
API_AUTH = Resource(
    name="api_auth",
    scoped=False,
    public=frozenset({"PUT"}),
    routes=(Route((), {"PUT": api_auth}),),
)
TOKEN_AUTH = Resource(
    name="token_auth",
    scoped=False,
    routes=(Route((), {"GET": token_info, "DELETE": revoke_token}),),
)

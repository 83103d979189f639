"""POST /api/admin/login and /api/admin/logout: admin sessions over the shared TokenService."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from gateway.audit import record
from gateway.auth.credentials import client_address
from gateway.auth.identity import Identity
from gateway.auth.throttle import record_failure, refuse_if_throttled
from gateway.auth.tokens import SESSIONS
from gateway.auth.tree import ACCOUNTS
from gateway.crossbar.context import Context
from gateway.crossbar.errors import TooManyRequests
from gateway.dialects.kazi.admins import user_for_login
from gateway.dialects.kazi.answer import Answer, answer
from gateway.dialects.kazi.body import read_fields, required_strings
from gateway.dialects.kazi.errors import forbidden, invalid, too_many_logins
from gateway.keys import TOKENS
from gateway.resources.auth import end_session

METHOD = "kazi_admin_login"
BAD_CREDENTIALS = {"login": ["These credentials do not match our records."]}


def user_view(user: dict[str, Any]) -> dict[str, Any]:
    """The logged-in user as the login answer shows it."""
    name = " ".join(part for part in (user.get("first_name"), user.get("last_name")) if part)
    return {
        "id": user["id"],
        "name": name,
        "username": user.get("username"),
        "email": user.get("email"),
        "priv_level": user.get("priv_level", "user"),
        "account_id": user.get("pvt_account_id"),
    }


async def login(ctx: Context, params: Mapping[str, str]) -> Answer:
    """A session for an admin's username or email and password: cookie and bearer token."""
    fields = await read_fields(ctx)
    errors = required_strings(fields, ("login", "password"))
    if errors:
        raise invalid(errors)
    name, password = fields["login"].strip(), fields["password"]
    selector, address = f"kazi:{name.lower()}", client_address(ctx)
    try:
        await refuse_if_throttled(ctx.store, ctx.settings, selector, address)
    except TooManyRequests as err:
        raise too_many_logins(err) from None
    user = await user_for_login(ctx, name, password)
    account = await ctx.store.get(ACCOUNTS, str(user["pvt_account_id"])) if user else None
    if user is None or account is None or account.get("pvt_enabled") is False:
        await record_failure(ctx.store, ctx.settings, selector, address)
        raise invalid(BAD_CREDENTIALS, "Invalid credentials.")
    if user.get("priv_level") != "admin":
        raise forbidden()
    identity = Identity(
        account_id=account["id"],
        owner_id=user["id"],
        method=METHOD,
        priv_level="admin",
        superduper=bool(account.get("pvt_superduper_admin")),
    )
    token, claims = await ctx.app[TOKENS].issue(identity)
    await record(ctx, "login", account, (SESSIONS, claims["jti"]), identity)
    expires_at = datetime.fromtimestamp(claims["exp"], UTC).isoformat().replace("+00:00", "Z")
    data = {"token": token, "user": user_view(user), "expires_at": expires_at}
    result = answer("Logged in successfully.", data)
    result.session = token
    return result


async def logout(ctx: Context, params: Mapping[str, str]) -> Answer:
    """End the caller's session on every instance and clear the cookie."""
    await end_session(ctx)
    result = answer("Logged out successfully.")
    result.end_session = True
    return result

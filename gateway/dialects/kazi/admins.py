"""Finding the admin user behind a username or email and password, with the same login
listings and slow hashes as user_auth."""

from __future__ import annotations

from typing import Any

from gateway.auth.credentials import USERS, user_with_digest
from gateway.auth.passwords import credential_digests
from gateway.crossbar.context import Context
from gateway.store import Index

# A login names a user across accounts, so users are found by username or email first.
INDEXES = (
    Index(USERS, "kazi_users_login_username", ("username",)),
    Index(USERS, "kazi_users_login_email", ("email",)),
)
# Usernames are unique per account only: a login tries at most this many same-named users.
_MOST_NAMESAKES = 20


async def _namesakes(ctx: Context, login: str) -> list[dict[str, Any]]:
    """Users whose username is `login`; else those whose email is (as given or lower-cased)."""
    found = await ctx.store.find(USERS, {"username": login.lower()}, limit=_MOST_NAMESAKES)
    if found or "@" not in login:
        return found
    for email in dict.fromkeys((login, login.lower())):
        found = await ctx.store.find(USERS, {"email": email}, limit=_MOST_NAMESAKES)
        if found:
            return found
    return []


async def user_for_login(ctx: Context, login: str, password: str) -> dict[str, Any] | None:
    """The enabled user whose username or email is `login` and whose password is `password`."""
    for candidate in await _namesakes(ctx, login):
        username, account_id = candidate.get("username"), candidate.get("pvt_account_id")
        if not username or not account_id:
            continue
        digest = credential_digests(str(username), password)["md5"]
        user = await user_with_digest(ctx, str(account_id), digest, "md5")
        if user is not None and user["id"] == candidate["id"]:
            return user
    return None

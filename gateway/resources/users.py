"""Users: the people of an account, and the logins."""

from __future__ import annotations

import secrets

from gateway.auth.credentials import LOGIN_LISTINGS
from gateway.auth.passwords import CREDENTIAL_FIELDS, stored_credentials
from gateway.crossbar.binary import UPLOAD_TYPES
from gateway.crossbar.context import Context
from gateway.crossbar.crud import document_resource
from gateway.crossbar.documents import BY_ACCOUNT, Doc, Documents, UniqueRule
from gateway.crossbar.errors import Forbidden, invalid
from gateway.crossbar.resource import ID, JSON_TYPES, Route
from gateway.crossbar.write import load_scoped
from gateway.keys import TOKENS
from gateway.resources.rules import USED_BY_CALLFLOWS, media_references
from gateway.resources.user_extras import photo_handlers, vcard_handler
from schemas.users import UserSchema

USERS = "users"
# Changes that end the user's sessions.
SESSION_FIELDS = ("pvt_md5_hash", "priv_level", "enabled")


async def credentials(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """Kazoo's credential rules; the password is kept only as slow hashes."""
    password = doc.pop("password", None)
    if "username" in doc:
        doc["username"] = doc["username"].lower()
    username = doc.get("username")
    old_username = (old or {}).get("username")
    if password is not None and username is None:
        username = doc["username"] = f"user_{secrets.token_hex(8)}"
    if username is None:
        for name in CREDENTIAL_FIELDS:
            doc[name] = None
        return doc
    if password is None:
        if old is None or username != old_username:
            raise invalid(
                "password",
                "required",
                "The password must be provided when creating / updating the user name",
                cause=username,
            )
        return doc
    account_id = ctx.account_id or doc.get("pvt_account_id")
    assert account_id is not None
    doc.update(
        await stored_credentials(
            ctx.app[TOKENS].login_secret,
            account_id,
            username,
            password,
            ctx.settings.bcrypt_rounds,
        )
    )
    return doc


async def user_exists(ctx: Context, args: tuple[str, ...]) -> None:
    """`users/{U}/...`: U is a user of this account (404 bad_identifier otherwise)."""
    await load_scoped(ctx, USER_DOCS, args[0])


async def own_user_document(ctx: Context) -> bool:
    """A `user` login may replace or patch its own user document."""
    identity = ctx.identity
    return (
        identity is not None and ctx.verb in ("POST", "PATCH") and ctx.args == (identity.owner_id,)
    )


async def keep_own_privileges(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """A `user` login may not change its own `priv_level` or `enabled`."""
    identity = ctx.identity
    if identity is None or identity.priv_level == "admin" or old is None:
        return doc
    if ctx.settings.permissive_priv_levels:
        return doc
    for key in ("priv_level", "enabled"):
        if doc.get(key) != old.get(key):
            raise Forbidden()
    return doc


async def end_stale_sessions(ctx: Context, saved: Doc, old: Doc | None) -> None:
    """New credentials, a new privilege level or disabling ends the user's sessions."""
    if old is not None and any(saved.get(key) != old.get(key) for key in SESSION_FIELDS):
        await ctx.app[TOKENS].revoke_user(saved["id"])


async def end_sessions(ctx: Context, doc: Doc) -> None:
    """A deleted user's tokens stop working."""
    await ctx.app[TOKENS].revoke_user(doc["id"])


def features(doc: Doc) -> list[str]:
    """Kazoo's derived feature list of a user row."""
    found = []
    if doc.get("hotdesk", {}).get("enabled"):
        found.append("hotdesk")
    forward = doc.get("call_forward", {})
    if forward.get("enabled"):
        found.append("call_forward")
        if forward.get("failover"):
            found.append("call_forward_failover")
    caller_id = doc.get("caller_id", {})
    if caller_id.get("external") or caller_id.get("internal"):
        found.append("caller_id")
    if doc.get("vm_to_email_enabled") and doc.get("email"):
        found.append("vm_to_email")
    if doc.get("music_on_hold", {}).get("media_id"):
        found.append("music_on_hold")
    if doc.get("do_not_disturb", {}).get("enabled"):
        found.append("do_not_disturb")
    return found


ROW_KEYS = (
    "id",
    "username",
    "email",
    "first_name",
    "last_name",
    "priv_level",
    "presence_id",
    "timezone",
)


def user_row(doc: Doc) -> Doc:
    """A row of the users listing."""
    row = {key: value for key in ROW_KEYS if (value := doc.get(key)) is not None}
    row["features"] = features(doc)
    row["flags"] = doc.get("flags", [])
    return row


def _drop_nulls(ctx: Context, shown: Doc, stored: Doc) -> Doc:
    return {key: value for key, value in shown.items() if value is not None}


USER_DOCS = Documents(
    kind=USERS,
    schema=UserSchema,
    row=user_row,
    sort_value=lambda doc: f"{doc.get('last_name', '')} {doc.get('first_name', '')}",
    unique=(
        UniqueRule(
            "users_username", "username", "Username must be unique within account", ("username",)
        ),
        UniqueRule(
            "users_hotdesk",
            "hotdesk.id",
            "Hotdesk ID must be unique within account",
            ("hotdesk.id",),
        ),
    ),
    before_save=(keep_own_privileges, credentials, media_references("music_on_hold.media_id")),
    after_save=(end_stale_sessions,),
    before_delete=(USED_BY_CALLFLOWS,),
    after_delete=(end_sessions,),
    hidden=frozenset({"password"}),
    present=_drop_nulls,
    listings=(BY_ACCOUNT, *LOGIN_LISTINGS.values()),
)

USERS_RESOURCE = document_resource(
    USER_DOCS,
    extra_routes=(
        Route((ID, "photo"), photo_handlers(USER_DOCS)),
        Route((ID, "vcard"), vcard_handler(USER_DOCS)),
    ),
    content_types=JSON_TYPES | UPLOAD_TYPES,
    user_may_write=own_user_document,
    check_args=user_exists,
)

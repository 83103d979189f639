"""api_keys: the /v1/pbx dialect's scoped keys, minted, listed and revoked by admins.

`PUT` mints a key and shows its secret in that reply only; the document is stored under a keyed
hash of the secret (gateway/auth/api_keys.py), so nothing secret is kept. A key reaches its
account only. Keys are not edited: revoke one and mint another.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from gateway.auth.api_keys import (
    API_KEYS,
    SHOWN_LENGTH,
    forget_key,
    hash_key,
    key_id,
    new_secret,
)
from gateway.crossbar.context import Context, Reply
from gateway.crossbar.crud import created_reply, document_handlers
from gateway.crossbar.documents import Doc, Documents
from gateway.crossbar.errors import invalid
from gateway.crossbar.idempotency import HEADER as IDEMPOTENCY_HEADER
from gateway.crossbar.resource import ID, Resource, Route
from gateway.crossbar.write import request_data, save
from gateway.resources.audit import admins_only
from schemas.api_keys import MODES, ApiKeySchema

# Set by the gateway, never taken from a request.
DERIVED = ("key", "prefix", "created", "last_used")


def unix_seconds(value: int | str) -> int:
    """An expiry as Unix seconds: given so, or as an ISO 8601 time (UTC without an offset)."""
    if isinstance(value, int):
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise invalid("expires_at", "format", "Not a valid ISO 8601 time", value=value) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


async def key_fields(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """The expiry as Unix seconds, in the future; `last_used` unset."""
    expires = doc.get("expires_at")
    if expires is not None:
        doc["expires_at"] = seconds = unix_seconds(expires)
        if seconds <= int(datetime.now(UTC).timestamp()):
            raise invalid(
                "expires_at", "minimum", "The expiry must be in the future", value=expires
            )
    if old is None:
        doc["pvt_last_used"] = 0
    return doc


def key_row(doc: Doc) -> Doc:
    """What listings and reads show of a key: never its secret (which is not stored)."""
    return {
        "id": doc["id"],
        "name": doc.get("name"),
        "scopes": doc.get("scopes", []),
        "mode": doc.get("mode"),
        "prefix": doc.get("prefix"),
        "created": doc.get("pvt_created"),
        "last_used": doc.get("pvt_last_used") or None,
        "expires_at": doc.get("expires_at"),
    }


def present(ctx: Context, shown: Doc, stored: Doc) -> Doc:
    """A read shows the row's fields and any other keys the client stored with the key."""
    return {**shown, **key_row(stored)}


API_KEY_DOCS = Documents(
    kind=API_KEYS,
    schema=ApiKeySchema,
    row=key_row,
    sort_value=lambda doc: str(doc.get("name", "")),
    before_save=(key_fields,),
    present=present,
)

_crud = document_handlers(API_KEY_DOCS)


async def mint(ctx: Context) -> Reply:
    """PUT: a new key; its secret is in this reply's `data.key`, and nowhere else ever."""
    data: dict[str, Any] = {k: v for k, v in request_data(ctx).items() if k not in DERIVED}
    mode = data.get("mode", "live")
    secret = new_secret(mode if mode in MODES else "live")
    data["prefix"] = secret[:SHOWN_LENGTH]
    hashing_key = await hash_key(ctx.store, ctx.settings.secret_key)
    saved = await save(ctx, API_KEY_DOCS, data, None, create_id=key_id(hashing_key, secret))
    reply = created_reply(ctx, API_KEY_DOCS, saved)
    reply.data["key"] = secret
    return reply


async def authorize(ctx: Context) -> None:
    """Admins only; a mint takes no Idempotency-Key, whose kept answer would store the secret."""
    await admins_only(ctx)
    if ctx.verb == "PUT" and ctx.header(IDEMPOTENCY_HEADER) is not None:
        raise invalid(
            IDEMPOTENCY_HEADER,
            "not_allowed",
            "A key's secret is never stored, so minting one cannot be replayed: "
            "send the request without Idempotency-Key",
        )


async def revoke(ctx: Context) -> Reply:
    """DELETE: the key is refused at once here, on other instances within the cache lifetime."""
    reply = await _crud["1:DELETE"](ctx)
    forget_key(ctx.app, ctx.args[-1])
    return reply


API_KEYS_RESOURCE = Resource(
    name=API_KEYS,
    routes=(
        Route((), {"GET": _crud["0:GET"], "PUT": mint}),
        Route((ID,), {"GET": _crud["1:GET"], "DELETE": revoke}),
    ),
    authorize=authorize,
    indexes=API_KEY_DOCS.indexes(),
    schema=ApiKeySchema,
    documents=API_KEY_DOCS,
)

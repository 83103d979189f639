"""limits: an account's trunks and call caps, one document per account, set from above."""

from __future__ import annotations

from typing import Any

from gateway.crossbar.context import Context, Reply
from gateway.crossbar.documents import Doc, Documents
from gateway.crossbar.errors import Forbidden
from gateway.crossbar.merge import public
from gateway.crossbar.rates import account_bucket, account_limit
from gateway.crossbar.resource import Resource, Route
from gateway.crossbar.validation import load
from gateway.crossbar.write import check_if_match, request_data, save
from gateway.ratelimit import Limit
from gateway.ratelimit.shared import set_override
from schemas.limits import LimitsSchema

LIMITS = "limits"
# Kazoo reports these two from private fields and drops them from a request.
LEAKED = ("allow_postpay", "max_postpay_amount")


async def apply_api_rate_limit(ctx: Context, doc: Doc, old: Doc | None) -> None:
    """An `api_rate_limit` in the limits becomes the account's own request bucket."""
    wanted = doc.get("api_rate_limit")
    if wanted == (old or {}).get("api_rate_limit"):
        return
    limit = Limit(wanted["capacity"], float(wanted["per_second"])) if wanted else None
    key = account_bucket(doc["id"])
    await set_override(ctx.store, key, limit, account_limit(ctx.settings))


LIMITS_DOCS = Documents(
    kind=LIMITS,
    schema=LimitsSchema,
    row=lambda doc: {"id": LIMITS},
    after_save=(apply_api_rate_limit,),
)


async def stored_limits(ctx: Context, account_id: str) -> Doc | None:
    """The account's limits document, or None when never set."""
    return await ctx.store.get(LIMITS, account_id)


def public_limits(doc: Doc | None) -> Doc:
    """The public keys of a limits document under Kazoo's document id, `limits`."""
    return {**(public(doc) if doc is not None else {}), "id": LIMITS}


def _number(value: Any) -> int | float:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _read_view(doc: Doc | None) -> Doc:
    """What GET shows: the document (or the schema's defaults) plus the two leaked fields."""
    base = doc if doc is not None else load(LimitsSchema, {})
    return {
        **public_limits(base),
        "allow_postpay": base.get("pvt_allow_postpay") in (True, "true"),
        "max_postpay_amount": abs(_number(base.get("pvt_max_postpay_amount"))),
    }


def _reply(data: Doc, doc: Doc | None) -> Reply:
    if doc is None:
        return Reply(data)
    return Reply(data, revision=doc["_rev"], headers={"ETag": f'"{doc["_rev"]}"'})


async def read_limits(ctx: Context) -> Reply:
    """The limits; an account that never had any reads as the defaults."""
    doc = await stored_limits(ctx, ctx.path_account_id)
    return _reply(_read_view(doc), doc)


async def replace_limits(ctx: Context) -> Reply:
    """Replace the limits (private fields kept), creating the document on first write."""
    data = {k: v for k, v in request_data(ctx).items() if k not in LEAKED}
    old = await stored_limits(ctx, ctx.path_account_id)
    if old is not None:
        check_if_match(ctx, old)
    saved = await save(ctx, LIMITS_DOCS, data, old, create_id=ctx.path_account_id)
    return _reply(public_limits(saved), saved)


async def authorize(ctx: Context) -> None:
    """Kazoo: only those above the account change its limits; it must ask its provider."""
    identity = ctx.identity
    assert identity is not None and ctx.account is not None
    above = identity.superduper or identity.is_above(ctx.account)
    if ctx.verb != "GET" and not above:
        raise Forbidden()


LIMITS_RESOURCE = Resource(
    name=LIMITS,
    routes=(Route((), {"GET": read_limits, "POST": replace_limits}),),
    authorize=authorize,
    indexes=LIMITS_DOCS.indexes(),
    schema=LimitsSchema,
    documents=LIMITS_DOCS,
)

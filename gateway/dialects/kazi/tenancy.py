"""Tenants: the accounts below the admin's account, named by their integer id or 32-hex id,
and the request context as seen from inside one of them."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from gateway.auth.tree import ACCOUNTS
from gateway.crossbar.context import Context
from gateway.crossbar.documents import Doc
from gateway.dialects.kazi.aliases import TENANT, aliases_of, target_of
from gateway.keys import ACCOUNT_CACHE
from gateway.resources.accounts import descendants_query

_HEX_ID = re.compile(r"^[0-9a-f]{32}$")


def slug_of(name: str) -> str:
    """Lower-case words joined by dashes: "Customer One" -> "customer-one"."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def tenant_view(account: Doc, number: int) -> Doc:
    """An account as a Kazi tenant."""
    name = str(account.get("name") or "")
    return {
        "id": number,
        "account_id": account["id"],
        "name": name,
        "slug": slug_of(name),
        "domain": account.get("realm"),
    }


def is_tenant(ctx: Context, account: Doc) -> bool:
    """Whether `account` is below the caller's account."""
    assert ctx.account is not None
    return ctx.account["id"] in (account.get("pvt_tree") or [])


async def tenants(ctx: Context) -> list[Doc]:
    """Every account below the caller's (one indexed range), in tree order."""
    assert ctx.account is not None
    query = descendants_query(ctx.account)
    (field,) = query
    return await ctx.store.find(ACCOUNTS, query, sort=field, limit=ctx.settings.unpaginated_max)


async def tenant_views(ctx: Context, accounts: list[Doc]) -> dict[str, Doc]:
    """Each account's tenant view, by account id."""
    numbers = await aliases_of(ctx, TENANT, [account["id"] for account in accounts])
    return {account["id"]: tenant_view(account, numbers[account["id"]]) for account in accounts}


async def tenant_named(ctx: Context, value: Any) -> Doc | None:
    """The tenant an integer id (or its digits) or a 32-hex id names, None when it names no
    account below the caller's."""
    account_id: str | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        account_id = await target_of(ctx, TENANT, value)
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        account_id = await target_of(ctx, TENANT, int(value))
    elif isinstance(value, str) and _HEX_ID.match(value):
        account_id = value
    if account_id is None:
        return None
    account = await ctx.app[ACCOUNT_CACHE].get(account_id)
    return account if account is not None and is_tenant(ctx, account) else None


def inside(ctx: Context, account: Doc) -> Context:
    """The request's context with `account` as the account its writes and reads belong to."""
    return dataclasses.replace(ctx, account=account, account_id=account["id"])

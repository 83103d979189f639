"""GET /api/tenants: the accounts below the admin's account."""

from __future__ import annotations

import re
from typing import Any

from gateway.auth.tree import ACCOUNTS
from gateway.crossbar.context import Context
from gateway.dialects.kazi.answer import Answer, answer
from gateway.resources.accounts import descendants_query


def slug_of(name: str) -> str:
    """Lower-case words joined by dashes: "Customer One" -> "customer-one"."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def tenant_view(account: dict[str, Any]) -> dict[str, Any]:
    """An account as a Kazi tenant."""
    name = str(account.get("name") or "")
    return {
        "id": account["id"],
        "name": name,
        "slug": slug_of(name),
        "domain": account.get("realm"),
    }


async def list_tenants(ctx: Context) -> Answer:
    """Every descendant of the caller's account (never the account itself), by tree order."""
    assert ctx.account is not None
    query = descendants_query(ctx.account)
    (field,) = query
    found = await ctx.store.find(ACCOUNTS, query, sort=field, limit=ctx.settings.unpaginated_max)
    return answer("Tenants fetched successfully.", [tenant_view(doc) for doc in found])

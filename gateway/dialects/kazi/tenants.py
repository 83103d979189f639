"""GET /api/tenants: the accounts below the admin's account."""

from __future__ import annotations

from collections.abc import Mapping

from gateway.crossbar.context import Context
from gateway.dialects.kazi.answer import Answer, answer
from gateway.dialects.kazi.tenancy import tenant_views, tenants


async def list_tenants(ctx: Context, params: Mapping[str, str]) -> Answer:
    """Every descendant of the caller's account (never the account itself), by tree order."""
    found = await tenants(ctx)
    views = await tenant_views(ctx, found)
    return answer("Tenants fetched successfully.", [views[doc["id"]] for doc in found])

"""registrations: the phones of an account that are registered now (reported by the intake)."""

from __future__ import annotations

from gateway.calls.registrations import (
    INDEXES,
    REGISTRATIONS,
    live_registrations,
    registration_row,
)
from gateway.crossbar.context import Context, Reply
from gateway.crossbar.documents import BY_ACCOUNT, Listing
from gateway.crossbar.errors import Forbidden
from gateway.crossbar.resource import ID, Resource, Route


async def list_registrations(ctx: Context) -> Reply:
    """Every unexpired registration of the account (Kazoo does not page them)."""
    found = await live_registrations(ctx.store, ctx.path_account_id, ctx.settings.unpaginated_max)
    return Reply([registration_row(doc, ctx.account or {}) for doc in found])


async def count_registrations(ctx: Context) -> Reply:
    """How many registrations the account has; the master account's admins only."""
    if ctx.identity is None or not ctx.identity.superduper:
        raise Forbidden()
    found = await live_registrations(ctx.store, ctx.path_account_id, ctx.settings.unpaginated_max)
    return Reply({"count": len(found)})


async def flush(ctx: Context) -> Reply:
    """Forget every registration of the account (phones register again on their next refresh)."""
    await ctx.store.delete_many(
        REGISTRATIONS, {BY_ACCOUNT.field: Listing.bounds(ctx.path_account_id)}
    )
    return Reply("ok")


async def flush_username(ctx: Context) -> Reply:
    """Forget the registrations of one SIP user name, in any realm."""
    username = ctx.args[0].lower()
    found = await live_registrations(ctx.store, ctx.path_account_id, ctx.settings.unpaginated_max)
    for doc in found:
        if str(doc.get("username", "")).lower() == username:
            await ctx.store.delete(REGISTRATIONS, doc["id"])
    return Reply("ok")


REGISTRATIONS_RESOURCE = Resource(
    name=REGISTRATIONS,
    routes=(
        Route((), {"GET": list_registrations, "DELETE": flush}),
        Route(("count",), {"GET": count_registrations}),
        Route((ID,), {"DELETE": flush_username}),
    ),
    indexes=INDEXES,
)

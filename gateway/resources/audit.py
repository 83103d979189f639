"""`GET /accounts/{A}/audit[?descendants=true]`: the account's (or its subtree's) audit trail.

Every accepted write and auth action, newest first, paginated and filtered like any listing;
`created_from`/`created_to` (Gregorian seconds, both included) bound the range read. Admins
only: a `priv_level: user` login gets 403.
"""

from __future__ import annotations

from collections.abc import Mapping

from gateway.audit.entries import AUDIT, BY_ACCOUNT, BY_TREE, entry_row, window
from gateway.crossbar.context import Context, Reply
from gateway.crossbar.errors import Forbidden, invalid
from gateway.crossbar.listing import list_page
from gateway.crossbar.resource import Resource, Route


async def admins_only(ctx: Context) -> None:
    """The trail shows who did what across the account: not for `user` logins."""
    if ctx.identity is None or ctx.identity.priv_level != "admin":
        raise Forbidden()


def _gregorian(query: Mapping[str, str], name: str) -> int | None:
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise invalid(name, "type", "Value did not match type(s): integer", value=raw) from None


def _window(ctx: Context) -> tuple[str, str] | None:
    """The sort values created_from..created_to select; None when neither is given."""
    created_from = _gregorian(ctx.query, "created_from")
    created_to = _gregorian(ctx.query, "created_to")
    if created_from is None and created_to is None:
        return None
    if created_from is not None and created_to is not None and created_to < created_from:
        message = f"created_to {created_to} is prior to created_from {created_from}"
        raise invalid("created_from", "date_range", message, cause=created_from)
    return window(created_from, created_to)


async def list_audit(ctx: Context) -> Reply:
    """A page of entries, newest first; with `descendants=true` those of the whole subtree."""
    listing = BY_TREE if ctx.flag("descendants") else BY_ACCOUNT
    return await list_page(
        ctx, AUDIT, listing, ctx.path_account_id, entry_row, window=_window(ctx)
    )


AUDIT_RESOURCE = Resource(
    name="audit",
    routes=(Route((), {"GET": list_audit}),),
    authorize=admins_only,
)

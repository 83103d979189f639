"""multi_factor: an account's MFA providers; the gateway has none configured or available."""

from __future__ import annotations

from gateway.crossbar.context import Context, Page, Reply
from gateway.crossbar.resource import Resource, Route


async def summary(ctx: Context) -> Reply:
    """The account's configured providers and the system's available ones: none of either."""
    return Reply({"configured": [], "multi_factor_providers": []})


async def list_attempts(ctx: Context) -> Reply:
    """The account's logged multi factor attempts: none are kept."""
    return Reply([], page=Page(page_size=0))


# Kazoo also creates and edits provider configurations; without providers they are not served.
MULTI_FACTOR_RESOURCE = Resource(
    name="multi_factor",
    routes=(
        Route((), {"GET": summary}),
        Route(("attempts",), {"GET": list_attempts}),
    ),
)

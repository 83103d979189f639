"""parked_calls: the account's parking slots; with no switch behind the gateway, all empty."""

from __future__ import annotations

from gateway.crossbar.context import Context, Page, Reply
from gateway.crossbar.resource import Resource, Route


async def list_parked_calls(ctx: Context) -> Reply:
    """Kazoo's answer when no slot holds a call: empty `slots` from an empty view page."""
    return Reply({"slots": {}}, page=Page(page_size=0))


PARKED_CALLS_RESOURCE = Resource(
    name="parked_calls",
    routes=(Route((), {"GET": list_parked_calls}),),
)

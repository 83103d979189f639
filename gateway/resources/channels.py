"""channels: the account's live calls, also per user (`users/{U}/channels`) and per device."""

from __future__ import annotations

from gateway.calls.channels import (
    BY_DEVICE,
    BY_OWNER,
    CHANNELS,
    INDEXES,
    LIVE_IN_ACCOUNT,
    channel_row,
    live_channel,
    live_channels,
)
from gateway.crossbar.context import Context, Reply
from gateway.crossbar.errors import NotFound
from gateway.crossbar.resource import ID, Resource, Route


async def list_channels(ctx: Context) -> Reply:
    """Live channels, newest first; under a user or a device only theirs."""
    listing, scope = LIVE_IN_ACCOUNT, ctx.path_account_id
    if "users" in ctx.parents:
        listing, scope = BY_OWNER, f"{ctx.path_account_id}/{ctx.parents['users'][0]}"
    elif "devices" in ctx.parents:
        listing, scope = BY_DEVICE, f"{ctx.path_account_id}/{ctx.parents['devices'][0]}"
    found = await live_channels(ctx.store, listing, scope, ctx.settings.unpaginated_max)
    return Reply([channel_row(doc) for doc in found])


async def read_channel(ctx: Context) -> Reply:
    """One live channel by its call id; 404 once it is gone."""
    doc = await live_channel(ctx.store, ctx.path_account_id, ctx.args[0])
    if doc is None:
        raise NotFound(ctx.args[0])
    return Reply(channel_row(doc))


CHANNELS_RESOURCE = Resource(
    name=CHANNELS,
    routes=(Route((), {"GET": list_channels}), Route((ID,), {"GET": read_channel})),
    parents=frozenset({"users", "devices"}),
    indexes=INDEXES,
)

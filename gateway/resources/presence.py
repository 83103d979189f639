"""presence: users' and devices' line state; `set` a state by hand and `reset` it."""

from __future__ import annotations

from gateway.calls.presence import (
    INDEXES,
    MANUAL_STATES,
    PRESENCE,
    device_state,
    live_state,
    manual_id,
    manual_state,
    manual_states,
    reset_manual,
    set_manual,
    user_state,
)
from gateway.crossbar.context import Context, Reply
from gateway.crossbar.documents import BY_ACCOUNT, Listing
from gateway.crossbar.errors import InvalidData, invalid
from gateway.crossbar.resource import Resource, Route
from gateway.crossbar.write import load_scoped
from gateway.resources.devices import BY_OWNER, DEVICE_DOCS
from gateway.resources.users import USER_DOCS


def _target(ctx: Context) -> tuple[str, str] | None:
    """('users' or 'devices', its id) from the path; None at the account."""
    for kind in ("users", "devices"):
        if kind in ctx.parents:
            return kind, ctx.parents[kind][0]
    return None


async def _owned_devices(ctx: Context, user_id: str) -> set[str]:
    scope = {BY_OWNER.field: Listing.bounds(f"{ctx.path_account_id}/{user_id}")}
    found = await ctx.store.find(DEVICE_DOCS.kind, scope, limit=ctx.settings.unpaginated_max)
    return {doc["id"] for doc in found}


async def account_presence(ctx: Context) -> Reply:
    """Every user of the account with its state."""
    account_id, limit = ctx.path_account_id, ctx.settings.unpaginated_max
    users = await ctx.store.find(
        USER_DOCS.kind, {BY_ACCOUNT.field: Listing.bounds(account_id)}, limit=limit
    )
    devices = await ctx.store.find(
        DEVICE_DOCS.kind, {BY_ACCOUNT.field: Listing.bounds(account_id)}, limit=limit
    )
    live = await live_state(ctx.store, account_id, limit)
    manual = await manual_states(ctx.store, account_id, limit)
    rows = []
    for user in users:
        owned = {device["id"] for device in devices if device.get("owner_id") == user["id"]}
        set_by_hand = manual.get(manual_id(account_id, "users", user["id"]))
        rows.append({"id": user["id"], "state": user_state(user, owned, live, set_by_hand)})
    return Reply(rows)


async def one_presence(ctx: Context) -> Reply:
    """`users/{U}/presence` or `devices/{D}/presence`: `data.state`."""
    account_id, limit = ctx.path_account_id, ctx.settings.unpaginated_max
    target = _target(ctx)
    assert target is not None
    kind, target_id = target
    live = await live_state(ctx.store, account_id, limit)
    manual = await manual_state(ctx.store, account_id, kind, target_id)
    if kind == "users":
        user = await load_scoped(ctx, USER_DOCS, target_id)
        state = user_state(user, await _owned_devices(ctx, target_id), live, manual)
    else:
        device = await load_scoped(ctx, DEVICE_DOCS, target_id)
        state = device_state(device, live, manual)
    return Reply({"state": state})


async def change_presence(ctx: Context) -> Reply:
    """`{"action": "set", "state": ...}` or `{"action": "reset"}`, on a user or a device."""
    target = _target(ctx)
    if target is None:
        raise invalid("presence", "required", "Set presence on users/{U} or devices/{D}")
    kind, target_id = target
    action, state = ctx.param("action"), ctx.param("state")
    if action == "reset":
        await reset_manual(ctx.store, ctx.path_account_id, kind, target_id)
    elif action == "set":
        if state not in MANUAL_STATES:
            raise _not_one_of("state", MANUAL_STATES, state)
        await set_manual(ctx.store, ctx.path_account_id, kind, target_id, str(state))
    else:
        raise _not_one_of("action", ("set", "reset"), action)
    return await one_presence(ctx)


def _not_one_of(path: str, allowed: tuple[str, ...], value: object) -> InvalidData:
    message = "Value not found in enumerated list of values"
    return invalid(path, "enum", message, target=list(allowed), value=value)


async def own_presence(ctx: Context) -> bool:
    """A `user` login may set its own presence."""
    identity = ctx.identity
    return identity is not None and ctx.parents.get("users", ("",))[0] == identity.owner_id


async def read_presence(ctx: Context) -> Reply:
    """The account's users, or one user or device under `users/{U}` or `devices/{D}`."""
    return await (account_presence(ctx) if _target(ctx) is None else one_presence(ctx))


PRESENCE_RESOURCE = Resource(
    name=PRESENCE,
    routes=(Route((), {"GET": read_presence, "POST": change_presence}),),
    parents=frozenset({"users", "devices"}),
    indexes=INDEXES,
    user_may_write=own_presence,
)

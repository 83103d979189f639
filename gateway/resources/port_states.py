"""Port request life cycle as Kazoo's knm_port_request has it: authority, states, checks."""

from __future__ import annotations

import re
from typing import Any

from gateway.crossbar.clock import gregorian_now
from gateway.crossbar.context import Context
from gateway.crossbar.documents import Doc
from gateway.crossbar.errors import ApiError, invalid
from gateway.crossbar.references import dotted
from gateway.crossbar.validation import load
from gateway.keys import ACCOUNT_CACHE
from gateway.resources.users import USERS
from gateway.resources.whitelabel import WHITELABEL
from schemas.port_requests import ToScheduledSchema

PORT_REQUESTS = "port_requests"
STATE, TRANSITIONS, AUTHORITY = "pvt_port_state", "pvt_transitions", "pvt_port_authority"
NUMBERS = "pvt_numbers"
STATES = ("unconfirmed", "submitted", "pending", "scheduled", "completed", "rejected", "canceled")
# The states each target may be reached from. Kazoo: `scheduled` also from `submitted` when
# allow_port_transition_from_submitted_to_scheduled is set (off by default).
FROM_STATES = {
    "submitted": ("unconfirmed", "rejected"),
    "pending": ("submitted",),
    "scheduled": ("pending",),
    "completed": ("pending", "scheduled", "rejected"),
    "rejected": ("submitted", "pending", "scheduled"),
    "canceled": ("unconfirmed", "submitted", "pending", "scheduled", "rejected"),
}
DELETABLE = ("unconfirmed", "rejected", "canceled")
_ACCOUNT_ID = re.compile(r"^[0-9a-f]{32}$")


class NotModifiable(ApiError):
    """405 invalid_method: the request is past the states it may be deleted in."""

    status = 405
    message = "invalid_method"

    def __init__(self) -> None:
        super().__init__({"message": "invalid method"})


def current_state(doc: Doc) -> str:
    """The request's state (a request without one is unconfirmed)."""
    return str(doc.get(STATE) or "unconfirmed")


def requested_state(ctx: Context) -> str | None:
    """The state a `PATCH port_requests/{id}/{state}` asks for."""
    args = ctx.args
    return args[1] if len(args) == 2 and args[1] in FROM_STATES else None


def is_authority(ctx: Context, doc: Doc) -> bool:
    """The caller is the request's port authority, or the superduper admin."""
    identity = ctx.identity
    return identity is not None and (
        identity.superduper or identity.account_id == doc.get(AUTHORITY)
    )


async def port_authority(ctx: Context) -> str:
    """The account managing this account's ports: the first whitelabel `port.authority` up
    the tree to the first reseller, else the master account."""
    assert ctx.account is not None
    chain: list[str] = [ctx.account["id"], *reversed(ctx.account.get("pvt_tree") or [])]
    master = chain[-1]
    brands = {doc["id"]: doc for doc in await ctx.store.find(WHITELABEL, {"id": {"$in": chain}})}
    for account_id in chain:
        if account_id == master:
            break
        wanted = dotted(brands.get(account_id) or {}, "port.authority")
        # Kazoo: an account naming itself is no authority over its own requests.
        naming_itself = wanted == account_id == chain[0]
        if isinstance(wanted, str) and _ACCOUNT_ID.match(wanted) and not naming_itself:
            return str(wanted)
        holder = await ctx.app[ACCOUNT_CACHE].get(account_id)
        if holder is None or holder.get("pvt_reseller"):
            break
    return master


async def account_name(ctx: Context, account_id: str | None) -> str | None:
    """An account's name, or None."""
    account = await ctx.app[ACCOUNT_CACHE].get(account_id) if account_id else None
    return None if account is None else account.get("name")


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


async def transition(ctx: Context, previous: str | None, new: str, reason: Any) -> Doc:
    """One entry of the timeline: the change, when, and who made it."""
    identity = ctx.identity
    assert identity is not None
    reason = reason if isinstance(reason, str) and reason else None
    authorization: Doc = _present(
        {
            "reason": reason,
            "account": {
                "id": identity.account_id,
                "name": await account_name(ctx, identity.account_id),
            },
        }
    )
    user = await ctx.store.get(USERS, identity.owner_id) if identity.owner_id else None
    if user is not None:
        names = [user.get("first_name"), user.get("last_name")]
        full_name = " ".join(name for name in names if name) or user.get("username")
        authorization["user"] = _present(
            {
                "id": user["id"],
                "first_name": names[0],
                "last_name": names[1],
                "full_name": full_name,
            }
        )
    return _present(
        {
            "timestamp": gregorian_now(),
            "type": "transition",
            "reason": reason,
            "transition": _present({"new": new, "previous": previous}),
            "authorization": authorization,
        }
    )


async def new_request(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """A new request starts unconfirmed, with its account and port authority recorded."""
    if old is not None:
        return doc
    authority = await port_authority(ctx)
    doc[STATE] = "unconfirmed"
    doc[TRANSITIONS] = [await transition(ctx, None, "unconfirmed", None)]
    doc["pvt_account_name"] = await account_name(ctx, ctx.account_id)
    doc[AUTHORITY] = authority
    doc["pvt_port_authority_name"] = await account_name(ctx, authority)
    return doc


async def move_state(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """`PATCH {id}/{state}`: the change Kazoo allows this caller from the current state."""
    target = requested_state(ctx)
    if target is None or old is None:
        return doc
    current = current_state(old)
    anyone = target == "submitted" or (target == "canceled" and current == "unconfirmed")
    if not (anyone or is_authority(ctx, old)):
        message = (
            "you're not allowed to change to new state from current state, "
            "please contact your port authority"
        )
        raise invalid("port_state", "enum", message, cause=target)
    if current not in FROM_STATES[target]:
        raise invalid(
            "port_state", "enum", "Cannot move to new state from current state", cause=target
        )
    if target == "scheduled":
        when: Doc = {key: doc[key] for key in ("schedule_on", "scheduled_date") if key in doc}
        if not when:
            raise invalid(
                "schedule_on", "required", "Field is required but missing", value="schedule_on"
            )
        load(ToScheduledSchema, when)
    doc[STATE] = target
    entry = await transition(ctx, current, target, ctx.param("reason"))
    doc[TRANSITIONS] = [entry, *(old.get(TRANSITIONS) or [])]
    return doc


async def deletable(ctx: Context, doc: Doc) -> None:
    """Kazoo deletes a request only while unconfirmed, rejected or canceled."""
    if current_state(doc) not in DELETABLE:
        raise NotModifiable()

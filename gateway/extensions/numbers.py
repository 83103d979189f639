"""Who holds an extension's number (a callflow, a numbered user, a mailbox), what still points at
a part that goes, and each part checked against its Kazoo schema before the first write."""

from __future__ import annotations

import time

from gateway.crossbar.claims import CLAIMS, SAVE_GRACE_SECONDS
from gateway.crossbar.context import Context
from gateway.crossbar.documents import BY_ACCOUNT, Doc, Documents, Listing
from gateway.crossbar.references import REFERENCES
from gateway.crossbar.validation import load
from gateway.extensions.parts import NUMBER_CLAIM
from gateway.resources.callflows import CALLFLOWS, to_e164
from gateway.resources.users import USERS
from gateway.resources.vmboxes import MAILBOX_NUMBER, VMBOXES


class NumberTaken(Exception):
    """Another document holds the number: a callflow (`callflow_id`), or a user or a box."""

    def __init__(self, number: str, callflow_id: str | None = None) -> None:
        super().__init__(number)
        self.number = number
        self.callflow_id = callflow_id


async def number_holder(ctx: Context, number: str) -> str | None:
    """The id of the callflow holding `number` in the account, None when it is free (two
    by-id reads at most: its claim, then the claim's callflow)."""
    value = to_e164(number)
    claim = await ctx.store.get(
        CLAIMS, NUMBER_CLAIM.key({"pvt_account_id": ctx.account_id}, value)
    )
    if claim is None:
        return None
    owner = await ctx.store.get(str(claim["kind"]), str(claim["owner_id"]))
    if owner is not None and value in NUMBER_CLAIM.values(owner):
        return str(owner["id"])
    # A claim its owner no longer lists is taken over by the next save, once it is old enough.
    fresh = time.time() - float(claim.get("at", 0)) < SAVE_GRACE_SECONDS
    return str(claim["owner_id"]) if fresh else None


async def presence_holders(ctx: Context, number: str) -> list[str]:
    """The ids of (at most two) users of the account whose extension number is `number` (one
    range over the account's users)."""
    query = {BY_ACCOUNT.field: Listing.bounds(str(ctx.account_id)), "presence_id": number}
    return [str(user["id"]) for user in await ctx.store.find(USERS, query, limit=2)]


async def mailbox_holder(ctx: Context, number: str) -> str | None:
    """The id of the box of the account whose mailbox is `number` (one range over the
    account's boxes, as Kazoo compares mailboxes: as integers)."""
    query = {
        BY_ACCOUNT.field: Listing.bounds(str(ctx.account_id)),
        MAILBOX_NUMBER: str(int(number)),
    }
    found = await ctx.store.find(VMBOXES, query, limit=1)
    return str(found[0]["id"]) if found else None


async def require_free(ctx: Context, number: str, own: set[str], *, mailbox: bool) -> None:
    """NumberTaken unless only the documents `own` hold `number`: as a callflow's number, a
    user's extension number, and (`mailbox`) a box's mailbox."""
    holder = await number_holder(ctx, number)
    if holder is not None and holder not in own:
        raise NumberTaken(number, holder)
    if any(user not in own for user in await presence_holders(ctx, number)):
        raise NumberTaken(number)
    box = await mailbox_holder(ctx, number) if mailbox else None
    if box is not None and box not in own:
        raise NumberTaken(number)


def validate_parts(parts: list[tuple[Documents, Doc | None]]) -> None:
    """Each part loads with its Kazoo schema (before any is written)."""
    for docs, data in parts:
        if data is not None:
            load(docs.schema, data)


async def referencing_callflow(ctx: Context, ids: list[str], own: str | None) -> Doc | None:
    """A callflow other than `own` that names one of `ids` (Kazoo refuses deleting those)."""
    if not ids:
        return None
    query = {REFERENCES: {"$in": sorted(ids)}, "pvt_account_id": ctx.account_id}
    found = await ctx.store.find(CALLFLOWS, query, limit=2)
    return next((callflow for callflow in found if callflow["id"] != own), None)

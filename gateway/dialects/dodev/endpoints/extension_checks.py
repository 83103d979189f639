"""Checks of an extension's change before its first write, and the write path's refusals."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from gateway.crossbar.claims import CLAIMS, SAVE_GRACE_SECONDS
from gateway.crossbar.context import Context
from gateway.crossbar.documents import BY_ACCOUNT, Doc, Documents, Listing
from gateway.crossbar.errors import InvalidData
from gateway.crossbar.references import REFERENCES
from gateway.crossbar.validation import load
from gateway.dialects.dodev.endpoint import Call
from gateway.dialects.dodev.endpoints.extension_parts import NUMBER_CLAIM
from gateway.dialects.dodev.errors import PbxError, translated
from gateway.dialects.dodev.ids import CALL_FLOW
from gateway.resources.callflows import CALLFLOWS, to_e164
from gateway.resources.users import USERS
from gateway.resources.vmboxes import MAILBOX_NUMBER, VMBOXES

# The parts' error paths, named as this dialect names them.
NAMES = {
    "first_name": "name",
    "last_name": "name",
    "presence_id": "number",
    "numbers": "number",
    "mailbox": "number",
    "caller_id.internal.name": "name",
    "caller_id.internal.number": "number",
    "caller_id.external.name": "callerIdName",
    "caller_id.external.number": "callerIdNumber",
    "call_forward.number": "forwardingNumber",
    "flow.data.timeout": "forwardingRingTimeout",
}


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


def number_in_use(number: str, callflow_id: str | None = None) -> PbxError:
    """409 NUMBER_IN_USE naming the number and the callflow holding it (null: a user or a box
    holds it)."""
    held_by = CALL_FLOW.public(callflow_id) if callflow_id else None
    extra = {"number": number, "callFlowId": held_by}
    return PbxError(409, "NUMBER_IN_USE", f"Number {number} is already in use", extra)


@asynccontextmanager
async def refusals(call: Call, number: str | None) -> AsyncIterator[None]:
    """The write path's refusals in this dialect's shape: a number or mailbox another document
    holds is NUMBER_IN_USE, anything else VALIDATION_ERROR naming our fields."""
    try:
        yield
    except InvalidData as err:
        taken = any("unique" in (err.data.get(path) or {}) for path in ("numbers", "mailbox"))
        if taken and number is not None:
            raise number_in_use(number, await number_holder(call.ctx, number)) from None
        raise translated(err, NAMES) from None


def validate_parts(parts: list[tuple[Documents, Doc | None]]) -> None:
    """Each part loads with its Kazoo schema (before any is written)."""
    for docs, data in parts:
        if data is not None:
            load(docs.schema, data)


async def refuse_references(call: Call, ids: list[str], own: str | None) -> None:
    """409 EXTENSION_IN_USE while a callflow other than the extension's names a part that
    goes (Kazoo refuses those deletes)."""
    if not ids:
        return
    query = {REFERENCES: {"$in": sorted(ids)}, "pvt_account_id": call.account_id}
    found = await call.ctx.store.find(CALLFLOWS, query, limit=2)
    other = next((callflow for callflow in found if callflow["id"] != own), None)
    if other is not None:
        name = other.get("name") or other["id"]
        raise PbxError(
            409,
            "EXTENSION_IN_USE",
            f"Extension {call.params['id'][:80]} is still used by callflow {name}; "
            "change or delete that callflow first",
            {"callFlowId": CALL_FLOW.public(other["id"])},
        )

"""Conferences: rooms with call-in numbers, pins and an optional owner."""

from __future__ import annotations

from gateway.crossbar.claims import Claim
from gateway.crossbar.context import Context
from gateway.crossbar.crud import document_resource
from gateway.crossbar.documents import Doc, Documents
from gateway.crossbar.references import must_exist
from gateway.resources.rules import USED_BY_CALLFLOWS
from schemas.conferences import ConferenceSchema

CONFERENCES = "conferences"
ROW_KEYS = ("id", "name", "owner_id", "member", "moderator", "ui_flags", "conference_numbers")


def conference_numbers(doc: Doc) -> list[str]:
    """Every number that dials into the conference (Kazoo's `listing_by_number` view)."""
    numbers = list(doc.get("conference_numbers") or [])
    for role in ("member", "moderator"):
        numbers += (doc.get(role) or {}).get("numbers") or []
    return [number for number in numbers if isinstance(number, str)]


def conference_row(doc: Doc) -> Doc:
    """A row of the conferences listing (`conferences/crossbar_listing`)."""
    row = {key: doc[key] for key in ROW_KEYS if doc.get(key) is not None}
    row["flags"] = doc.get("flags") or []
    return row


async def own_conference(ctx: Context) -> bool:
    """A `user` login may create, change and delete the conferences it owns."""
    me = ctx.identity.owner_id if ctx.identity else None
    data: dict[str, object] = ctx.data if isinstance(ctx.data, dict) else {}
    if me is None or len(ctx.args) > 1:
        return False
    if not ctx.args:
        return ctx.verb == "PUT" and data.get("owner_id") == me
    stored = await ctx.store.get(CONFERENCES, ctx.args[0])
    if stored is None or stored.get("pvt_account_id") != ctx.account_id:
        return True  # the handler answers 404
    if stored.get("owner_id") != me:
        return False
    if ctx.verb == "POST":
        return data.get("owner_id") == me
    if ctx.verb == "PATCH":
        return data.get("owner_id", me) == me
    return ctx.verb == "DELETE"


CONFERENCE_DOCS = Documents(
    kind=CONFERENCES,
    schema=ConferenceSchema,
    row=conference_row,
    before_save=(must_exist("owner_id", "users", "User"),),
    before_delete=(USED_BY_CALLFLOWS,),
    # Kazoo reports the clash as `numbers`/"Numbers already in use" with every clashing number.
    claims=(
        Claim(
            "conference_numbers",
            "conference_numbers",
            conference_numbers,
            lambda number, owner: "Numbers already in use",
        ),
    ),
)

CONFERENCES_RESOURCE = document_resource(CONFERENCE_DOCS, user_may_write=own_conference)

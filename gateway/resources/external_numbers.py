"""external_numbers: numbers held elsewhere that an account may show as caller id.

Kazoo's open source tree has no such module; Monster UI's caller id selector lists, adds and
deletes them, and keeps only `verified` ones. Verifying proves ownership with a PIN read out on
a call, which needs a switch: the gateway serves no PIN call, and only the superduper admin
may vouch for a number (Monster's bypass, a POST to verify without a code).
"""

from __future__ import annotations

from gateway.crossbar.context import Context, Reply
from gateway.crossbar.crud import document_resource
from gateway.crossbar.documents import Doc, Documents, UniqueRule
from gateway.crossbar.errors import Forbidden
from gateway.crossbar.merge import public
from gateway.crossbar.resource import ID, Route
from gateway.crossbar.write import load_scoped, save
from gateway.resources.callflows import to_e164
from schemas.external_numbers import ExternalNumberSchema

EXTERNAL_NUMBERS = "external_numbers"
VERIFIED = "pvt_verified"


def number_row(doc: Doc) -> Doc:
    """A row of the listing: what the caller id selector reads."""
    return {"id": doc["id"], "number": doc.get("number"), "verified": doc.get(VERIFIED) is True}


async def normalise(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """Numbers are kept in E.164 so one number is listed once."""
    doc["number"] = to_e164(doc["number"])
    doc.pop("verified", None)
    return doc


EXTERNAL_NUMBER_DOCS = Documents(
    kind=EXTERNAL_NUMBERS,
    schema=ExternalNumberSchema,
    row=number_row,
    sort_value=lambda doc: str(doc.get("number", "")),
    unique=(
        UniqueRule("external_numbers_number", "number", "Number already exists", ("number",)),
    ),
    before_save=(normalise,),
    present=lambda ctx, shown, stored: {**shown, "verified": stored.get(VERIFIED) is True},
)


async def vouch(ctx: Context) -> Reply:
    """`POST external_numbers/{id}/verify`: the superduper admin marks the number verified."""
    doc = await load_scoped(ctx, EXTERNAL_NUMBER_DOCS, ctx.args[0])
    if ctx.identity is None or not ctx.identity.superduper:
        raise Forbidden()
    saved = await save(ctx, EXTERNAL_NUMBER_DOCS, {**public(doc), VERIFIED: True}, doc)
    return Reply(EXTERNAL_NUMBER_DOCS.show(ctx, saved), revision=saved["_rev"])


EXTERNAL_NUMBERS_RESOURCE = document_resource(
    EXTERNAL_NUMBER_DOCS,
    {0: {"GET", "PUT"}, 1: {"GET", "DELETE"}},
    extra_routes=(Route((ID, "verify"), {"POST": vouch}),),
)

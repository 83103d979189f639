"""Blacklists: caller id numbers an account refuses."""

from __future__ import annotations

from gateway.crossbar.crud import document_routes
from gateway.crossbar.documents import Doc, Documents
from gateway.crossbar.resource import Resource
from schemas.blacklists import BlacklistSchema

BLACKLISTS = "blacklists"


def blacklist_row(doc: Doc) -> Doc:
    """A row of the blacklists listing."""
    return {"id": doc["id"], "name": doc.get("name"), "flags": doc.get("flags") or []}


BLACKLIST_DOCS = Documents(kind=BLACKLISTS, schema=BlacklistSchema, row=blacklist_row)

BLACKLISTS_RESOURCE = Resource(
    name=BLACKLISTS,
    routes=document_routes(
        BLACKLIST_DOCS, {0: {"GET", "PUT"}, 1: {"GET", "POST", "PATCH", "DELETE"}}
    ),
    indexes=BLACKLIST_DOCS.indexes(),
    schema=BlacklistSchema,
)

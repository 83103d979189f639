"""Directories: dial-by-name lists of users."""

from __future__ import annotations

from gateway.crossbar.crud import document_routes
from gateway.crossbar.documents import Doc, Documents
from gateway.crossbar.references import refuse_while_referenced
from gateway.crossbar.resource import Resource
from schemas.directories import DirectorySchema

DIRECTORIES = "directories"


def directory_row(doc: Doc) -> Doc:
    """A row of the directories listing."""
    return {"id": doc["id"], "name": doc.get("name"), "flags": doc.get("flags") or []}


DIRECTORY_DOCS = Documents(
    kind=DIRECTORIES,
    schema=DirectorySchema,
    row=directory_row,
    before_delete=(refuse_while_referenced("callflows", "callflow"),),
)

DIRECTORIES_RESOURCE = Resource(
    name=DIRECTORIES,
    routes=document_routes(
        DIRECTORY_DOCS, {0: {"GET", "PUT"}, 1: {"GET", "POST", "PATCH", "DELETE"}}
    ),
    indexes=DIRECTORY_DOCS.indexes(),
    schema=DirectorySchema,
)

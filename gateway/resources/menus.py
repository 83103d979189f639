"""Menus: IVR menus a callflow plays to callers."""

from __future__ import annotations

from gateway.crossbar.crud import document_routes
from gateway.crossbar.documents import Doc, Documents
from gateway.crossbar.references import refuse_while_referenced
from gateway.crossbar.resource import Resource
from schemas.menus import MenuSchema

MENUS = "menus"


def menu_row(doc: Doc) -> Doc:
    """A row of the menus listing."""
    return {"id": doc["id"], "name": doc.get("name"), "flags": doc.get("flags") or []}


MENU_DOCS = Documents(
    kind=MENUS,
    schema=MenuSchema,
    row=menu_row,
    before_delete=(refuse_while_referenced("callflows", "callflow"),),
)

MENUS_RESOURCE = Resource(
    name=MENUS,
    routes=document_routes(MENU_DOCS, {0: {"GET", "PUT"}, 1: {"GET", "POST", "PATCH", "DELETE"}}),
    indexes=MENU_DOCS.indexes(),
    schema=MenuSchema,
)

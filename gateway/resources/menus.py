"""Menus: IVR menus a callflow plays to callers."""

from __future__ import annotations

from gateway.crossbar.crud import document_resource
from gateway.crossbar.documents import Documents, name_row
from gateway.resources.rules import USED_BY_CALLFLOWS, media_references
from schemas.menus import MenuSchema

MENUS = "menus"

MENU_DOCS = Documents(
    kind=MENUS,
    schema=MenuSchema,
    row=name_row,
    before_save=(
        media_references(
            "media.greeting", "media.exit_media", "media.invalid_media", "media.transfer_media"
        ),
    ),
    before_delete=(USED_BY_CALLFLOWS,),
)

MENUS_RESOURCE = document_resource(MENU_DOCS)

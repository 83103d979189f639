"""Directories: dial-by-name lists of users."""

from __future__ import annotations

from gateway.crossbar.crud import document_resource
from gateway.crossbar.documents import Documents, name_row
from gateway.resources.rules import USED_BY_CALLFLOWS
from schemas.directories import DirectorySchema

DIRECTORIES = "directories"

DIRECTORY_DOCS = Documents(
    kind=DIRECTORIES,
    schema=DirectorySchema,
    row=name_row,
    before_delete=(USED_BY_CALLFLOWS,),
)

DIRECTORIES_RESOURCE = document_resource(DIRECTORY_DOCS)

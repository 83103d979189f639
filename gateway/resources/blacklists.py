"""Blacklists: caller id numbers an account refuses."""

from __future__ import annotations

from gateway.crossbar.crud import document_resource
from gateway.crossbar.documents import Documents, name_row
from schemas.blacklists import BlacklistSchema

BLACKLISTS = "blacklists"

BLACKLIST_DOCS = Documents(kind=BLACKLISTS, schema=BlacklistSchema, row=name_row)

BLACKLISTS_RESOURCE = document_resource(BLACKLIST_DOCS)

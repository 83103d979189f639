"""Connectivity: trunkstore accounts (PBXs reaching the platform over SIP trunks)."""

from __future__ import annotations

from typing import Any

from gateway.crossbar.crud import document_resource
from gateway.crossbar.documents import Doc, Documents
from schemas.connectivity import ConnectivitySchema

CONNECTIVITY = "connectivity"


def connectivity_row(doc: Doc) -> Any:
    """Kazoo lists connectivity documents as bare ids."""
    return doc["id"]


CONNECTIVITY_DOCS = Documents(kind=CONNECTIVITY, schema=ConnectivitySchema, row=connectivity_row)

CONNECTIVITY_RESOURCE = document_resource(CONNECTIVITY_DOCS)

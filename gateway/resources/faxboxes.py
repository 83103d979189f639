"""Faxboxes: virtual fax machines."""

from __future__ import annotations

from gateway.crossbar.crud import document_resource
from gateway.crossbar.documents import Doc, Documents, UniqueRule
from gateway.resources.rules import USED_BY_CALLFLOWS
from schemas.faxboxes import FaxboxSchema

FAXBOXES = "faxboxes"


def faxbox_row(doc: Doc) -> Doc:
    """A row of the faxboxes listing; `created` is the private creation time."""
    return {
        "id": doc["id"],
        "name": doc.get("name"),
        "created": doc.get("pvt_created"),
        "flags": doc.get("flags") or [],
    }


FAXBOX_DOCS = Documents(
    kind=FAXBOXES,
    schema=FaxboxSchema,
    row=faxbox_row,
    # Kazoo: the custom address routes inbound e-mail to fax, so it is unique system-wide.
    unique=(
        UniqueRule(
            "faxboxes_custom_smtp_email_address",
            "custom_smtp_email_address",
            "email address must be unique",
            ("custom_smtp_email_address",),
            scope=(),
        ),
    ),
    before_delete=(USED_BY_CALLFLOWS,),
)

FAXBOXES_RESOURCE = document_resource(FAXBOX_DOCS)

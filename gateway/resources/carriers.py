"""resources: an account's own carriers (Kazoo's local resources), gateways and dial rules."""

from __future__ import annotations

from gateway.crossbar.context import Context
from gateway.crossbar.crud import document_resource
from gateway.crossbar.documents import Doc, Documents
from gateway.crossbar.errors import invalid
from schemas.carriers import ResourceSchema

RESOURCES = "resources"
# Kazoo's resources/crossbar_listing view; keys the document lacks are left out.
ROW_KEYS = ("name", "enabled", "weight_cost", "template_name", "classifiers")


def resource_row(doc: Doc) -> Doc:
    """A row of the resources listing."""
    return {"id": doc["id"], **{key: doc[key] for key in ROW_KEYS if doc.get(key) is not None}}


async def no_peers(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """Kazoo refuses `peer: true` while crossbar.resources' allow_peers is off (its default)."""
    if doc.get("peer") is True or doc.get("peer") == "true":
        message = "Peers are currently disabled, please contact the system admin"
        raise invalid("peer", "forbidden", message)
    return doc


RESOURCE_DOCS = Documents(
    kind=RESOURCES,
    schema=ResourceSchema,
    row=resource_row,
    # Kazoo's listing view is keyed by the document id alone.
    sort_value=lambda doc: "",
    before_save=(no_peers,),
)

# Kazoo also serves `resources/collection` and `resources/jobs` (bulk number imports run by
# a switch-side worker) and the master's global resources at `/v2/resources`; none are kept.
RESOURCES_RESOURCE = document_resource(RESOURCE_DOCS)

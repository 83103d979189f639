"""Groups: a named set of users, devices and other groups."""

from __future__ import annotations

from gateway.crossbar.context import Context
from gateway.crossbar.crud import document_resource
from gateway.crossbar.documents import Doc, Documents
from gateway.crossbar.errors import InvalidData
from gateway.crossbar.references import missing_ids, not_found
from gateway.resources.rules import USED_BY_CALLFLOWS, media_references
from schemas.groups import GroupSchema

GROUPS = "groups"
ENDPOINT_KINDS = {
    "user": ("users", "User"),
    "device": ("devices", "Device"),
    "group": (GROUPS, "Group"),
}


async def endpoints_exist(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """Every endpoint key names a user, device or group of the account, as its `type` says."""
    errors: dict[str, dict[str, object]] = {}
    for endpoint_id, endpoint in sorted((doc.get("endpoints") or {}).items()):
        wanted = ENDPOINT_KINDS.get(endpoint.get("type"))
        candidates = [wanted] if wanted else list(ENDPOINT_KINDS.values())
        found = [kind for kind, _ in candidates if not await missing_ids(ctx, kind, [endpoint_id])]
        if not found:
            label = wanted[1] if wanted else "Endpoint"
            errors[f"endpoints.{endpoint_id}"] = not_found(label, endpoint_id)
    if errors:
        raise InvalidData(errors)
    return doc


def group_features(doc: Doc) -> list[str]:
    """Kazoo's derived features: enabled smartpbx features, then music on hold."""
    smartpbx = doc.get("smartpbx") or {}
    found = [
        name
        for name, value in smartpbx.items()
        if isinstance(value, dict) and value.get("enabled")
    ]
    if (doc.get("music_on_hold") or {}).get("media_id"):
        found.append("music_on_hold")
    return found


def group_row(doc: Doc) -> Doc:
    """A row of the groups listing: the endpoints are counted."""
    row: Doc = {"id": doc["id"]}
    if doc.get("name") is not None:
        row["name"] = doc["name"]
    row.update(
        features=group_features(doc),
        endpoints=len(doc.get("endpoints") or {}),
        flags=doc.get("flags") or [],
    )
    return row


GROUP_DOCS = Documents(
    kind=GROUPS,
    schema=GroupSchema,
    row=group_row,
    before_save=(endpoints_exist, media_references("music_on_hold.media_id")),
    before_delete=(USED_BY_CALLFLOWS,),
)

GROUPS_RESOURCE = document_resource(GROUP_DOCS)

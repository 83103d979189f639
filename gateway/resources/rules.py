"""Cross-document rules the PBX resources share: what callflows and media users refer to."""

from __future__ import annotations

import re

from gateway.crossbar.context import Context
from gateway.crossbar.documents import Doc, SaveHook
from gateway.crossbar.errors import InvalidData
from gateway.crossbar.references import (
    dotted,
    missing_ids,
    not_found,
    refuse_while_referenced,
)

USED_BY_CALLFLOWS = refuse_while_referenced("callflows", "callflow")


MEDIA = "media"
_MEDIA_ID = re.compile(r"^[0-9a-f]{32}$")


def media_references(*paths: str) -> SaveHook:
    """A before-save hook: media ids at `paths` must exist; they are kept in `pvt_references`
    so a media document cannot be deleted while something plays it.

    Only 32-hex values are ids; Kazoo also takes URLs and `silence_stream://` style values.
    """

    async def check(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
        found = {
            path: value
            for path in paths
            if isinstance(value := dotted(doc, path), str) and _MEDIA_ID.match(value)
        }
        missing = set(await missing_ids(ctx, MEDIA, found.values()))
        errors = {
            path: not_found("Media", value) for path, value in found.items() if value in missing
        }
        if errors:
            raise InvalidData(errors)
        doc["pvt_references"] = sorted(set(found.values())) or None
        return doc

    return check


MEDIA_USERS = {
    "callflows": "callflow",
    "menus": "menu",
    "vmboxes": "voicemail box",
    "users": "user",
    "devices": "device",
    "groups": "group",
}
_MEDIA_GUARDS = tuple(refuse_while_referenced(kind, label) for kind, label in MEDIA_USERS.items())


async def refuse_media_in_use(ctx: Context, doc: Doc) -> None:
    """A media document is not deleted while a callflow, menu, box, user, device or group
    plays it."""
    for guard in _MEDIA_GUARDS:
        await guard(ctx, doc)

"""Rules across documents: an id in one document must name a document of the right kind."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from gateway.crossbar.context import Context
from gateway.crossbar.documents import DeleteHook, Doc, SaveHook
from gateway.crossbar.errors import InvalidData


def dotted(doc: Doc, path: str) -> Any:
    """The value at a dotted path, or None."""
    value: Any = doc
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


async def missing_ids(ctx: Context, kind: str, ids: Iterable[str]) -> list[str]:
    """Which of `ids` name no document of `kind` in the request's account."""
    wanted = sorted({value for value in ids if isinstance(value, str)})
    if not wanted:
        return []
    found = await ctx.store.find(kind, {"id": {"$in": wanted}, "pvt_account_id": ctx.account_id})
    present = {doc["id"] for doc in found}
    return [value for value in wanted if value not in present]


def must_exist(path: str, kind: str, label: str) -> SaveHook:
    """A before-save hook: the id at `path`, when set, names a `kind` in this account."""

    async def check(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
        value = dotted(doc, path)
        if value is None:
            return doc
        if not isinstance(value, str) or await missing_ids(ctx, kind, [value]):
            raise InvalidData(
                {
                    path: {
                        "not_found": {
                            "message": f"{label} {value} does not exist in this account",
                            "cause": value,
                        }
                    }
                }
            )
        return doc

    return check


REFERENCES = "pvt_references"


def refuse_while_referenced(kind: str, label: str) -> DeleteHook:
    """A before-delete hook: refuse while a `kind` document (its `pvt_references`) names it."""

    async def check(ctx: Context, doc: Doc) -> None:
        user = await ctx.store.find_one(
            kind, {REFERENCES: doc["id"], "pvt_account_id": doc.get("pvt_account_id")}
        )
        if user is not None:
            name = user.get("name") or user["id"]
            raise InvalidData(
                {
                    "id": {
                        "referenced": {
                            "message": f"Still used by {label} {name}; change or delete it first",
                            "cause": user["id"],
                        }
                    }
                }
            )

    return check


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
            path: {
                "not_found": {
                    "message": f"Media {value} does not exist in this account",
                    "cause": value,
                }
            }
            for path, value in found.items()
            if value in missing
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

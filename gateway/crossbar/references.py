"""Rules across documents: an id in one document must name a document of the right kind."""

from __future__ import annotations

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


def not_found(label: str, value: Any) -> dict[str, Any]:
    """The rule an id that names nothing breaks: {"not_found": {message, cause}}."""
    return {
        "not_found": {"message": f"{label} {value} does not exist in this account", "cause": value}
    }


async def require_ids(ctx: Context, path: str, kind: str, label: str, ids: list[str]) -> None:
    """400 at `path` for the first of `ids` that names no `kind` in this account."""
    missing = await missing_ids(ctx, kind, ids)
    if missing:
        raise InvalidData({path: not_found(label, missing[0])})


def must_exist(path: str, kind: str, label: str) -> SaveHook:
    """A before-save hook: the id at `path`, when set, names a `kind` in this account."""

    async def check(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
        value = dotted(doc, path)
        if value is None:
            return doc
        if not isinstance(value, str) or await missing_ids(ctx, kind, [value]):
            raise InvalidData({path: not_found(label, value)})
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

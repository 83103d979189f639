"""Unique values inside arrays (callflow numbers, conference numbers, phone numbers).

A claim is a tiny document whose id is the value itself, so the store's primary key decides
who owns it: two writers can never both win. A claim whose owner no longer lists the value
(a crash between claiming and saving) is taken over rather than blocking the value forever,
but only once it is older than any save can take: until then its owner may be mid-save.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from gateway.crossbar.context import Context
from gateway.crossbar.errors import InvalidData
from gateway.store import DuplicateValue

CLAIMS = "claims"
# Longer than a save takes from its claims to its store write (store timeouts are 5 s).
SAVE_GRACE_SECONDS = 60.0
Doc = dict[str, Any]


@dataclass(frozen=True)
class Claim:
    """One kind of unique value: how to read it from a document and how to refuse it."""

    name: str
    path: str
    values: Callable[[Doc], Iterable[str]]
    message: Callable[[str, Doc], str]
    per_account: bool = True

    def key(self, doc: Doc, value: str) -> str:
        """The claim document's id."""
        scope = doc.get("pvt_account_id", "") if self.per_account else ""
        return f"{self.name}:{scope}:{value}"


async def acquire(ctx: Context, kind: str, claim: Claim, doc: Doc, old: Doc | None) -> list[str]:
    """Claim the values `doc` adds over `old`; 400 unique when another document holds one.

    Returns the claim ids taken, so a failed save can give them back.
    """
    wanted = set(claim.values(doc)) - set(claim.values(old) if old else ())
    taken: list[str] = []
    try:
        for value in sorted(wanted):
            key = claim.key(doc, value)
            await _take(ctx, kind, claim, key, value, doc)
            taken.append(key)
    except BaseException:
        await release_keys(ctx, taken)
        raise
    return taken


async def _take(ctx: Context, kind: str, claim: Claim, key: str, value: str, doc: Doc) -> None:
    record = {"id": key, "owner_id": doc["id"], "kind": kind, "at": time.time()}
    try:
        await ctx.store.insert(CLAIMS, record)
        return
    except DuplicateValue:
        pass
    held = await ctx.store.get(CLAIMS, key)
    if held is None:
        return await _take(ctx, kind, claim, key, value, doc)
    if held["owner_id"] == doc["id"]:
        return None
    owner = await ctx.store.get(held["kind"], held["owner_id"])
    listed = owner is not None and value in set(claim.values(owner))
    if listed or time.time() - held.get("at", 0) < SAVE_GRACE_SECONDS:
        owner = owner or {"id": held["owner_id"]}
        raise InvalidData(
            {
                claim.path: {
                    "unique": {
                        "message": claim.message(value, owner),
                        "cause": value,
                    }
                }
            }
        )
    await ctx.store.delete(CLAIMS, key)
    return await _take(ctx, kind, claim, key, value, doc)


async def release(ctx: Context, claim: Claim, doc: Doc, keep: Doc | None) -> None:
    """Give back the values `doc` held that `keep` (its new version, if any) no longer lists."""
    dropped = set(claim.values(doc)) - set(claim.values(keep) if keep else ())
    await release_keys(ctx, [claim.key(doc, value) for value in dropped], doc["id"])


async def release_keys(ctx: Context, keys: Iterable[str], owner_id: str | None = None) -> None:
    """Delete claims (only those still owned by `owner_id`, when given)."""
    for key in keys:
        if owner_id is None:
            await ctx.store.delete(CLAIMS, key)
        else:
            await ctx.store.delete_many(CLAIMS, {"id": key, "owner_id": owner_id})

"""Audit entries as stored: one copy per account that lists it, so each listing is one range.

nx-27017 finds no range over the members of an array field (measured: none are returned), so
an entry is not given one key per ancestor in one document. It is stored once in its own
account (`pvt_by_account` and `pvt_by_tree` keys) and copied once per ancestor of that account
(a `pvt_by_tree` key only): "this account, newest first" and "this account's subtree, newest
first" are then each a prefix range sorted on one indexed field. Copies are written in the
same batch as the entry, and ids derived from the entry's keep a rewrite from doubling any.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from gateway.auth.tree import ACCOUNTS
from gateway.crossbar.clock import GREGORIAN_OFFSET
from gateway.crossbar.documents import SORT_SEPARATOR, Listing
from gateway.store import Index, Store

AUDIT = "audit"
EXPIRES_AT = "expires_at"
BY_ACCOUNT = Listing("pvt_by_account", lambda doc: doc.get("account_id"))
BY_TREE = Listing("pvt_by_tree", lambda doc: doc.get("account_id"))
INDEXES = (
    Index(AUDIT, "audit_by_account", (BY_ACCOUNT.field,), sparse_on=BY_ACCOUNT.field),
    Index(AUDIT, "audit_by_tree", (BY_TREE.field,)),
)
# What an entry shows, in this order, besides its id.
SHOWN = (
    "created",
    "at",
    "account_id",
    "type",
    "doc_id",
    "rev",
    "action",
    "actor",
    "request_id",
    "changed",
    "before",
    "after",
)
Doc = dict[str, Any]


def sort_value(at: float) -> str:
    """An entry's place in time: Gregorian seconds (13 digits), then microseconds."""
    seconds = int(at)
    return f"{seconds + GREGORIAN_OFFSET:013d}{int((at - seconds) * 1_000_000):06d}"


def window(created_from: int | None, created_to: int | None) -> tuple[str, str]:
    """The sort values from `created_from` to `created_to` (Gregorian seconds, both included)."""
    low = f"{created_from or 0:013d}"
    # ":" follows every digit: no upper bound.
    high = f"{created_to + 1:013d}" if created_to is not None else ":"
    return low, high


def stored_copies(entry: Doc, tree: Sequence[str], keep_days: int) -> list[Doc]:
    """The documents one entry is kept as: itself in its account, a copy per ancestor."""
    order = f"{sort_value(entry['at'])}{SORT_SEPARATOR}{entry['id']}"
    expires = datetime.fromtimestamp(entry["at"], UTC) + timedelta(days=keep_days)
    body = {
        **{key: entry[key] for key in SHOWN if entry.get(key) is not None},
        "created": int(entry["at"]) + GREGORIAN_OFFSET,
        EXPIRES_AT: expires,
    }
    account_id = entry["account_id"]
    own = {
        **body,
        "id": entry["id"],
        BY_ACCOUNT.field: Listing.prefix(account_id) + order,
        BY_TREE.field: Listing.prefix(account_id) + order,
    }
    copies = [
        {
            **body,
            "id": f"{entry['id']}-{ancestor}",
            BY_TREE.field: Listing.prefix(ancestor) + order,
        }
        for ancestor in tree
        if ancestor != account_id
    ]
    return [own, *copies]


def entry_row(doc: Doc) -> Doc:
    """An entry as listed (a copy shows its entry's id)."""
    row: Doc = {"id": str(doc["id"]).partition("-")[0]}
    row.update((key, doc[key]) for key in SHOWN if key in doc)
    return row


async def write_entries(
    store: Store, entries: Iterable[tuple[Doc, Sequence[str] | None, int]]
) -> None:
    """Store entries (with the ancestors of their account, None: unknown) in one batch.

    An entry already there is kept, so writing one again changes nothing; an entry of no
    account is not kept, as no listing could show it.
    """
    wanted = [item for item in entries if item[0].get("account_id")]
    unknown = sorted({entry["account_id"] for entry, tree, _ in wanted if tree is None})
    trees: dict[str, Sequence[str]] = {}
    if unknown:
        found = await store.find(ACCOUNTS, {"id": {"$in": unknown}})
        trees = {account["id"]: account.get("pvt_tree") or [] for account in found}
    docs = [
        copy
        for entry, tree, keep_days in wanted
        for copy in stored_copies(
            entry, tree if tree is not None else trees.get(entry["account_id"], []), keep_days
        )
    ]
    await store.insert_missing(AUDIT, docs)

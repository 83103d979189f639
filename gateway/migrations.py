"""One-time upgrades of stored data, each recorded once done in the system collection."""

from __future__ import annotations

import logging

from gateway.crossbar.documents import Documents
from gateway.store import SYSTEM, Store

log = logging.getLogger(__name__)
LISTING_KEYS = "migration:listing_keys"
# Listings used to be compound indexes, which nx-27017 never walks (measured).
OBSOLETE_INDEXES = {
    "accounts": ("accounts_listing", "accounts_children", "accounts_descendants"),
    "vm_messages": ("vm_messages_listing", "vm_messages_box"),
}


async def upgrade(store: Store, documents: dict[str, Documents]) -> None:
    """Bring data written by older versions up to date (idempotent, safe on many instances)."""
    if await store.get(SYSTEM, LISTING_KEYS) is not None:
        return
    if await store.find_one("accounts", {}) is not None:
        await _stamp_listing_keys(store, documents)
    await store.put_if_absent(SYSTEM, {"id": LISTING_KEYS, "done": True})


async def _stamp_listing_keys(store: Store, documents: dict[str, Documents]) -> None:
    for kind, docs in documents.items():
        for name in OBSOLETE_INDEXES.get(kind, (f"{kind}_listing",)):
            await store.drop_index(kind, name)
        count = 0
        async for doc in store.each(kind, {}):
            keys = {key: value for key, value in docs.listing_keys(doc).items() if value}
            changes = {"$unset": {"pvt_sort": ""}, **({"$set": keys} if keys else {})}
            await store.update_many(kind, {"id": doc["id"]}, changes)
            count += 1
        if count:
            log.info("listing keys stamped on %d %s", count, kind)

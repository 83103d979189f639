"""The account tree: every account document lists its ancestors in `pvt_tree`."""

from __future__ import annotations

from typing import Any

from gateway.crossbar.errors import BadAccountId, NotFound
from gateway.store import Store

ACCOUNTS = "accounts"


async def resolve_account(store: Store, account_id: str) -> dict[str, Any]:
    """The account named in a path; 404 for a malformed or unknown id (before auth)."""
    if len(account_id) != 32:
        raise BadAccountId(account_id)
    account = await store.get(ACCOUNTS, account_id)
    if account is None:
        raise NotFound(account_id)
    return account

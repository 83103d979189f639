"""The account tree: every account document lists its ancestors in `pvt_tree`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from gateway.auth.cache import CacheLimits, TtlCache
from gateway.crossbar.errors import BadAccountId, NotFound
from gateway.store import Store

ACCOUNTS = "accounts"
Account = dict[str, Any]


class AccountCache:
    """Account documents as the pipeline reads them on every request, kept a short while."""

    def __init__(self, store: Store, limits: CacheLimits) -> None:
        self.store = store
        self.entries: TtlCache[str, Account] = TtlCache(limits)

    async def get(self, account_id: str) -> Account | None:
        """The account (possibly as it was up to the cache lifetime ago), or None."""
        account = self.entries.get(account_id)
        if account is None:
            account = await self.store.get(ACCOUNTS, account_id)
            if account is not None:
                self.entries.put(account_id, account, len(orjson.dumps(account)))
        return account

    def forget(self, account_ids: Iterable[str]) -> None:
        """This instance changed these accounts: read them afresh next time."""
        for account_id in account_ids:
            self.entries.drop(account_id)


async def resolve_account(accounts: AccountCache, account_id: str) -> Account:
    """The account named in a path; 404 for a malformed or unknown id (before auth)."""
    if len(account_id) != 32:
        raise BadAccountId(account_id)
    account = await accounts.get(account_id)
    if account is None:
        raise NotFound(account_id)
    return account

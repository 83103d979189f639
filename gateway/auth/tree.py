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
# A cached account takes about 1.5 times its JSON size in memory (measured with tracemalloc).
_MEMORY_PER_JSON_BYTE = 1.5


class AccountCache:
    """Account documents as the pipeline reads them on every request, kept a short while."""

    def __init__(self, store: Store, limits: CacheLimits) -> None:
        self.store = store
        self.entries: TtlCache[str, Account] = TtlCache(limits)

    async def get(self, account_id: str) -> Account | None:
        """The account (possibly as it was up to the cache lifetime ago), or None."""
        return await self.entries.get_or_load(
            account_id, lambda: self.store.get(ACCOUNTS, account_id), _size
        )

    def forget(self, account_ids: Iterable[str]) -> None:
        """This instance changed these accounts: read them afresh next time."""
        for account_id in account_ids:
            self.entries.drop(account_id)


def _size(account: Account) -> int:
    return int(len(orjson.dumps(account)) * _MEMORY_PER_JSON_BYTE)


async def resolve_account(accounts: AccountCache, account_id: str) -> Account:
    """The account named in a path; 404 for a malformed or unknown id (before auth)."""
    if len(account_id) != 32:
        raise BadAccountId(account_id)
    account = await accounts.get(account_id)
    if account is None:
        raise NotFound(account_id)
    return account

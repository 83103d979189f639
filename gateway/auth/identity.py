"""Who is calling."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Identity:
    """An authenticated caller: a user login, an API key or a per-request Basic login."""

    account_id: str
    owner_id: str | None
    method: str
    priv_level: str
    superduper: bool
    session_id: str | None = None
    claims: dict[str, Any] = field(default_factory=dict)
    # The /v1/pbx API key (its document id) this caller presented, if any.
    key_id: str | None = None

    def may_access(self, account: dict[str, Any]) -> bool:
        """True for its own account, a descendant, or anything for the master account."""
        return self.superduper or account["id"] == self.account_id or self.is_above(account)

    def is_above(self, account: dict[str, Any]) -> bool:
        """True when the caller's account is an ancestor of `account` (not the account itself)."""
        return self.account_id in account.get("pvt_tree", [])

"""Intake keys: what a switch adapter authenticates with; good for the intake and nothing else.

A key is 32 random bytes, so a SHA-256 of it is as safe to keep as a slow hash and costs one
by-id read to check. Keys come from GATEWAY_INTAKE_KEYS or from `create-intake-key`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import Any

from gateway.auth.cache import CacheLimits, TtlCache
from gateway.store import Store

INTAKE_KEYS = "intake_keys"
PREFIX = "ik_"


def digest(key: str) -> str:
    """The stored form of a key."""
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    """A fresh intake key, shown once."""
    return PREFIX + secrets.token_urlsafe(32)


class IntakeKeys:
    """Checks intake keys; configured ones in memory, created ones in the store (cached)."""

    def __init__(self, store: Store, configured: frozenset[str], limits: CacheLimits) -> None:
        self.store = store
        self._configured = tuple(digest(key) for key in configured)
        self.entries: TtlCache[str, dict[str, Any]] = TtlCache(limits)

    async def valid(self, key: str | None) -> bool:
        """True for a configured key or a stored one that was not revoked."""
        if not key:
            return False
        wanted = digest(key)
        if any(hmac.compare_digest(wanted, known) for known in self._configured):
            return True
        found = await self.entries.get_or_load(
            wanted, lambda: self.store.get(INTAKE_KEYS, wanted), lambda _: 256
        )
        return found is not None

    async def create(self, name: str) -> tuple[str, dict[str, Any]]:
        """A new stored key: (the key, its record)."""
        key = new_key()
        record = await self.store.insert(
            INTAKE_KEYS, {"id": digest(key), "name": name, "created": int(time.time())}
        )
        return key, record

    async def listed(self) -> list[dict[str, Any]]:
        """Every stored key's record (never the key)."""
        return await self.store.find(INTAKE_KEYS, {})

    async def revoke(self, key_id: str) -> bool:
        """Delete a stored key by its id (a prefix of it is enough); True when one went."""
        matching = [record for record in await self.listed() if record["id"].startswith(key_id)]
        if len(matching) != 1 or len(key_id) < 8:
            return False
        self.entries.drop(matching[0]["id"])
        return await self.store.delete(INTAKE_KEYS, matching[0]["id"])

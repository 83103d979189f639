"""API keys of the /v1/pbx dialect: the secret's form, its keyed hash, scopes, verified keys.

A key is stored under a keyed hash of its secret (HMAC-SHA256 under a key derived from the
gateway's shared secret, 32 hex), so verifying one is a single by-id read and the secret itself
is never stored. Verified keys are kept in process for the cache lifetime, as tokens are.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

from gateway.auth.cache import CacheLimits, TtlCache
from gateway.auth.identity import Identity
from gateway.auth.tokens import shared_secret
from gateway.store import Store

API_KEYS = "api_keys"
METHOD = "api_key"
PREFIXES = {"live": "do_live_", "test": "do_test_"}
# What listings show of a secret: its mode and 4 of its 43 random characters.
SHOWN_LENGTH = 12
_SECRET = re.compile(r"do_(live|test)_[A-Za-z0-9_-]{43}")
# `last_used` is written at most this often per key.
TOUCH_SECONDS = 60
# What one verified key takes in memory, roughly (identity, scopes, entry).
_ENTRY_BYTES = 1500


def new_secret(mode: str) -> str:
    """A fresh secret: the mode's prefix and 256 random bits (43 URL-safe characters)."""
    return PREFIXES[mode] + secrets.token_urlsafe(32)


def is_well_formed(secret: str) -> bool:
    """True when `secret` looks like a key this gateway mints (checked before any read)."""
    return _SECRET.fullmatch(secret) is not None


async def hash_key(store: Store, configured: str | None) -> bytes:
    """The key of the keyed hash: the shared secret under a label of its own."""
    return hashlib.sha256(b"api_keys:" + await shared_secret(store, configured)).digest()


def key_id(hashing_key: bytes, secret: str) -> str:
    """The document id of the key whose secret is `secret`."""
    return hmac.new(hashing_key, secret.encode(), hashlib.sha256).hexdigest()[:32]


def grants(scopes: frozenset[str], needed: str) -> bool:
    """True when `scopes` allow `needed` (`pbx:<group>:<access>`); a write grants no read."""
    access = needed.rsplit(":", 1)[-1]
    return needed in scopes or f"pbx:*:{access}" in scopes or "pbx:*" in scopes


@dataclass
class VerifiedKey:
    """What a request needs of a stored key, as read (at most the cache lifetime ago)."""

    key_id: str
    account_id: str
    scopes: frozenset[str]
    mode: str
    plan: str
    expires_at: int | None
    last_used: int

    def expired(self, now: float) -> bool:
        """True once the key's expiry has passed."""
        return self.expires_at is not None and self.expires_at <= now

    def identity(self) -> Identity:
        """The caller this key stands for: an admin of its account, that account only."""
        return Identity(
            account_id=self.account_id,
            owner_id=None,
            method=METHOD,
            priv_level="admin",
            superduper=False,
            key_id=self.key_id,
        )


class VerifiedKeys:
    """Keys verified by this instance, kept for the cache lifetime; the hashing key, once."""

    def __init__(self, limits: CacheLimits) -> None:
        self.entries: TtlCache[str, VerifiedKey] = TtlCache(limits)
        self._hash_key: bytes | None = None

    async def hashing_key(self, store: Store, configured: str | None) -> bytes:
        """The keyed hash's key (read from the store the first time when not configured)."""
        if self._hash_key is None:
            self._hash_key = await hash_key(store, configured)
        return self._hash_key

    async def get(
        self, key: str, load: Callable[[], Awaitable[VerifiedKey | None]]
    ) -> VerifiedKey | None:
        """The verified key under document id `key`, loaded once however many ask."""
        return await self.entries.get_or_load(key, load, lambda _: _ENTRY_BYTES)

    def forget(self, key: str) -> None:
        """This instance revoked the key: it is refused from now on."""
        self.entries.drop(key)


VERIFIED_KEYS: web.AppKey[VerifiedKeys] = web.AppKey("verified_api_keys")


def forget_key(app: web.Application, key: str) -> None:
    """Drop a revoked key from this instance's cache (when the dialect is served)."""
    verified = app.get(VERIFIED_KEYS)
    if verified is not None:
        verified.forget(key)


async def touch(store: Store, key: VerifiedKey) -> None:
    """Record that the key was used, at most once every TOUCH_SECONDS (no write per request)."""
    now = int(time.time())
    if now - key.last_used < TOUCH_SECONDS:
        return
    key.last_used = now
    # Telemetry, not a change of the key: no revision, no audit entry, no event.
    await store.update_many(
        API_KEYS,
        {"id": key.key_id, "pvt_last_used": {"$lt": now - TOUCH_SECONDS + 1}},
        {"$set": {"pvt_last_used": now}},
    )

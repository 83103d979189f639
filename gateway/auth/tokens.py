"""Signed JWTs backed by a session document, so any instance can verify or revoke."""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from gateway.auth.cache import CacheLimits, TtlCache
from gateway.auth.identity import Identity
from gateway.store import SYSTEM, Index, Store
from gateway.store.ids import new_id

SESSIONS = "auth_sessions"
ALGORITHM = "HS256"
ISSUER = "pbx-gateway"

INDEXES = (
    Index(SESSIONS, "sessions_expiry", ("expires",), ttl_seconds=0),
    Index(SESSIONS, "sessions_owner", ("owner_id",)),
    Index(SESSIONS, "sessions_account", ("account_id",)),
)


async def shared_secret(store: Store, configured: str | None) -> bytes:
    """GATEWAY_SECRET_KEY, or one random secret made once and kept in the store."""
    if configured:
        return configured.encode()
    doc = await store.put_if_absent(
        SYSTEM, {"id": "signing_secret", "value": secrets.token_hex(32)}
    )
    return str(doc["value"]).encode()


# What one verified-token entry takes besides the token itself (1,100 bytes with tracemalloc).
_ENTRY_BYTES = 1200


class TokenService:
    """Issues, verifies and revokes auth tokens; verified tokens are kept a short while."""

    def __init__(self, store: Store, secret: bytes, ttl: int, limits: CacheLimits) -> None:
        self.store = store
        self.ttl = ttl
        self._key = hashlib.sha256(b"tokens:" + secret).digest()
        self.login_secret = hashlib.sha256(b"logins:" + secret).digest()
        self.verified: TtlCache[str, tuple[Identity, int]] = TtlCache(limits)

    async def issue(self, identity: Identity) -> tuple[str, dict[str, Any]]:
        """A new token for `identity`, with its session."""
        session_id = new_id()
        expires = int(time.time()) + self.ttl
        claims: dict[str, Any] = {
            "account_id": identity.account_id,
            "method": identity.method,
            "exp": expires,
            "iss": ISSUER,
            "jti": session_id,
        }
        if identity.owner_id:
            claims["owner_id"] = identity.owner_id
        await self.store.insert(
            SESSIONS,
            {
                "id": session_id,
                "account_id": identity.account_id,
                "owner_id": identity.owner_id,
                "method": identity.method,
                "priv_level": identity.priv_level,
                "superduper": identity.superduper,
                "expires": datetime.fromtimestamp(expires, UTC),
            },
        )
        return jwt.encode(claims, self._key, algorithm=ALGORITHM), claims

    async def verify(self, token: str) -> Identity | None:
        """The identity behind a valid, unexpired, unrevoked token; None otherwise."""
        entry = await self.verified.get_or_load(
            token, lambda: self._verify(token), lambda _: len(token) + _ENTRY_BYTES
        )
        if entry is None:
            return None
        identity, expires = entry
        return identity if expires > time.time() else None  # as jwt.decode checks `exp`

    async def _verify(self, token: str) -> tuple[Identity, int] | None:
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                options={"require": ["exp", "jti", "account_id"]},
            )
        except jwt.PyJWTError:
            return None
        session = await self.store.get(SESSIONS, str(claims["jti"]))
        if session is None or session["account_id"] != claims["account_id"]:
            return None
        if session["expires"].replace(tzinfo=UTC) <= datetime.now(UTC) - timedelta(seconds=1):
            return None
        identity = Identity(
            account_id=session["account_id"],
            owner_id=session.get("owner_id"),
            method=session["method"],
            priv_level=session["priv_level"],
            superduper=bool(session["superduper"]),
            session_id=session["id"],
            claims=claims,
        )
        return identity, int(claims["exp"])

    async def revoke(self, session_id: str) -> None:
        """End one session."""
        await self.store.delete(SESSIONS, session_id)
        self.verified.drop_where(lambda entry: entry[0].session_id == session_id)

    async def revoke_user(self, owner_id: str) -> None:
        """End every session of one user."""
        await self.store.delete_many(SESSIONS, {"owner_id": owner_id})
        self.verified.drop_where(lambda entry: entry[0].owner_id == owner_id)

    async def revoke_account(self, account_id: str) -> None:
        """End every session of one account."""
        await self.store.delete_many(SESSIONS, {"account_id": account_id})
        self.verified.drop_where(lambda entry: entry[0].account_id == account_id)

"""Login credentials: Kazoo's md5/sha1 of 'username:password', kept only under bcrypt."""

from __future__ import annotations

import asyncio
import hashlib
import hmac

import bcrypt

# A short keyed tag narrows a login to a few candidate users without storing a fast hash.
BUCKET_HEX_CHARS = 3


def credential_digests(username: str, password: str) -> dict[str, str]:
    """{'md5': ..., 'sha': ...} of lower-cased 'username:password', as Kazoo clients send."""
    text = f"{username.lower()}:{password}".encode()
    return {"md5": hashlib.md5(text).hexdigest(), "sha": hashlib.sha1(text).hexdigest()}


def bucket(secret: bytes, account_id: str, digest: str) -> str:
    """The lookup tag for one credential digest in one account."""
    mac = hmac.new(secret, f"{account_id}:{digest.lower()}".encode(), hashlib.sha256)
    return mac.hexdigest()[:BUCKET_HEX_CHARS]


async def slow_hash(digest: str, rounds: int) -> str:
    """bcrypt of a credential digest, off the event loop."""
    hashed = await asyncio.to_thread(
        bcrypt.hashpw, digest.lower().encode(), bcrypt.gensalt(rounds)
    )
    return hashed.decode()


async def matches(digest: str, hashed: str) -> bool:
    """True when `digest` is the one `hashed` was made from."""
    return await asyncio.to_thread(bcrypt.checkpw, digest.lower().encode(), hashed.encode())


async def stored_credentials(
    secret: bytes, account_id: str, username: str, password: str, rounds: int
) -> dict[str, str]:
    """The private fields a user document keeps for logging in."""
    digests = credential_digests(username, password)
    fields: dict[str, str] = {}
    for method, digest in digests.items():
        fields[f"pvt_{method}_hash"] = await slow_hash(digest, rounds)
        fields[f"pvt_{method}_bucket"] = bucket(secret, account_id, digest)
    return fields


CREDENTIAL_FIELDS = ("pvt_md5_hash", "pvt_md5_bucket", "pvt_sha_hash", "pvt_sha_bucket")

"""`create-intake-key`, `intake-keys` and `revoke-intake-key` on the command line."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from gateway.auth.cache import CacheLimits
from gateway.calls.keys import IntakeKeys
from gateway.settings import Settings
from gateway.store.connect import open_store


async def intake_key_command(settings: Settings, action: str, value: str) -> int:
    """Create a key (printed once), list the stored ones, or revoke one by id (or its prefix)."""
    async with open_store(settings) as store:
        keys = IntakeKeys(store, frozenset(), CacheLimits(0, 1, 65_536))
        if action == "create":
            key, record = await keys.create(value)
            print(f"intake key {record['name']!r} (id {record['id'][:12]}): {key}")
            print("It is shown once; the store keeps only its SHA-256.")
            return 0
        if action == "list":
            for record in await keys.listed():
                created = datetime.fromtimestamp(record["created"], UTC).strftime("%Y-%m-%d")
                print(f"{record['id'][:12]}  {created}  {record['name']}")
            return 0
        if await keys.revoke(value):
            print(f"revoked intake key {value}")
            return 0
        print(f"no single intake key has an id starting with {value!r}", file=sys.stderr)
        return 1

"""Document ids and revisions."""

from __future__ import annotations

import secrets


def new_id() -> str:
    """A new 32-lowercase-hex document id."""
    return secrets.token_hex(16)


def next_revision(revision: str | None) -> str:
    """CouchDB-style revision: '<n>-<32 hex>'."""
    number = int(revision.split("-", 1)[0]) if revision else 0
    return f"{number + 1}-{secrets.token_hex(16)}"

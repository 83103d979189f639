"""Kazi's integer ids: one per tenant and per extension, from a sequence in the store, assigned
the first time /api shows the document and never reused, beside its 32-hex id."""

from __future__ import annotations

from gateway.crossbar.context import Context
from gateway.store import Index

ALIASES = "kazi_aliases"
SEQUENCES = "kazi_sequences"
TENANT, EXTENSION = "tenant", "extension"
INDEXES = (Index(ALIASES, "kazi_aliases_alias", ("alias",), unique=True),)
# Kazi ids fit a signed 64-bit integer; larger input names nothing.
LARGEST = 2**63 - 1


def _doc_id(kind: str, target: str) -> str:
    return f"{kind}/{target}"


def _alias(kind: str, number: int) -> str:
    return f"{kind}:{number}"


async def aliases_of(ctx: Context, kind: str, targets: list[str]) -> dict[str, int]:
    """The integer id of each 32-hex id in `targets`; the missing ones get the next numbers of
    the kind's sequence (one read, then for any missing: one increment and one insert)."""
    wanted = sorted(set(targets))
    if not wanted:
        return {}
    ids = [_doc_id(kind, target) for target in wanted]
    found = await ctx.store.find(ALIASES, {"id": {"$in": ids}})
    known = {str(doc["target"]): int(doc["number"]) for doc in found}
    missing = [target for target in wanted if target not in known]
    if not missing:
        return known
    last = await ctx.store.reserve(SEQUENCES, kind, len(missing))
    first = last - len(missing) + 1
    made = [
        {
            "id": _doc_id(kind, target),
            "target": target,
            "number": number,
            "alias": _alias(kind, number),
        }
        for number, target in enumerate(missing, start=first)
    ]
    # Another instance may assign the same documents at once: its numbers win, ours are skipped.
    await ctx.store.insert_missing(ALIASES, made)
    again = await ctx.store.find(ALIASES, {"id": {"$in": [doc["id"] for doc in made]}})
    known.update({str(doc["target"]): int(doc["number"]) for doc in again})
    return known


async def alias_of(ctx: Context, kind: str, target: str) -> int:
    """The integer id of one 32-hex id (assigned when it has none)."""
    return (await aliases_of(ctx, kind, [target]))[target]


async def target_of(ctx: Context, kind: str, number: int) -> str | None:
    """The 32-hex id an integer id names, None when it names nothing (one indexed read)."""
    if not 0 < number <= LARGEST:
        return None
    found = await ctx.store.find(ALIASES, {"alias": _alias(kind, number)}, limit=1)
    return str(found[0]["target"]) if found else None


def parse_id(text: str) -> int | None:
    """A path's integer id ("12"), None for anything else."""
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    return int(text)

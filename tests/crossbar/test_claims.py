"""Claims make values inside arrays unique, race-free and self-healing."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from aiohttp import web

from gateway.crossbar.claims import CLAIMS, Claim, acquire, release
from gateway.crossbar.context import Context
from gateway.crossbar.errors import InvalidData
from gateway.keys import STORE

NUMBERS = Claim(
    name="numbers",
    path="numbers",
    values=lambda doc: doc.get("numbers", []),
    message=lambda value, owner: f"Number {value} exists in callflow {owner['id']}",
)


def context(app: web.Application) -> Context:
    return Context(app=app, request_id="t", verb="PUT", account_id="a" * 32)


async def saved(app: web.Application, doc_id: str, numbers: list[str]) -> dict[str, Any]:
    doc = {"id": doc_id, "pvt_account_id": "a" * 32, "numbers": numbers}
    await app[STORE].insert("things", doc)
    return doc


async def test_a_value_held_by_another_document_is_refused(app: web.Application) -> None:
    ctx = context(app)
    first = await saved(app, "1" * 32, ["1001"])
    await acquire(ctx, "things", NUMBERS, first, None)
    with pytest.raises(InvalidData) as caught:
        await acquire(ctx, "things", NUMBERS, {**first, "id": "2" * 32, "numbers": ["1001"]}, None)
    assert caught.value.data == {
        "numbers": {
            "unique": {"message": f"Number 1001 exists in callflow {'1' * 32}", "cause": "1001"}
        }
    }


async def test_concurrent_claims_let_exactly_one_win(app: web.Application) -> None:
    ctx = context(app)
    docs = [await saved(app, str(n) * 32, ["2000"]) for n in range(1, 6)]
    results = await asyncio.gather(
        *(acquire(ctx, "things", NUMBERS, doc, None) for doc in docs), return_exceptions=True
    )
    assert sum(isinstance(result, list) for result in results) == 1
    assert sum(isinstance(result, InvalidData) for result in results) == 4


async def test_released_values_are_free_again(app: web.Application) -> None:
    ctx = context(app)
    first = await saved(app, "1" * 32, ["1001", "1002"])
    await acquire(ctx, "things", NUMBERS, first, None)
    await release(ctx, NUMBERS, first, {**first, "numbers": ["1002"]})
    other = {**first, "id": "2" * 32, "numbers": ["1001"]}
    assert await acquire(ctx, "things", NUMBERS, other, None) == [f"numbers:{'a' * 32}:1001"]


async def test_a_claim_whose_owner_dropped_the_value_is_taken_over(app: web.Application) -> None:
    ctx = context(app)
    await app[STORE].insert(
        CLAIMS, {"id": f"numbers:{'a' * 32}:3000", "owner_id": "9" * 32, "kind": "things"}
    )
    other = await saved(app, "2" * 32, ["3000"])
    assert await acquire(ctx, "things", NUMBERS, other, None) == [f"numbers:{'a' * 32}:3000"]
    claim = await app[STORE].get(CLAIMS, f"numbers:{'a' * 32}:3000")
    assert claim is not None and claim["owner_id"] == "2" * 32


async def test_a_young_claim_whose_owner_is_still_saving_is_not_taken(
    app: web.Application,
) -> None:
    ctx = context(app)
    key = f"numbers:{'a' * 32}:3001"
    await app[STORE].insert(
        CLAIMS, {"id": key, "owner_id": "9" * 32, "kind": "things", "at": time.time()}
    )
    other = await saved(app, "2" * 32, ["3001"])
    with pytest.raises(InvalidData):
        await acquire(ctx, "things", NUMBERS, other, None)
    claim = await app[STORE].get(CLAIMS, key)
    assert claim is not None and claim["owner_id"] == "9" * 32

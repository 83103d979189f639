"""The store's promises; runs on nx-27017 and, with GATEWAY_MONGO_URL, on MongoDB."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from gateway.store import Conflict, DuplicateValue, Index, Store

KIND = "things"
UNIQUE = Index(KIND, "things_code", ("code",), unique=True, sparse_on="code", scope=("acct",))


@pytest.fixture
async def things(store: Store) -> Store:
    await store.ensure_indexes([UNIQUE, Index(KIND, "things_sort", ("acct", "sort"))])
    return store


async def test_insert_assigns_32_hex_id_and_first_revision(things: Store) -> None:
    saved = await things.insert(KIND, {"acct": "a", "name": "x"})
    assert len(saved["id"]) == 32 and int(saved["id"], 16) >= 0
    assert saved["_rev"].startswith("1-")
    assert await things.get(KIND, saved["id"]) == saved


async def test_insert_keeps_a_chosen_id(things: Store) -> None:
    saved = await things.insert(KIND, {"id": "f" * 32, "acct": "a"})
    assert saved["id"] == "f" * 32
    assert (await things.get(KIND, "f" * 32) or {})["acct"] == "a"


async def test_replace_bumps_revision_and_refuses_a_stale_one(things: Store) -> None:
    saved = await things.insert(KIND, {"acct": "a", "n": 1})
    second = await things.replace(KIND, {**saved, "n": 2})
    assert second["_rev"].startswith("2-")
    with pytest.raises(Conflict):
        await things.replace(KIND, {**saved, "n": 3})
    assert (await things.get(KIND, saved["id"]) or {})["n"] == 2


async def test_unique_index_names_the_rule_and_keeps_the_first(things: Store) -> None:
    await things.insert(KIND, {"acct": "a", "code": "x"})
    with pytest.raises(DuplicateValue) as caught:
        await things.insert(KIND, {"acct": "a", "code": "x"})
    assert caught.value.index == "things_code"
    assert len(await things.find(KIND, {"code": "x"})) == 1


async def test_unique_index_is_scoped_and_sparse(things: Store) -> None:
    await things.insert(KIND, {"acct": "a", "code": "x"})
    await things.insert(KIND, {"acct": "b", "code": "x"})
    await things.insert(KIND, {"acct": "a"})
    await things.insert(KIND, {"acct": "a"})
    assert len(await things.find(KIND, {"acct": "a"})) == 3


async def test_unique_index_applies_to_replace(things: Store) -> None:
    await things.insert(KIND, {"acct": "a", "code": "x"})
    other = await things.insert(KIND, {"acct": "a", "code": "y"})
    with pytest.raises(DuplicateValue):
        await things.replace(KIND, {**other, "code": "x"})


async def test_concurrent_inserts_of_one_unique_value_let_exactly_one_win(things: Store) -> None:
    results = await asyncio.gather(
        *(things.insert(KIND, {"acct": "a", "code": "same"}) for _ in range(5)),
        return_exceptions=True,
    )
    assert sum(isinstance(result, dict) for result in results) == 1
    assert sum(isinstance(result, DuplicateValue) for result in results) == 4


async def test_duplicate_id_is_reported(things: Store) -> None:
    await things.insert(KIND, {"id": "e" * 32, "acct": "a"})
    with pytest.raises(DuplicateValue) as caught:
        await things.insert(KIND, {"id": "e" * 32, "acct": "a"})
    assert caught.value.index == "_id"


@pytest.fixture
async def rows(things: Store) -> Store:
    docs = [
        {
            "id": "1" * 32,
            "acct": "a",
            "sort": "b",
            "flag": True,
            "n": 5,
            "tags": ["x", "y"],
            "nested": {"k": "v1"},
            "email": "a@x",
        },
        {
            "id": "2" * 32,
            "acct": "a",
            "sort": "c",
            "flag": False,
            "n": 7,
            "tags": ["z"],
            "nested": {"k": "v2"},
            "email": "",
        },
        {"id": "3" * 32, "acct": "a", "sort": "a", "n": 9},
        {"id": "4" * 32, "acct": "b", "sort": "d", "flag": True},
    ]
    for doc in docs:
        await things.insert(KIND, doc)
    return things


async def ids(store: Store, query: dict[str, object], **kwargs: object) -> list[str]:
    return [doc["id"][0] for doc in await store.find(KIND, query, **kwargs)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"flag": {"$in": [True]}}, {"1"}),
        ({"flag": {"$nin": [True]}}, {"2", "3"}),
        ({"tags": {"$in": ["y"]}}, {"1"}),
        ({"nested.k": {"$in": ["v2"]}}, {"2"}),
        ({"email": {"$exists": True}}, {"1", "2"}),
        ({"email": {"$exists": False}}, {"3"}),
        ({"email": {"$exists": True, "$nin": [None, ""]}}, {"1"}),
        ({"email": {"$in": [None, ""]}}, {"2", "3"}),
        ({"n": {"$gte": 6, "$lte": 9}}, {"2", "3"}),
        ({"id": {"$in": ["1" * 32, "3" * 32]}}, {"1", "3"}),
    ],
)
async def test_flat_queries_select_as_filters_need(
    rows: Store, query: dict[str, object], expected: set[str]
) -> None:
    assert set(await ids(rows, {"acct": "a", **query})) == expected


async def test_sort_limit_and_keyset_resume(rows: Store) -> None:
    assert await ids(rows, {"acct": "a"}, sort="sort") == ["3", "1", "2"]
    assert await ids(rows, {"acct": "a"}, sort="sort", descending=True, limit=2) == ["2", "1"]
    resumed = await ids(rows, {"acct": "a", "sort": {"$lte": "b"}}, sort="sort", descending=True)
    assert resumed == ["1", "3"]


async def test_delete_update_many_and_delete_many(rows: Store) -> None:
    assert await rows.delete(KIND, "3" * 32) is True
    assert await rows.delete(KIND, "3" * 32) is False
    await rows.update_many(KIND, {"acct": "a"}, {"$inc": {"n": 1}})
    assert [doc["n"] for doc in await rows.find(KIND, {"acct": "a"}, sort="sort")] == [6, 8]
    assert await rows.delete_many(KIND, {"acct": "a"}) == 2
    assert await rows.find(KIND, {"acct": "a"}) == []


async def test_put_if_absent_keeps_the_first_value(store: Store) -> None:
    first = await store.put_if_absent("system", {"id": "k", "value": 1})
    second = await store.put_if_absent("system", {"id": "k", "value": 2})
    assert first["value"] == second["value"] == 1


async def test_counter_counts_within_its_window(store: Store) -> None:
    await store.ensure_indexes([Index("hits", "hits_ttl", ("expires",), ttl_seconds=0)])
    expires = datetime.now(UTC) + timedelta(minutes=5)
    counts = await asyncio.gather(*(store.count_in_window("hits", "k", expires) for _ in range(5)))
    assert sorted(counts) == [1, 2, 3, 4, 5]
    assert await store.counter("hits", "k") == 5
    assert await store.counter("hits", "other") == 0


async def test_expired_counter_reads_as_zero(store: Store) -> None:
    await store.count_in_window("hits", "old", datetime.now(UTC) - timedelta(seconds=5))
    assert await store.counter("hits", "old") == 0


async def test_a_bounded_find_past_one_16_mb_batch_returns_every_document(things: Store) -> None:
    await things.insert_many(
        KIND, ({"acct": "big", "n": n, "blob": "x" * 1_000_000} for n in range(20))
    )
    found = await things.find(KIND, {"acct": "big"}, sort="n", limit=20)
    assert [doc["n"] for doc in found] == list(range(20))
    assert (await things.get(KIND, found[0]["id"]) or {})["n"] == 0


async def test_upsert_writes_under_the_given_id_and_replaces_whole(things: Store) -> None:
    await things.upsert(KIND, {"id": "u" * 8, "acct": "a", "n": 1})
    await things.upsert(KIND, {"id": "u" * 8, "acct": "a", "m": 2})
    found = await things.find(KIND, {"acct": "a"})
    assert [(doc["id"], doc.get("n"), doc.get("m")) for doc in found] == [("u" * 8, None, 2)]
    assert await things.delete(KIND, "u" * 8)

"""Store: documents by kind (collection), revisions, unique rules, counters."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient, IndexModel
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import (
    BulkWriteError,
    ConnectionFailure,
    DuplicateKeyError,
    OperationFailure,
    ServerSelectionTimeoutError,
)

from gateway.store.errors import Conflict, DuplicateValue, StoreUnavailable
from gateway.store.files import Files
from gateway.store.finds import find_bounded
from gateway.store.ids import new_id, next_revision
from gateway.store.plans import QueryPlan, plan_of

Doc = dict[str, Any]
Query = Mapping[str, Any]
SYSTEM = "system"  # the gateway's own records: signing secret, data migrations


@dataclass(frozen=True)
class Index:
    """An index on one kind; `unique` ones back a rule named `name`."""

    kind: str
    name: str
    keys: tuple[str, ...]
    unique: bool = False
    sparse_on: str | None = None
    ttl_seconds: int | None = None
    scope: tuple[str, ...] = field(default_factory=tuple)

    @property
    def fields(self) -> tuple[str, ...]:
        """Every key the index covers, scope first."""
        return self.scope + self.keys


def _to_mongo(query: Query) -> dict[str, Any]:
    return {("_id" if key == "id" else key): value for key, value in query.items()}


def _from_mongo(doc: Mapping[str, Any]) -> Doc:
    out = dict(doc)
    out["id"] = out.pop("_id")
    return out


class Store:
    """Every read and write of the gateway goes through here."""

    def __init__(self, client: AsyncMongoClient[Doc], database: str) -> None:
        self._client = client
        self._db: AsyncDatabase[Doc] = client[database]
        self._indexes: dict[str, list[Index]] = {}
        self._collections: dict[str, AsyncCollection[Doc]] = {}
        self.files = Files(self._db)

    def _kind(self, kind: str) -> AsyncCollection[Doc]:
        # The driver builds a new collection object on every db[name] (6 µs, measured).
        collection = self._collections.get(kind)
        if collection is None:
            collection = self._collections[kind] = self._db[kind]
        return collection

    async def ensure_indexes(self, indexes: Iterable[Index]) -> None:
        """Create the declared indexes (idempotent): one command per kind, kinds at once."""
        models: dict[str, list[IndexModel]] = {}
        for index in indexes:
            known = self._indexes.setdefault(index.kind, [])
            if index not in known:
                known.append(index)
            options: dict[str, Any] = {"name": index.name, "unique": index.unique}
            if index.sparse_on:
                options["partialFilterExpression"] = {index.sparse_on: {"$exists": True}}
            if index.ttl_seconds is not None:
                options["expireAfterSeconds"] = index.ttl_seconds
            keys = [(key, ASCENDING) for key in index.fields]
            models.setdefault(index.kind, []).append(IndexModel(keys, **options))
        await self._guard(
            asyncio.gather(
                *(self._db[kind].create_indexes(found) for kind, found in models.items())
            )
        )

    async def ping(self) -> None:
        """Raise StoreUnavailable unless the database answers."""
        await self._guard(self._db.command("ping"))

    async def get(self, kind: str, doc_id: str) -> Doc | None:
        """One document by id, or None."""
        found = await self._guard(
            find_bounded(self._db, self._kind(kind), {"_id": doc_id}, None, 1)
        )
        return _from_mongo(found[0]) if found else None

    async def find_one(self, kind: str, query: Query) -> Doc | None:
        """The first document matching a flat query."""
        doc = await self._guard(self._kind(kind).find_one(_to_mongo(query)))
        return None if doc is None else _from_mongo(doc)

    async def find(
        self,
        kind: str,
        query: Query,
        *,
        sort: str | None = None,
        descending: bool = False,
        limit: int = 0,
    ) -> list[Doc]:
        """Documents matching a flat query, ordered on one field."""
        if limit:
            order = {sort: -1 if descending else 1} if sort else None
            found = find_bounded(self._db, self._kind(kind), _to_mongo(query), order, limit)
            return [_from_mongo(doc) for doc in await self._guard(found)]
        cursor = self._kind(kind).find(_to_mongo(query))
        if sort:
            cursor = cursor.sort(sort, DESCENDING if descending else ASCENDING)
        try:
            return [_from_mongo(doc) for doc in await cursor.to_list()]
        except (ConnectionFailure, ServerSelectionTimeoutError) as err:
            raise StoreUnavailable() from err

    async def explain(
        self, kind: str, query: Query, *, sort: str, descending: bool = False, limit: int = 0
    ) -> QueryPlan:
        """The plan of a `find` (the index field it walks; documents read, where reported)."""
        command: dict[str, Any] = {
            "find": kind,
            "filter": _to_mongo(query),
            "sort": {sort: -1 if descending else 1},
        }
        if limit:
            command["limit"] = limit
        answer = await self._guard(
            self._db.command("explain", command, verbosity="executionStats")
        )
        return plan_of(kind, answer)

    async def each(self, kind: str, query: Query, batch_size: int = 500) -> AsyncIterator[Doc]:
        """Stream every matching document without holding them all."""
        cursor = self._kind(kind).find(_to_mongo(query), batch_size=batch_size)
        try:
            async for doc in cursor:
                yield _from_mongo(doc)
        except (ConnectionFailure, ServerSelectionTimeoutError) as err:
            raise StoreUnavailable() from err

    async def drop_ttl_indexes(self, kind: str) -> None:
        """Drop every TTL index of a kind (their collections are swept instead)."""
        found = await self._guard(self._kind(kind).index_information())
        for name, info in found.items():
            if "expireAfterSeconds" in info:
                await self.drop_index(kind, name)

    async def drop_index(self, kind: str, name: str) -> None:
        """Drop an index by name; nothing when it does not exist."""
        try:
            await self._guard(self._kind(kind).drop_index(name))
        except OperationFailure:
            pass

    async def insert_many(self, kind: str, docs: Iterable[Doc]) -> None:
        """Insert new documents (ids assigned when absent) at revision 1, in one batch."""
        batch = [
            {**{k: v for k, v in doc.items() if k != "id"}, "_id": doc.get("id") or new_id()}
            for doc in docs
        ]
        for stored in batch:
            stored["_rev"] = next_revision(None)
        if batch:
            await self._guard(self._kind(kind).insert_many(batch))

    async def insert_new(self, kind: str, docs: list[Doc]) -> None:
        """Insert documents whole, in order; DuplicateValue when any id or unique key exists."""
        if not docs:
            return
        try:
            await self._guard(self._kind(kind).insert_many([_to_mongo(doc) for doc in docs]))
        except (BulkWriteError, DuplicateKeyError):
            raise DuplicateValue("_id") from None

    async def insert_missing(self, kind: str, docs: list[Doc]) -> None:
        """Insert documents whole; those whose id already exists are left as they are."""
        if not docs:
            return
        try:
            await self._guard(
                self._kind(kind).insert_many([_to_mongo(doc) for doc in docs], ordered=False)
            )
        except BulkWriteError as err:
            if any(error.get("code") != _DUPLICATE_KEY for error in err.details["writeErrors"]):
                raise

    async def claim_due(self, kind: str, field: str, now: float, until: float) -> Doc | None:
        """Atomically take the document most overdue on `field` (≤ now), pushing it to `until`."""
        doc = await self._guard(
            self._kind(kind).find_one_and_update(
                {field: {"$lte": now}},
                {"$set": {field: until}},
                sort=[(field, ASCENDING)],
                return_document=True,
            )
        )
        return None if doc is None else _from_mongo(doc)

    async def insert(self, kind: str, doc: Doc, *, revision: str | None = None) -> Doc:
        """Insert a new document (id assigned when absent) at revision 1 (or `revision`)."""
        stored = {key: value for key, value in doc.items() if key != "id"}
        stored["_id"] = doc.get("id") or new_id()
        stored["_rev"] = revision or next_revision(None)
        try:
            await self._guard(self._kind(kind).insert_one(stored))
        except DuplicateKeyError:
            raise await self._which_duplicate(kind, stored) from None
        return _from_mongo(stored)

    async def replace(self, kind: str, doc: Doc, *, revision: str | None = None) -> Doc:
        """Replace a document if its `_rev` is still current; bump the revision (to `revision`)."""
        doc_id, current = doc["id"], doc.get("_rev")
        stored = {key: value for key, value in doc.items() if key != "id"}
        stored["_rev"] = revision or next_revision(current)
        try:
            result = await self._guard(
                self._kind(kind).replace_one({"_id": doc_id, "_rev": current}, stored)
            )
        except DuplicateKeyError:
            raise await self._which_duplicate(kind, {**stored, "_id": doc_id}) from None
        if result.matched_count != 1:
            raise Conflict(doc_id)
        return {**stored, "id": doc_id}

    async def upsert(self, kind: str, doc: Doc) -> None:
        """Write `doc` whole under its id, whether or not one was there (no revision check)."""
        stored = {key: value for key, value in doc.items() if key != "id"}
        # The id is written too: nx-27017 gives an upserted document an id of its own otherwise.
        stored.update(_id=doc["id"], _rev=next_revision(None))
        await self._guard(self._kind(kind).replace_one({"_id": doc["id"]}, stored, upsert=True))

    async def delete(self, kind: str, doc_id: str, *, revision: str | None = None) -> bool:
        """Delete one document by id (only at `revision` if given); True when one went."""
        query = {"_id": doc_id} if revision is None else {"_id": doc_id, "_rev": revision}
        result = await self._guard(self._kind(kind).delete_one(query))
        return bool(result.deleted_count)

    async def delete_many(self, kind: str, query: Query) -> int:
        """Delete every document matching a flat query."""
        result = await self._guard(self._kind(kind).delete_many(_to_mongo(query)))
        return int(result.deleted_count)

    async def update_many(self, kind: str, query: Query, changes: Mapping[str, Any]) -> None:
        """Apply `$set`/`$inc`/`$unset` changes to every matching document."""
        await self._guard(self._kind(kind).update_many(_to_mongo(query), dict(changes)))

    async def put_if_absent(self, kind: str, doc: Doc) -> Doc:
        """Insert `doc` unless one with its id exists; return the stored one."""
        try:
            await self._guard(self._kind(kind).insert_one(_to_mongo(doc)))
        except DuplicateKeyError:
            pass
        found = await self.get(kind, doc["id"])
        assert found is not None
        return found

    async def count_in_window(self, kind: str, key: str, expires: datetime) -> int:
        """Add one to the counter `key` (created with TTL `expires`) and return it."""
        try:
            await self._guard(
                self._kind(kind).insert_one({"_id": key, "count": 1, "expires": expires})
            )
            return 1
        except DuplicateKeyError:
            doc = await self._guard(
                self._kind(kind).find_one_and_update(
                    {"_id": key}, {"$inc": {"count": 1}}, return_document=True
                )
            )
            return int(doc["count"]) if doc else 1

    async def reserve(self, kind: str, key: str, count: int) -> int:
        """Take the next `count` numbers of the sequence `key` (from 1, never handed out twice)
        and return the last of them."""
        try:
            await self._guard(self._kind(kind).insert_one({"_id": key, "last": count}))
            return count
        except DuplicateKeyError:
            doc = await self._guard(
                self._kind(kind).find_one_and_update(
                    {"_id": key}, {"$inc": {"last": count}}, return_document=True
                )
            )
            return int(doc["last"])

    async def counter(self, kind: str, key: str) -> int:
        """The current value of a counter made by count_in_window (0 when none)."""
        doc = await self.get(kind, key)
        if doc is None or doc.get("expires", _FAR) <= datetime.now(UTC).replace(tzinfo=None):
            return 0
        return int(doc.get("count", 0))

    async def close(self) -> None:
        """Close the driver's connections."""
        await self._client.close()

    async def _which_duplicate(self, kind: str, doc: Mapping[str, Any]) -> DuplicateValue:
        for index in self._indexes.get(kind, []):
            if not index.unique:
                continue
            values = {key: _path(doc, key) for key in index.fields}
            if any(value is _MISSING for value in values.values()):
                continue
            other = await self._kind(kind).find_one({**values, "_id": {"$ne": doc["_id"]}})
            if other is not None:
                return DuplicateValue(index.name)
        return DuplicateValue("_id")

    async def _guard(self, awaitable: Any) -> Any:
        try:
            return await awaitable
        except (ConnectionFailure, ServerSelectionTimeoutError) as err:
            raise StoreUnavailable() from err


_MISSING = object()
_DUPLICATE_KEY = 11000
_FAR = datetime.max


def _path(doc: Mapping[str, Any], dotted: str) -> Any:
    value: Any = doc
    for part in dotted.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return _MISSING
        value = value[part]
    return value

"""Data written before listing keys existed is upgraded once at start and listed again."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from pymongo import AsyncMongoClient

from gateway.app import prepare_store
from gateway.keys import RESOURCES, STORE
from gateway.migrations import LISTING_KEYS
from gateway.store import SYSTEM
from tests.conftest import Tree
from tests.resources.clients import Api

OLD_INDEX = "users_listing"


async def age_the_data(mongo_url: str, database: str) -> None:
    """Make the database look as an older version left it: pvt_sort, compound index, no keys."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url)
    db = client[database]
    async for doc in db["users"].find({}):
        keys = {k: "" for k in doc if k.startswith("pvt_by_")}
        await db["users"].update_one(
            {"_id": doc["_id"]}, {"$unset": keys, "$set": {"pvt_sort": "old"}}
        )
    await db["users"].create_index([("pvt_account_id", 1), ("pvt_sort", 1)], name=OLD_INDEX)
    await db[SYSTEM].delete_one({"_id": LISTING_KEYS})
    await client.close()


async def test_restart_stamps_listing_keys_on_old_documents_once(
    api: Api, tree: Tree, app: web.Application, mongo_url: str
) -> None:
    for first in ("Ann", "Bob"):
        await api.create_user(first_name=first)
    store = app[STORE]
    database = store._db.name
    await age_the_data(mongo_url, database)
    assert await api.user_ids() == []

    await prepare_store(store, app[RESOURCES])

    assert len(await api.user_ids()) == 3  # the admin, Ann and Bob
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url)
    users = client[database]["users"]
    assert await users.count_documents({"pvt_sort": {"$exists": True}}) == 0
    assert OLD_INDEX not in await users.index_information()
    assert await client[database][SYSTEM].find_one({"_id": LISTING_KEYS}) is not None
    await client.close()

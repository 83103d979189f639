"""Opens the store: the configured MongoDB, or the embedded nx-27017 server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from pymongo import AsyncMongoClient

from gateway.settings import Settings
from gateway.store.embedded import EmbeddedServer
from gateway.store.store import Doc, Store

# Every instance reads the primary and writes to a majority of the replica set, so a write one
# instance acknowledged is what any other instance reads next, and survives a failover. `local`
# on the primary already sees every acknowledged write; it is also what the store's raw `find`
# commands get (the driver adds no read concern to them), so both read paths agree.
# nx-27017 accepts these and has nothing to replicate.
CONCERNS: dict[str, Any] = {
    "w": "majority",
    "readConcernLevel": "local",
    "readPreference": "primary",
}


def connect(url: str) -> AsyncMongoClient[Doc]:
    """A driver client with the gateway's concerns (they override any the URL names)."""
    return AsyncMongoClient(
        url, serverSelectionTimeoutMS=5000, uuidRepresentation="standard", **CONCERNS
    )


@asynccontextmanager
async def store_url(settings: Settings) -> AsyncIterator[str]:
    """GATEWAY_MONGO_URL, or an embedded server's URL, valid as long as the context."""
    if settings.mongo_url is not None:
        yield settings.mongo_url
        return
    embedded = EmbeddedServer(settings.data_dir)
    url = await embedded.start()
    try:
        yield url
    finally:
        await embedded.stop()
        embedded.cleanup()


@asynccontextmanager
async def open_store(settings: Settings) -> AsyncIterator[Store]:
    """Yield a connected Store; the embedded server lives as long as the context."""
    async with store_url(settings) as url:
        store = Store(connect(url), settings.mongo_database)
        try:
            await store.ping()
            yield store
        finally:
            await store.close()

"""Opens the store: the configured MongoDB, or the embedded nx-27017 server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from pymongo import AsyncMongoClient

from gateway.settings import Settings
from gateway.store.embedded import EmbeddedServer
from gateway.store.store import Doc, Store


@asynccontextmanager
async def open_store(settings: Settings) -> AsyncIterator[Store]:
    """Yield a connected Store; the embedded server lives as long as the context."""
    embedded: EmbeddedServer | None = None
    url = settings.mongo_url
    if url is None:
        embedded = EmbeddedServer(settings.data_dir)
        url = await embedded.start()
    client: AsyncMongoClient[Doc] = AsyncMongoClient(
        url, serverSelectionTimeoutMS=5000, uuidRepresentation="standard"
    )
    store = Store(client, settings.mongo_database)
    try:
        await store.ping()
        yield store
    finally:
        await store.close()
        if embedded is not None:
            await embedded.stop()
            embedded.cleanup()

"""Opens the store: the configured MongoDB, or the embedded nx-27017 server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from pymongo import AsyncMongoClient

from gateway.observe.store_metrics import store_listener
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


def connect(url: str, settings: Settings | None = None) -> AsyncMongoClient[Doc]:
    """A driver client with the gateway's concerns (they override any the URL names) and its
    timeouts: a store that is down shows as one within about a second, not the driver's 30 s."""
    settings = settings or Settings()
    return AsyncMongoClient(
        url,
        serverSelectionTimeoutMS=settings.store_selection_timeout_ms,
        connectTimeoutMS=settings.store_connect_timeout_ms,
        socketTimeoutMS=settings.store_socket_timeout_ms,
        uuidRepresentation="standard",
        # The driver builds an event per command only when someone listens.
        event_listeners=[] if settings.metrics == "off" else [store_listener()],
        **CONCERNS,
    )


@asynccontextmanager
async def store_url(
    settings: Settings, on_fatal: Callable[[str], None] | None = None
) -> AsyncIterator[str]:
    """GATEWAY_MONGO_URL, or an embedded server's URL, valid as long as the context;
    `on_fatal` is called when the embedded server died for good."""
    if settings.mongo_url is not None:
        yield settings.mongo_url
        return
    embedded = EmbeddedServer(
        settings.data_dir, restarts=settings.store_restarts, on_fatal=on_fatal
    )
    url = await embedded.start()
    try:
        yield url
    finally:
        await embedded.stop()
        embedded.cleanup()


@asynccontextmanager
async def open_store(
    settings: Settings, on_fatal: Callable[[str], None] | None = None
) -> AsyncIterator[Store]:
    """Yield a connected Store; the embedded server lives as long as the context."""
    async with store_url(settings, on_fatal) as url:
        store = Store(connect(url, settings), settings.mongo_database)
        try:
            await store.ping()
            yield store
        finally:
            await store.close()

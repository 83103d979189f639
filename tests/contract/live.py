"""The gateway served on a loopback port by a thread running its own event loop."""

from __future__ import annotations

import asyncio
import secrets
import socket
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from aiohttp import web
from pymongo import AsyncMongoClient

from gateway.app import create_app
from gateway.settings import Settings
from gateway.store import Store
from tests.conftest import Tree, make_tree

T = TypeVar("T")
START_SECONDS = 60.0


class LiveGateway:
    """`with LiveGateway(settings, url) as live:` serves at `live.base_url` on its own database."""

    def __init__(self, settings: Settings, mongo_url: str) -> None:
        self.settings = settings
        self.mongo_url = mongo_url
        self.database = f"t{secrets.token_hex(6)}"
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._serve, name="live-gateway", daemon=True)
        self.base_url = ""
        self.app: web.Application | None = None
        self._runner: web.AppRunner | None = None
        self._client: AsyncMongoClient[dict[str, Any]] | None = None

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the server's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(START_SECONDS)

    async def _start(self) -> Tree:
        self._client = AsyncMongoClient(self.mongo_url)
        self.app = create_app(self.settings, Store(self._client, self.database))
        self._runner = web.AppRunner(self.app, handle_signals=False)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        site = web.SockSite(self._runner, sock)
        await site.start()
        self.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        return await make_tree(self.app)

    async def _stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._client is not None:
            await self._client.drop_database(self.database)
            await self._client.close()
        others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    def __enter__(self) -> LiveGateway:
        self.thread.start()
        try:
            self.tree = self.run(self._start())
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.run(self._stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(START_SECONDS)
            self.loop.close()

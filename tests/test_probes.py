"""/healthz and /readyz, and a drain: SIGTERM (here: the stop event) turns /readyz to 503,
closes the port and lets the request in flight finish before the app stops, whose background
loops end after their round in progress."""

from __future__ import annotations

import asyncio
import dataclasses
from functools import partial
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from gateway.app import create_app
from gateway.events.relay import Moved
from gateway.keys import EVENT_RELAY, READINESS, STORE
from gateway.settings import Settings
from gateway.store import Store, StoreUnavailable
from gateway.store.embedded import free_loopback_port
from gateway.workers import serve_app

Client = TestClient[Any, Any]


async def _probe(client: Client, path: str) -> tuple[int, dict[str, Any]]:
    response = await client.get(path)
    assert response.headers["Cache-Control"] == "no-store"
    return response.status, await response.json()


async def test_healthz_and_readyz_answer_without_a_login(client: Client) -> None:
    assert await _probe(client, "/healthz") == (200, {"status": "ok"})
    assert await _probe(client, "/readyz") == (200, {"status": "ready"})


async def test_readyz_is_503_while_the_store_does_not_answer(
    client: Client, app: web.Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def unreachable() -> None:
        raise StoreUnavailable()

    monkeypatch.setattr(app[STORE], "ping", unreachable)
    expected = {"status": "unavailable", "reason": "datastore unreachable"}
    assert await _probe(client, "/readyz") == (503, expected)
    assert (await _probe(client, "/healthz"))[0] == 200


async def test_readyz_is_503_before_start_up_finished_and_while_draining(
    client: Client, app: web.Application
) -> None:
    app[READINESS].prepared = False
    assert await _probe(client, "/readyz") == (
        503,
        {"status": "unavailable", "reason": "starting"},
    )
    app[READINESS].prepared, app[READINESS].draining = True, True
    expected = {"status": "unavailable", "reason": "shutting down"}
    assert await _probe(client, "/readyz") == (503, expected)


async def _status(port: int, path: str) -> int:
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{port}{path}") as response:
            return response.status


async def test_a_drain_lets_the_request_in_flight_finish(settings: Settings, store: Store) -> None:
    settings = dataclasses.replace(settings, drain_seconds=0.3, shutdown_grace_seconds=10)
    app = create_app(settings, store)
    port = free_loopback_port()
    stop = asyncio.Event()
    site = partial(web.TCPSite, host="127.0.0.1", port=port)
    serving = asyncio.create_task(serve_app(app, settings, site, "test gateway", stop))
    for _ in range(200):
        try:
            if await _status(port, "/readyz") == 200:
                break
        except aiohttp.ClientConnectionError:
            pass
        await asyncio.sleep(0.05)
    body = b'{"login": "nobody", "password": "not-this-one"}'
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        f"POST /api/admin/login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    )
    writer.write(head.encode() + body[:10])
    await writer.drain()
    await asyncio.sleep(0.1)
    stop.set()
    await asyncio.sleep(0.05)
    assert await _status(port, "/readyz") == 503
    # Past the drain the port is closed; the request already in flight is still served.
    await asyncio.sleep(0.5)
    with pytest.raises(aiohttp.ClientConnectionError):
        await _status(port, "/healthz")
    assert not serving.done()
    writer.write(body[10:])
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), timeout=10)  # Connection: close
    writer.close()
    assert answer.startswith(b"HTTP/1.1 422"), answer[:200]
    assert b"Invalid credentials." in answer
    await asyncio.wait_for(serving, timeout=10)


async def test_shutdown_lets_the_relay_finish_the_round_in_progress(
    settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(settings, store)
    server = TestServer(app)
    await server.start_server()
    relay = app[EVENT_RELAY]
    started, finished = asyncio.Event(), []
    whole_round = relay.relay_round

    async def slow_round() -> Moved:
        started.set()
        await asyncio.sleep(0.3)
        finished.append("round")
        return await whole_round()

    monkeypatch.setattr(relay, "relay_round", slow_round)
    relay.wake()
    await asyncio.wait_for(started.wait(), timeout=5)
    await server.close()
    assert finished == ["round"]

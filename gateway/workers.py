"""Serving: one process, or a supervisor that binds the port once and keeps N workers on it.

Workers share the supervisor's listening socket (inherited, served with `web.SockSite`) rather
than each binding with SO_REUSEPORT: the accept queue outlives a worker that dies, so no queued
connection is reset; a port already in use fails once, in the supervisor, before anything starts
(with SO_REUSEPORT a second gateway of the same user would silently share the port, on a store
of its own). It balances as well: with two bare aiohttp workers on uvloop and 16 keep-alive
connections, the smaller share of requests was 37-49% (8 runs) on one shared socket and 24-49% with
SO_REUSEPORT, which hashes connections onto sockets.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path

from aiohttp import web
from aiohttp.log import access_logger

from gateway.app import create_app, prepare_store
from gateway.app_catalog import init_configured_apps, install_fixture_apps
from gateway.auth.cache import cache_limits
from gateway.auth.tokens import TokenService, shared_secret
from gateway.keys import READINESS, RESOURCES, TOKENS
from gateway.observe.access import access_log_class
from gateway.probes import Readiness
from gateway.provision import bootstrap_master, load_fixtures
from gateway.settings import Settings
from gateway.store.connect import open_store, store_url
from gateway.store.lifeline import die_with_parent

log = logging.getLogger("gateway")
MAX_WORKERS = 64
BACKLOG = 1024
FIRST_RESTART_SECONDS = 0.5
LAST_RESTART_SECONDS = 10.0
# A worker that ran this long before it died is restarted after the first back-off again.
STEADY_SECONDS = 30.0
# What a worker takes to stop beyond its drain and grace: background loops (5 s, app.py) and
# aiohttp's last goodbyes.
STOP_MARGIN_SECONDS = 10.0


def worker_count(text: str) -> int:
    """The --workers value; ValueError (one line) unless a whole number in 1..MAX_WORKERS."""
    count = int(text) if text.strip().isdigit() else 0
    if not 1 <= count <= MAX_WORKERS:
        raise ValueError(f"--workers must be a whole number from 1 to {MAX_WORKERS}, not {text!r}")
    return count


def print_logins(logins: list[dict[str, str]], host: str, port: int) -> None:
    """Show the demo logins and how to use one."""
    if not logins:
        return
    print("\nDemo logins (PUT /v2/user_auth with md5 of 'username:password'):")
    for login in logins:
        print(f"  account {login['account_name']!r}: {login['username']} / {login['password']}")
    first = logins[0]
    pair = f"{first['username']}:{first['password']}"
    body = f'{{"data":{{"credentials":"\'$CREDS\'","account_name":"{first["account_name"]}"}}}}'
    print(
        "\nTry:\n"
        f"  CREDS=$(printf '%s' '{pair}' | md5sum | cut -d' ' -f1)\n"
        f"  curl -s -X PUT http://{host}:{port}/v2/user_auth -d '{body}'\n",
        flush=True,
    )


async def seed_demo(app: web.Application, fixtures: Path, host: str, port: int) -> None:
    """Load the demo fixtures and their apps, then print the demo logins."""
    logins = await load_fixtures(app, fixtures)
    await init_configured_apps(app)
    await install_fixture_apps(app, fixtures)
    print_logins(logins, host, port)


async def serve_app(
    app: web.Application,
    settings: Settings,
    site: Callable[[web.AppRunner], web.BaseSite],
    listening: str,
    stop: asyncio.Event | None = None,
) -> None:
    """Start the app on its site and run until SIGINT, SIGTERM or `stop`; then drain: /readyz
    answers 503 for GATEWAY_DRAIN_MS while requests are still taken, the port closes, requests
    in flight get GATEWAY_SHUTDOWN_GRACE_SECONDS to finish, then the background loops stop."""
    runner = web.AppRunner(
        app,
        access_log=access_logger if settings.access_log else None,
        access_log_class=access_log_class(settings),
        # The requests in flight had their grace (finish_in_flight): what is left is idle.
        shutdown_timeout=1.0,
    )
    await runner.setup()
    await site(runner).start()
    # What start-up built lives as long as the process: keep it out of every collection.
    # A page of 50 users then costs a quarter less CPU (measured with a 200k-object heap).
    gc.freeze()
    log.info("%s", listening)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
        app[READINESS].draining = True
        if settings.drain_seconds:
            log.info("draining: /readyz answers 503 for %.1f s", settings.drain_seconds)
            await asyncio.sleep(settings.drain_seconds)
    finally:
        app[READINESS].draining = True
        await finish_in_flight(runner, app[READINESS], settings.shutdown_grace_seconds)
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


async def finish_in_flight(runner: web.AppRunner, readiness: Readiness, grace: float) -> None:
    """Close the port, give the requests in flight `grace` seconds, then stop the app.

    aiohttp's own shutdown drops the bytes of a body still arriving, so the wait comes first;
    connections kept alive may still send requests meanwhile."""
    for site in list(runner.sites):
        await site.stop()
    log.info("stopping: %d requests in flight have %.0f s", readiness.in_flight, grace)
    deadline = time.monotonic() + grace
    while readiness.in_flight and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    await runner.cleanup()


async def start_up_writes(settings: Settings, fixtures: Path | None, host: str, port: int) -> None:
    """Everything a start writes, done once before any worker runs (then a no-op in each)."""
    async with open_store(settings) as store:
        app = create_app(settings, store)
        await prepare_store(store, app[RESOURCES])
        secret = await shared_secret(store, settings.secret_key)
        app[TOKENS] = TokenService(store, secret, settings.token_ttl, cache_limits(settings))
        await bootstrap_master(app)
        if fixtures is None:
            await init_configured_apps(app)
        else:
            await seed_demo(app, fixtures, host, port)


class CannotListen(Exception):
    """The supervisor could not bind its address; the message is one line."""


def listen(host: str, port: int) -> socket.socket:
    """The listening socket every worker accepts on."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        return socket.create_server((host, port), family=found[0][0], backlog=BACKLOG)
    except OSError as err:
        raise CannotListen(f"cannot listen on {host}:{port}: {err.strerror or err}") from None


class StoreLost:
    """Called when the embedded store died for good: remember why and stop serving."""

    def __init__(self, stop: asyncio.Event) -> None:
        self.stop = stop
        self.reason: str | None = None

    def __call__(self, reason: str) -> None:
        self.reason = reason
        self.stop.set()

    @property
    def exit_code(self) -> int:
        """1 once the store is lost (the process's supervisor should take over), else 0."""
        return 0 if self.reason is None else 1


async def supervise(
    settings: Settings, host: str, port: int, fixtures: Path | None, count: int
) -> int:
    """Bind, open the store, write the start-up data once, then keep `count` workers serving;
    the exit code."""
    with listen(host, port) as listener:
        port = listener.getsockname()[1]
        stopping = asyncio.Event()
        lost = StoreLost(stopping)
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stopping.set)
        async with store_url(settings, lost) as url:
            await start_up_writes(
                dataclasses.replace(settings, mongo_url=url), fixtures, host, port
            )
            fd = listener.fileno()
            command = [
                *(sys.executable, "-m", "gateway", "serve", "--host", host, "--port", str(port)),
                *("--worker-fd", str(fd), "--worker-of", str(os.getpid())),
            ]
            patience = settings.drain_seconds + settings.shutdown_grace_seconds
            env = {**os.environ, "GATEWAY_MONGO_URL": url}
            pool = Pool(command, env, fd, stopping, patience + STOP_MARGIN_SECONDS)
            log.info("%d workers on http://%s:%d/v2/", count, host, port)
            await pool.run(count)
    return lost.exit_code


class Pool:
    """Keeps workers running, each restarted with a back-off when it dies, until `stopping`."""

    def __init__(
        self,
        command: list[str],
        env: dict[str, str],
        listener: int,
        stopping: asyncio.Event,
        stop_seconds: float,
    ) -> None:
        self.command = command
        self.stop_seconds = stop_seconds
        self.env = env
        self.listener = listener
        self.stopping = stopping
        self.running: dict[int, asyncio.subprocess.Process] = {}

    async def run(self, count: int) -> None:
        """Run `count` workers until `stopping`; then stop each (killed after stop_seconds)."""
        keepers = [asyncio.create_task(self._keep(slot)) for slot in range(1, count + 1)]
        await self.stopping.wait()
        for process in self.running.values():
            _signal(process, signal.SIGTERM)
        _, late = await asyncio.wait(keepers, timeout=self.stop_seconds)
        for process in self.running.values():
            log.warning(
                "worker pid %d did not stop in %.0f s: killed", process.pid, self.stop_seconds
            )
            _signal(process, signal.SIGKILL)
        if late:
            await asyncio.wait(late)
        log.info("workers stopped")

    async def _keep(self, slot: int) -> None:
        delay = FIRST_RESTART_SECONDS
        while not self.stopping.is_set():
            started = time.monotonic()
            try:
                why = await self._run_one(slot)
            except OSError as err:
                why = f"could not start ({err})"
            if self.stopping.is_set():
                return
            if time.monotonic() - started >= STEADY_SECONDS:
                delay = FIRST_RESTART_SECONDS
            log.warning("worker %d %s; starting another in %.1f s", slot, why, delay)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self.stopping.wait()
            delay = min(delay * 2, LAST_RESTART_SECONDS)

    async def _run_one(self, slot: int) -> str:
        """Start a worker in `slot` and wait for its end; how it ended."""
        process = await asyncio.create_subprocess_exec(
            *self.command,
            pass_fds=(self.listener,),
            env=self.env,
            stdin=asyncio.subprocess.DEVNULL,
        )
        self.running[slot] = process
        if self.stopping.is_set():
            _signal(process, signal.SIGTERM)
        log.info("worker %d started (pid %d)", slot, process.pid)
        try:
            code = await process.wait()
        finally:
            del self.running[slot]
        return f"(pid {process.pid}) {_ending(code)}"


def _ending(code: int) -> str:
    if code >= 0:
        return f"exited with code {code}"
    try:
        return f"was killed by {signal.Signals(-code).name}"
    except ValueError:
        return f"was killed by signal {-code}"


def _signal(process: asyncio.subprocess.Process, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signum)


async def serve_worker(settings: Settings, host: str, port: int, fd: int, parent: int) -> None:
    """One worker: a whole gateway on the supervisor's socket and store."""
    die_with_parent(parent)
    listener = socket.socket(fileno=fd)
    async with open_store(settings) as store:
        app = create_app(settings, store)
        await serve_app(
            app,
            settings,
            lambda runner: web.SockSite(runner, listener),
            f"worker serving http://{host}:{port}/v2/",
        )

"""Starts, supervises and stops the embedded nx-27017 server, a child process on loopback.

The child locks its data folder (a second store on it fails at start, with the reason) and
ends with the gateway. When it dies, it is started again on the same port, so the driver
reconnects by itself; requests in the gap fail within the driver's server selection timeout.
After `restarts` starts in a row that failed, or at once for an in-memory store (its data died
with it), `on_fatal` is called so that the gateway exits and its own supervisor takes over.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pymongo import AsyncMongoClient

from gateway.store.child import LOCKED, MEMORY

log = logging.getLogger(__name__)
FIRST_RESTART_SECONDS = 0.25
LAST_RESTART_SECONDS = 8.0
# A store that served this long before it died starts again after the first back-off.
STEADY_SECONDS = 30.0


class StoreLocked(RuntimeError):
    """Another store holds the data folder; the message is one line."""


def free_loopback_port() -> int:
    """Ask the kernel for a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class EmbeddedServer:
    """One nx-27017 child process; `url` is valid between start() and stop()."""

    def __init__(
        self,
        data_dir: str,
        *,
        restarts: int = 5,
        on_fatal: Callable[[str], None] | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.url = ""
        self.port = 0
        self.restarts = restarts
        self.on_fatal = on_fatal
        self.process: asyncio.subprocess.Process | None = None
        self._watch: asyncio.Task[None] | None = None
        self._stopping = False
        self._scratch = tempfile.TemporaryDirectory(prefix="gateway-store-")

    async def start(self, attempts: int = 3) -> str:
        """Start the server, wait until it answers, watch it, and return its MongoDB URL."""
        for _ in range(attempts):
            self.port = free_loopback_port()
            if await self._launch():
                self.url = f"mongodb://127.0.0.1:{self.port}/?directConnection=true"
                where = "memory (nothing is kept)" if self.data_dir == MEMORY else self.data_dir
                log.info("embedded store on 127.0.0.1:%d, data in %s", self.port, where)
                self._watch = asyncio.create_task(self._supervise(), name="embedded-store")
                return self.url
        raise RuntimeError("the embedded store did not start")

    async def _launch(self) -> bool:
        """Spawn the child on `self.port` and wait until it answers; StoreLocked when the
        folder is another store's."""
        self.process = await self._spawn(self.port)
        url = f"mongodb://127.0.0.1:{self.port}/?directConnection=true"
        if await _answers(url, self.process):
            return True
        await self._end_child()
        if self.process is not None and self.process.returncode == LOCKED:
            raise StoreLocked(self._reason())
        return False

    def _reason(self) -> str:
        errors = Path(self._scratch.name) / "stderr"
        lines = errors.read_text(errors="replace").strip().splitlines() if errors.exists() else []
        return lines[-1] if lines else f"the data folder {self.data_dir} is in use"

    async def _spawn(self, port: int) -> asyncio.subprocess.Process:
        scratch = Path(self._scratch.name)
        data = self.data_dir
        if data != MEMORY:
            Path(data).mkdir(parents=True, exist_ok=True)
            data = os.path.abspath(data)
        log_file = scratch / "nx-27017.log" if data == MEMORY else Path(data) / "nx-27017.log"
        store_args = [
            *("--data-dir", data, "--host", "127.0.0.1", "--port", str(port)),
            *("--pid-file", str(scratch / f"nx-{port}.pid"), "--log-file", str(log_file)),
        ]
        with (scratch / "stderr").open("wb") as errors:
            # Its own session: a Ctrl+C in the terminal reaches the gateway, which stops it.
            return await asyncio.create_subprocess_exec(
                *(sys.executable, "-m", "gateway.store.child", "--parent", str(os.getpid())),
                *("--", *store_args),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=errors,
                start_new_session=True,
            )

    async def _supervise(self) -> None:
        """Start the child again whenever it dies, until stop() or too many failures."""
        delay, failures = FIRST_RESTART_SECONDS, 0
        started = time.monotonic()
        while not self._stopping:
            process = self.process
            assert process is not None
            code = await process.wait()
            if self._stopping:
                return
            if time.monotonic() - started >= STEADY_SECONDS:
                delay, failures = FIRST_RESTART_SECONDS, 0
            log.error("embedded store (pid %d) ended with code %s", process.pid, code)
            if self.data_dir == MEMORY:
                self._fatal("the in-memory embedded store ended; its data is gone")
                return
            while not self._stopping:
                if failures >= self.restarts:
                    self._fatal(f"the embedded store did not start again after {failures} tries")
                    return
                log.warning("starting the embedded store again in %.2f s", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, LAST_RESTART_SECONDS)
                failures += 1
                try:
                    if await self._launch():
                        log.warning("embedded store serving again on port %d", self.port)
                        started = time.monotonic()
                        break
                except (StoreLocked, OSError) as err:
                    log.error("embedded store did not start: %s", err)

    def _fatal(self, reason: str) -> None:
        log.critical("%s", reason)
        if self.on_fatal is not None:
            self.on_fatal(reason)

    async def _end_child(self) -> None:
        process = self.process
        if process is None or process.returncode is not None:
            return
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), timeout=5)
        except TimeoutError:
            process.kill()
            await process.wait()

    async def stop(self) -> None:
        """Stop watching, then stop the child process and wait for it."""
        self._stopping = True
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
            self._watch = None
        await self._end_child()
        self.process = None

    def cleanup(self) -> None:
        """Remove the scratch folder (pid file, in-memory log)."""
        self._scratch.cleanup()


async def _answers(url: str, process: asyncio.subprocess.Process) -> bool:
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(
        url, serverSelectionTimeoutMS=200
    )
    try:
        for _ in range(100):
            if process.returncode is not None:
                return False
            try:
                await client.admin.command("ping")
                return True
            except Exception:
                await asyncio.sleep(0.05)
        return False
    finally:
        await client.close()

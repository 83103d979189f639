"""Starts and stops the embedded nx-27017 server as a child process on loopback."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import sys
import tempfile
from pathlib import Path

from pymongo import AsyncMongoClient

log = logging.getLogger(__name__)

MEMORY = "memory"


def free_loopback_port() -> int:
    """Ask the kernel for a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class EmbeddedServer:
    """One nx-27017 child process; `url` is valid between start() and stop()."""

    def __init__(self, data_dir: str) -> None:
        self.data_dir = data_dir
        self.url = ""
        self._process: asyncio.subprocess.Process | None = None
        self._scratch = tempfile.TemporaryDirectory(prefix="gateway-store-")

    async def start(self, attempts: int = 3) -> str:
        """Start the server, wait until it answers, and return its MongoDB URL."""
        for _ in range(attempts):
            port = free_loopback_port()
            self._process = await self._spawn(port)
            url = f"mongodb://127.0.0.1:{port}/?directConnection=true"
            if await _answers(url, self._process):
                self.url = url
                where = "memory (nothing is kept)" if self.data_dir == MEMORY else self.data_dir
                log.info("embedded store on 127.0.0.1:%d, data in %s", port, where)
                return url
            await self.stop()
        raise RuntimeError("the embedded store did not start")

    async def _spawn(self, port: int) -> asyncio.subprocess.Process:
        scratch = Path(self._scratch.name)
        data = self.data_dir
        if data != MEMORY:
            Path(data).mkdir(parents=True, exist_ok=True)
            data = os.path.abspath(data)
        log_file = scratch / "nx-27017.log" if data == MEMORY else Path(data) / "nx-27017.log"
        args = [
            "-c",
            "from nx_27017.nx_27017 import main; main()",
            "--data-dir",
            data,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--pid-file",
            str(scratch / f"nx-{port}.pid"),
            "--log-file",
            str(log_file),
        ]
        return await asyncio.create_subprocess_exec(
            sys.executable,
            *args,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )

    async def stop(self) -> None:
        """Stop the child process and wait for it."""
        process, self._process = self._process, None
        if process is None or process.returncode is not None:
            return
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), timeout=5)
        except TimeoutError:
            process.kill()
            await process.wait()

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

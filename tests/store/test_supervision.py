"""The embedded store's supervision: restarts that lose no acknowledged write, a bounded number
of failed restarts, the data folder's lock, the child ending with its parent, and `serve`."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from pymongo.errors import PyMongoError

from gateway.settings import Settings
from gateway.store import Store, StoreUnavailable
from gateway.store.connect import connect
from gateway.store.embedded import EmbeddedServer, StoreLocked, free_loopback_port
from tests.conftest import alive

WAIT_SECONDS = 10.0


class Servers:
    """The embedded servers a test made, each with the reasons its on_fatal was given."""

    def __init__(self) -> None:
        self.made: list[EmbeddedServer] = []

    def new(self, data_dir: Path | str, restarts: int = 5) -> tuple[EmbeddedServer, list[str]]:
        """A server (not started) whose on_fatal records its reason."""
        reasons: list[str] = []
        server = EmbeddedServer(str(data_dir), restarts=restarts, on_fatal=reasons.append)
        self.made.append(server)
        return server, reasons


@pytest.fixture
async def servers() -> AsyncIterator[Servers]:
    """Every server made through it is stopped and cleaned up afterwards."""
    made = Servers()
    yield made
    for server in made.made:
        await server.stop()
        server.cleanup()


async def until(condition: Callable[[], bool], what: str, seconds: float = WAIT_SECONDS) -> None:
    """Poll `condition()` without blocking the loop; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)


def wait_for(condition: Callable[[], bool], what: str, seconds: float = WAIT_SECONDS) -> None:
    """Poll `condition()`; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def pid_of(server: EmbeddedServer) -> int:
    """The pid of the server's current child."""
    assert server.process is not None
    return server.process.pid


class Writer:
    """Inserts documents with increasing ids, one at a time, keeping the ids acknowledged."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.acked: list[int] = []
        self.failures = 0
        self.done = False

    async def run(self) -> None:
        """Write until `done`; a write that failed is counted, never retried."""
        next_id = 0
        while not self.done:
            next_id += 1
            try:
                await self.store.insert("writes", {"id": f"w{next_id:06d}", "n": next_id})
            except (StoreUnavailable, PyMongoError):
                self.failures += 1
                await asyncio.sleep(0.01)
                continue
            self.acked.append(next_id)


async def test_a_killed_store_restarts_on_its_port_and_keeps_every_acknowledged_write(
    tmp_path: Path, servers: Servers
) -> None:
    server, reasons = servers.new(tmp_path / "data")
    url = await server.start()
    port, first_pid = server.port, pid_of(server)
    store = Store(connect(url, Settings()), "gateway")
    writer = Writer(store)
    writing = asyncio.create_task(writer.run())
    try:
        await until(lambda: len(writer.acked) >= 100, "100 acknowledged writes")
        os.kill(first_pid, signal.SIGKILL)
        killed_at = len(writer.acked)
        await until(lambda: pid_of(server) != first_pid, "a new store process")
        await until(lambda: len(writer.acked) >= killed_at + 100, "100 writes after the restart")
    finally:
        writer.done = True
        await writing
    try:
        ids = [f"w{n:06d}" for n in writer.acked]
        found = await store.find("writes", {"id": {"$in": ids}})
    finally:
        await store.close()
    assert sorted(doc["id"] for doc in found) == ids
    assert server.port == port and not alive(first_pid) and alive(pid_of(server))
    assert reasons == []


async def test_after_the_allowed_failed_restarts_on_fatal_names_the_tries(
    tmp_path: Path, servers: Servers, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, reasons = servers.new(tmp_path / "data", restarts=2)
    await server.start()
    first_pid = pid_of(server)
    spawned: list[int] = []

    async def failing_spawn(port: int) -> asyncio.subprocess.Process:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", "import sys; sys.exit(3)"
        )
        spawned.append(process.pid)
        return process

    monkeypatch.setattr(server, "_spawn", failing_spawn)
    os.kill(first_pid, signal.SIGKILL)
    await until(lambda: bool(reasons), "on_fatal")
    assert len(reasons) == 1 and "2 tries" in reasons[0]
    assert len(spawned) == 2
    await asyncio.sleep(0.6)
    assert len(spawned) == 2 and len(reasons) == 1


async def test_an_in_memory_store_that_dies_is_fatal_at_once(servers: Servers) -> None:
    server, reasons = servers.new("memory")
    await server.start()
    first = server.process
    assert first is not None
    os.kill(first.pid, signal.SIGKILL)
    await until(lambda: bool(reasons), "on_fatal", seconds=2)
    assert len(reasons) == 1 and "in-memory" in reasons[0]
    await asyncio.sleep(0.4)
    assert server.process is first and first.returncode is not None


async def test_a_second_store_on_a_folder_is_refused_until_the_first_stops(
    tmp_path: Path, servers: Servers
) -> None:
    data = tmp_path / "data"
    first, _ = servers.new(data)
    await first.start()
    second, _ = servers.new(data)
    with pytest.raises(StoreLocked) as refused:
        await second.start()
    message = str(refused.value)
    assert "\n" not in message
    assert str(data) in message and f"pid {pid_of(first)}" in message
    assert second.process is not None and second.process.returncode is not None

    await first.stop()
    third, _ = servers.new(data)
    url = await third.start()
    store = Store(connect(url, Settings()), "gateway")
    try:
        await store.ping()
    finally:
        await store.close()


ORPHANING = textwrap.dedent(
    """
    import asyncio, sys
    from gateway.store.embedded import EmbeddedServer

    async def main() -> None:
        server = EmbeddedServer(sys.argv[1])
        await server.start()
        print(server.process.pid, flush=True)
        await asyncio.sleep(60)

    asyncio.run(main())
    """
)


async def test_the_store_ends_when_its_gateway_is_killed_and_frees_the_folder(
    tmp_path: Path, servers: Servers
) -> None:
    data = tmp_path / "data"
    parent = subprocess.Popen(
        [sys.executable, "-c", ORPHANING, str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert parent.stdout is not None
        line = await asyncio.wait_for(asyncio.to_thread(parent.stdout.readline), WAIT_SECONDS)
        child = int(line)
        assert alive(child)
        parent.kill()
        parent.wait()
        await until(lambda: not alive(child), "the orphaned store to end", seconds=5)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(parent.pid, signal.SIGKILL)
        parent.wait()
        if parent.stdout is not None:
            parent.stdout.close()
    server, _ = servers.new(data)
    await server.start()
    assert alive(pid_of(server))


# `python -m gateway serve` as a process of its own.


def gateway_env(data: Path, **extra: str) -> dict[str, str]:
    """The environment of a gateway on the embedded store in `data`."""
    env = {**os.environ, "GATEWAY_DATA_DIR": str(data), "GATEWAY_BCRYPT_ROUNDS": "4", **extra}
    env.pop("GATEWAY_MONGO_URL", None)
    return env


def get(port: int, path: str) -> tuple[int, float]:
    """One GET on a new connection: its status and how long it took."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            status = int(response.status)
    except urllib.error.HTTPError as err:
        with err:
            status = err.code
    except OSError:
        status = 0
    return status, time.monotonic() - started


@contextlib.contextmanager
def serving(env: dict[str, str], output: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """A `serve` process on a free port, answering /healthz; killed with its group afterwards."""
    port = free_loopback_port()
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "gateway", "serve", "--port", str(port)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    try:
        wait_for(lambda: get(port, "/healthz")[0] == 200, "/healthz", seconds=20)
        yield process, port
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def store_child_of(gateway: int) -> int:
    """The pid of the embedded store that gateway `gateway` started."""
    marker = f"gateway.store.child\0--parent\0{gateway}\0".encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if marker in (entry / "cmdline").read_bytes() and alive(int(entry.name)):
                    return int(entry.name)
    raise AssertionError(f"no store child of {gateway}")


def test_a_second_serve_on_the_folder_is_refused_and_a_killed_store_shows_in_readyz(
    tmp_path: Path,
) -> None:
    env = gateway_env(tmp_path / "data")
    with serving(env, tmp_path / "gateway.log") as (gateway, port):
        child = store_child_of(gateway.pid)
        second = subprocess.run(
            [sys.executable, "-m", "gateway", "serve", "--port", str(free_loopback_port())],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert second.returncode == 1
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1, second.stderr
        assert "in use" in lines[0] and f"pid {child}" in lines[0]
        assert get(port, "/readyz")[0] == 200

        os.kill(child, signal.SIGKILL)
        answers = [get(port, "/readyz")]
        while answers[-1][0] != 200:
            assert len(answers) < 50, answers
            answers.append(get(port, "/readyz"))
        assert 503 in [status for status, _ in answers], answers
        assert max(took for _, took in answers) < 3, answers
        assert store_child_of(gateway.pid) != child
        assert gateway.poll() is None


def test_a_store_that_does_not_come_back_ends_serve_with_exit_1(tmp_path: Path) -> None:
    env = gateway_env(tmp_path / "data", GATEWAY_STORE_RESTARTS="0")
    output = tmp_path / "gateway.log"
    with serving(env, output) as (gateway, _):
        os.kill(store_child_of(gateway.pid), signal.SIGKILL)
        try:
            code = gateway.wait(timeout=WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail(f"serve still running:\n{output.read_text()}")
        assert code == 1, output.read_text()
    assert "did not start again after 0 tries" in output.read_text()


def test_connect_gives_the_client_the_store_timeouts() -> None:
    settings = Settings(
        store_selection_timeout_ms=1500,
        store_connect_timeout_ms=700,
        store_socket_timeout_ms=12_000,
    )
    client = connect(f"mongodb://127.0.0.1:{free_loopback_port()}/", settings)
    options = client.options
    assert options.server_selection_timeout == 1.5
    assert options.pool_options.connect_timeout == 0.7
    assert options.pool_options.socket_timeout == 12.0
    defaults = connect(f"mongodb://127.0.0.1:{free_loopback_port()}/").options
    assert defaults.server_selection_timeout == 1.0
    assert defaults.pool_options.connect_timeout == 1.0
    assert defaults.pool_options.socket_timeout == 10.0

"""Start and stop the gateway and the bare server pinned to core 0; CPU and memory from /proc."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
SERVER_CORE = "0"
CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    """One pinned server process and where it listens."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def pid(self) -> int:
        """The server's pid (taskset execs, so it is the Popen pid)."""
        return self.process.pid

    @property
    def url(self) -> str:
        """Base URL, always on loopback."""
        return f"http://{HOST}:{self.port}"


@dataclass(frozen=True)
class Memory:
    """Resident memory now and its high-water mark, in KiB."""

    rss_kib: int
    hwm_kib: int


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (all its threads), in seconds."""
    raw = Path(f"/proc/{pid}/stat").read_text()
    fields = raw[raw.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def core_busy(core: str = SERVER_CORE) -> float:
    """Seconds a core has spent busy (user, nice, system, irq, softirq, steal), from /proc/stat."""
    for line in Path("/proc/stat").read_text().splitlines():
        name, *ticks = line.split()
        if name == f"cpu{core}":
            return sum(int(ticks[i]) for i in (0, 1, 2, 5, 6, 7)) / CLK_TCK
    return 0.0


def memory(pid: int) -> Memory:
    """VmRSS and VmHWM from /proc/<pid>/status."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return Memory(values.get("VmRSS", 0), values.get("VmHWM", 0))


def children(pid: int) -> list[int]:
    """Direct children of a process, from /proc/<pid>/task/*/children."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def cmdline(pid: int) -> str:
    """A process's command line, spaces between arguments; empty when it is gone."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def start(name: str, module: str, args: list[str], env: dict[str, str], logs: Path) -> Server:
    """Start `python -m module args` pinned to the server core, logging to a file."""
    port = free_port()
    log = logs / f"{name}.log"
    command = ["taskset", "-c", SERVER_CORE, sys.executable, "-m", module]
    command += [*args, "--host", HOST, "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(name, process, port, log)
    try:
        wait_until_answers(server)
    except BaseException:
        stop(server)
        raise
    return server


def wait_until_answers(server: Server, timeout: float = 60.0) -> None:
    """Poll until any HTTP reply comes back; fail if the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}")
        connection = http.client.HTTPConnection(HOST, server.port, timeout=2)
        try:
            connection.request("GET", "/")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
        finally:
            connection.close()
    raise RuntimeError(f"{server.name} did not answer within {timeout:.0f} s")


def store_child(gateway: Server, timeout: float = 30.0) -> int:
    """The pid of the embedded store (nx-27017 under gateway/store/child.py's launcher, which
    runs it in its own process) the gateway started as its child."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid in children(gateway.pid):
            if "gateway.store.child" in cmdline(pid):
                return pid
        time.sleep(0.1)
    raise RuntimeError("no nx-27017 child process under the gateway")


def affinity(pid: int) -> str:
    """The cores a process may run on, as a comma list."""
    return ",".join(str(core) for core in sorted(os.sched_getaffinity(pid)))


def stop(server: Server, timeout: float = 15.0) -> None:
    """SIGTERM, wait, SIGKILL on timeout."""
    process = server.process
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


def stop_orphan(pid: int, marker: str, timeout: float = 10.0) -> None:
    """End a process left behind (the store after a killed gateway), if it still is ours."""
    if marker not in cmdline(pid):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if marker not in cmdline(pid) or _zombie(pid):
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)


def _zombie(pid: int) -> bool:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return raw[raw.rindex(")") + 2] == "Z"

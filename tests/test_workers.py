"""`serve --workers N`: worker processes on one port and one embedded store, supervised."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from gateway.__main__ import main
from gateway.store.embedded import free_loopback_port
from tests.conftest import alive, md5_credentials

STARTED = re.compile(r"worker (\d+) started \(pid (\d+)\)")
USERNAME, PASSWORD, ACCOUNT = "root", "pw-workers", "Workers Test"
WAIT_SECONDS = 20.0


@dataclass
class Gateway:
    """A `serve --workers 2` process tree, its port and its combined output."""

    process: subprocess.Popen[bytes]
    port: int
    output: Path

    def log(self) -> str:
        """Everything the supervisor and its workers logged so far."""
        return self.output.read_text()

    def workers(self) -> dict[int, int]:
        """The latest pid started in each worker slot."""
        return {int(slot): int(pid) for slot, pid in STARTED.findall(self.log())}

    def serving(self, pid: int) -> bool:
        """True once worker `pid` accepts on the port."""
        return f"[{pid}] gateway worker serving" in self.log()

    def request(self, method: str, path: str, body: Any = None, token: str = "") -> Any:
        """One request on a new connection: (status, JSON body)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=data, method=method
        )
        if token:
            request.add_header("X-Auth-Token", token)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as err:
            with err:
                return err.code, json.loads(err.read())

    def login(self) -> str:
        """The admin's token."""
        credentials = {"credentials": md5_credentials(USERNAME, PASSWORD), "account_name": ACCOUNT}
        status, body = self.request("PUT", "/v2/user_auth", {"data": credentials})
        assert status == 201, body
        return str(body["auth_token"])


def wait_for(condition: Callable[[], bool], what: str) -> None:
    """Poll until `condition()` holds; fail after WAIT_SECONDS."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def children_of(pid: int) -> set[int]:
    """Every live process whose parent is `pid`."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                fields = stat[stat.rindex(")") + 2 :].split()
                if int(fields[1]) == pid and fields[0] != "Z":
                    found.add(int(entry.name))
    return found


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    """`serve --workers 2` on a fresh embedded store, for this module's tests in their order (the
    last one stops it); its whole process group goes afterwards, whatever happened."""
    tmp_path = tmp_path_factory.mktemp("workers")
    env = {
        **os.environ,
        "GATEWAY_DATA_DIR": str(tmp_path / "data"),
        "GATEWAY_BCRYPT_ROUNDS": "4",
        "GATEWAY_ADMIN_ACCOUNT": ACCOUNT,
        "GATEWAY_ADMIN_USERNAME": USERNAME,
        "GATEWAY_ADMIN_PASSWORD": PASSWORD,
    }
    env.pop("GATEWAY_MONGO_URL", None)
    port = free_loopback_port()
    output = tmp_path / "gateway.log"
    command = [sys.executable, "-m", "gateway", "serve", "--port", str(port), "--workers", "2"]
    with output.open("wb") as sink:
        process = subprocess.Popen(
            command, stdout=sink, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    running = Gateway(process, port, output)
    try:
        wait_for(lambda: len(running.workers()) == 2, "two workers")
        wait_for(lambda: all(map(running.serving, running.workers().values())), "them serving")
        yield running
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_two_workers_share_one_store_and_a_killed_one_is_replaced(gateway: Gateway) -> None:
    token = gateway.login()
    for _ in range(6):
        status, body = gateway.request("GET", "/v2/token_auth", token=token)
        assert status == 200 and body["data"]["account_name"] == ACCOUNT
    log = gateway.log()
    assert log.count("created master account") == 1
    assert log.count("embedded store on") == 1
    first = gateway.workers()
    assert len(set(first.values())) == 2
    assert set(first.values()) <= children_of(gateway.process.pid)

    os.kill(first[1], signal.SIGKILL)
    for _ in range(6):
        status, _ = gateway.request("GET", "/v2/token_auth", token=token)
        assert status == 200
    wait_for(lambda: gateway.workers()[1] != first[1], "a replacement")
    replacement = gateway.workers()[1]
    wait_for(lambda: gateway.serving(replacement), "the replacement serving")
    assert "was killed by SIGKILL; starting another" in gateway.log()
    assert gateway.workers()[2] == first[2] and alive(replacement) and not alive(first[1])
    status, _ = gateway.request("GET", "/v2/token_auth", token=token)
    assert status == 200


def test_sigterm_stops_the_workers_then_the_store(gateway: Gateway) -> None:
    children = children_of(gateway.process.pid)
    assert set(gateway.workers().values()) < children and len(children) == 3
    gateway.process.send_signal(signal.SIGTERM)
    assert gateway.process.wait(timeout=WAIT_SECONDS) == 0
    assert not [pid for pid in children if alive(pid)]
    assert "workers stopped" in gateway.log()


@pytest.mark.parametrize("value", ["0", "65", "two", "-1"])
def test_bad_worker_count_is_a_one_line_error(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--workers", value]) == 2
    err = capsys.readouterr().err
    assert "--workers" in err and err.strip().count("\n") == 0


def test_a_taken_port_is_a_one_line_error_before_the_store_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("GATEWAY_MONGO_URL", raising=False)
    monkeypatch.setenv("GATEWAY_DATA_DIR", str(tmp_path / "data"))
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = str(taken.getsockname()[1])
        assert main(["serve", "--workers", "2", "--port", port]) == 1
    err = capsys.readouterr().err
    assert "cannot listen on 127.0.0.1" in err and err.strip().count("\n") == 0
    assert not (tmp_path / "data").exists()

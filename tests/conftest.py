"""Shared fixtures: one embedded store per session, a fresh database per test."""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from gateway.app import BACKGROUND_TASKS, create_app
from gateway.provision import create_account, create_master, create_user
from gateway.settings import Settings
from gateway.store import Store
from gateway.store.connect import connect
from gateway.store.embedded import free_loopback_port

MASTER_PASSWORD = "master-secret"


def in_background() -> bool:
    """True inside the gateway's background loops (relay, fan-out, delivery), not a request."""
    task = asyncio.current_task()
    return task is not None and task.get_name() in BACKGROUND_TASKS


@pytest.fixture(scope="session")
def mongo_url() -> Iterator[str]:
    """GATEWAY_MONGO_URL when set, else one nx-27017 server in memory for the session."""
    configured = os.environ.get("GATEWAY_MONGO_URL")
    if configured:
        yield configured
        return
    scratch = tempfile.mkdtemp(prefix="gateway-tests-")
    port = free_loopback_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from nx_27017.nx_27017 import main; main()",
            "--data-dir",
            "memory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--pid-file",
            str(Path(scratch) / "nx.pid"),
            "--log-file",
            str(Path(scratch) / "nx.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    import socket

    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"mongodb://127.0.0.1:{port}/?directConnection=true"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def settings() -> Settings:
    """Test settings: fast bcrypt, small limits where tests probe them, request buckets no
    test run fills (tests/resources/test_rate_limits.py sets its own)."""
    return Settings(
        bcrypt_rounds=4,
        realm_suffix="sip.test",
        page_size_max=100,
        unpaginated_max=200,
        rate_address_capacity=1_000_000,
        rate_address_per_second=100_000,
        rate_account_capacity=1_000_000,
        rate_account_per_second=100_000,
    )


@pytest.fixture
async def store(mongo_url: str) -> AsyncIterator[Store]:
    """A store on a database of its own, through the gateway's own client settings."""
    client = connect(mongo_url)
    name = f"t{secrets.token_hex(6)}"
    yield Store(client, name)
    await client.drop_database(name)
    await client.close()


@pytest.fixture
async def app(settings: Settings, store: Store) -> web.Application:
    """The gateway application (not yet started)."""
    return create_app(settings, store)


@pytest.fixture
async def client(app: web.Application, aiohttp_client: Callable[..., Any]) -> TestClient[Any, Any]:
    """An HTTP client for the started application (made after the store, so the app stops
    before the store closes)."""
    result: TestClient[Any, Any] = await aiohttp_client(app)
    return result


def md5_credentials(username: str, password: str) -> str:
    """Kazoo's login hash."""
    return hashlib.md5(f"{username.lower()}:{password}".encode()).hexdigest()


@dataclass
class Tree:
    """master -> reseller -> (customer, other customer), each with an admin user."""

    master: dict[str, Any]
    reseller: dict[str, Any]
    customer: dict[str, Any]
    other: dict[str, Any]
    users: dict[str, dict[str, Any]]


@pytest.fixture
async def tree(client: TestClient[Any, Any], app: web.Application) -> Tree:
    """A small account tree created through the write path."""
    return await make_tree(app)


async def make_tree(app: web.Application) -> Tree:
    """master -> reseller -> (customer, other), each with an admin user."""
    master, master_user = await create_master(app, "Master", "admin", MASTER_PASSWORD)
    reseller = await create_account(app, {"name": "Reseller", "reseller": True}, master["id"])
    customer = await create_account(app, {"name": "Customer One"}, reseller["id"])
    other = await create_account(app, {"name": "Customer Two"}, reseller["id"])
    users = {"master": master_user}
    for label, account in (("reseller", reseller), ("customer", customer), ("other", other)):
        users[label] = await create_user(
            app,
            account["id"],
            {
                "first_name": label.title(),
                "last_name": "Admin",
                "username": f"{label}-admin",
                "password": f"{label}-secret",
                "priv_level": "admin",
            },
        )
    return Tree(master, reseller, customer, other, users)


async def login(
    client: TestClient[Any, Any], username: str, password: str, account_name: str
) -> str:
    """Log in with user_auth and return the token."""
    response = await client.put(
        "/v2/user_auth",
        json={
            "data": {
                "credentials": md5_credentials(username, password),
                "account_name": account_name,
            }
        },
    )
    body = await response.json()
    assert response.status == 201, body
    return str(body["auth_token"])


@pytest.fixture
def auth_headers(client: TestClient[Any, Any], tree: Tree) -> Callable[[str], Any]:
    """`await auth_headers("customer")` -> headers with a token for that tree level."""
    names = {
        "master": "Master",
        "reseller": "Reseller",
        "customer": "Customer One",
        "other": "Customer Two",
    }

    async def make(level: str) -> dict[str, str]:
        token = await login(
            client,
            f"{level}-admin" if level != "master" else "admin",
            f"{level}-secret" if level != "master" else MASTER_PASSWORD,
            names[level],
        )
        return {"X-Auth-Token": token}

    return make


__all__ = ["asyncio", "Tree", "login", "make_tree", "md5_credentials"]


def alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"

"""Seed accounts and users through the HTTP API with a bounded number of requests in flight."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import aiohttp

CONCURRENCY = 16
PAGE = 50
LOGIN_USER = "bench-login"
SIZES = {"bench-1k": 1_000, "bench-10k": 10_000, "bench-writes": 0}
DEEP_PAGES = {"bench-1k": 10, "bench-10k": 100}
KEPT_IDS = {"bench-1k": 1_000, "bench-10k": 10, "bench-writes": 0}


@dataclass
class Seeded:
    """What the cases need: token, account ids, some user ids, deep-page keys, the login."""

    token: str
    accounts: dict[str, str] = field(default_factory=dict)
    user_ids: dict[str, list[str]] = field(default_factory=dict)
    deep_keys: dict[str, str] = field(default_factory=dict)
    login: dict[str, Any] = field(default_factory=dict)
    rates: dict[str, float] = field(default_factory=dict)


def credentials(username: str, password: str) -> str:
    """Kazoo's md5 credentials: md5("username:password") in hex."""
    return hashlib.md5(f"{username}:{password}".encode()).hexdigest()


def login_body(username: str, password: str, account_name: str) -> dict[str, Any]:
    """The PUT /v2/user_auth body."""
    return {"data": {"credentials": credentials(username, password), "account_name": account_name}}


class Api:
    """A small JSON client for the gateway; every call must answer the expected status."""

    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        self.session, self.base, self.token = session, base, ""

    async def call(self, method: str, path: str, body: Any = None, expect: int = 200) -> Any:
        """Send one request; return the envelope or raise with the reply."""
        headers = {"X-Auth-Token": self.token} if self.token else {}
        async with self.session.request(
            method, self.base + path, json=body, headers=headers
        ) as reply:
            envelope = await reply.json(content_type=None)
            if reply.status != expect:
                raise RuntimeError(f"{method} {path}: {reply.status} {envelope}")
            return envelope


async def create_users(api: Api, account_id: str, count: int, tag: str) -> list[str]:
    """Create `count` users with CONCURRENCY workers; their ids in creation order."""
    ids: list[str] = [""] * count
    queue = iter(range(count))

    async def worker() -> None:
        for n in queue:
            body = {"data": {"first_name": f"{tag}{n:05d}", "last_name": "Bench"}}
            reply = await api.call("PUT", f"/v2/accounts/{account_id}/users", body, 201)
            ids[n] = reply["data"]["id"]

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return ids


async def walk(api: Api, account_id: str, pages: int) -> str:
    """The next_start_key reached after `pages` full pages of PAGE users."""
    key = ""
    for page in range(pages):
        query = f"?page_size={PAGE}" + (f"&start_key={quote(key, safe='')}" if key else "")
        reply = await api.call("GET", f"/v2/accounts/{account_id}/users{query}")
        key = reply.get("next_start_key") or ""
        if len(reply["data"]) != PAGE or not key:
            raise RuntimeError(f"page {page + 1} of {account_id} is short or last")
    return key


async def seed(base: str, username: str, password: str, master: str) -> Seeded:
    """Log in as the master admin and build the benchmark accounts."""
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector) as session:
        api = Api(session, base)
        reply = await api.call("PUT", "/v2/user_auth", login_body(username, password, master), 201)
        api.token = reply["auth_token"]
        seeded = Seeded(token=api.token)
        master_id = reply["data"]["account_id"]
        for name, size in SIZES.items():
            body = {"data": {"name": name}}
            account = await api.call("PUT", f"/v2/accounts/{master_id}", body, 201)
            seeded.accounts[name] = account_id = account["data"]["id"]
            began = time.monotonic()
            ids = await create_users(api, account_id, size, name.removeprefix("bench-"))
            if size:
                seeded.rates[name] = size / (time.monotonic() - began)
                print(f"  {name}: {size} users, {seeded.rates[name]:.0f} creates/s", flush=True)
            seeded.user_ids[name] = ids[: KEPT_IDS[name]]
        password_login = secrets.token_hex(12)
        user = {"first_name": "Login", "last_name": "Bench"}
        user |= {"username": LOGIN_USER, "password": password_login}
        one_k = seeded.accounts["bench-1k"]
        await api.call("PUT", f"/v2/accounts/{one_k}/users", {"data": user}, 201)
        seeded.login = login_body(LOGIN_USER, password_login, "bench-1k")
        await api.call("PUT", "/v2/user_auth", seeded.login, 201)
        for name, pages in DEEP_PAGES.items():
            seeded.deep_keys[name] = await walk(api, seeded.accounts[name], pages)
        return seeded

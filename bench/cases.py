"""The benchmark cases and their targets (ratio = bare CPU per request / gateway's)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote

from bench.seed import PAGE, Seeded
from bench.wrk import COUNTER, Request

BARE = "bare"
GET_IDS = 10


@dataclass(frozen=True)
class Target:
    """A floor for the ratio, optionally also a fraction of another case's ratio."""

    floor: float
    of_case: str | None = None
    fraction: float = 0.0

    def describe(self) -> str:
        """E.g. `0.047, ≥0.8× get_1k`."""
        text = f"{self.floor:g}"
        return f"{text}, ≥{self.fraction:g}× {self.of_case}" if self.of_case else text


@dataclass(frozen=True)
class Case:
    """One wrk run shape against one server."""

    name: str
    request: Request
    target: Target | None = None
    probe: bool = False


TARGETS = {
    "get_1k": Target(0.058),
    "get_10k": Target(0.047, "get_1k", 0.8),
    "list_1k": Target(0.025),
    "list_10k": Target(0.0125, "list_1k", 0.5),
    "patch_1k": Target(0.043),
    "put_1k": Target(0.029),
}


def bare_case() -> Case:
    """GET / on the bare server."""
    return Case(BARE, Request("GET", ("/",)))


def gateway_cases(seeded: Seeded) -> list[Case]:
    """Every gateway case, in run order."""
    token = seeded.token
    one_k, ten_k = seeded.accounts["bench-1k"], seeded.accounts["bench-10k"]
    writes = seeded.accounts["bench-writes"]

    def users(account: str, tail: str = "") -> str:
        return f"/v2/accounts/{account}/users{tail}"

    def get(name: str, account: str, ids: list[str]) -> Case:
        paths = tuple(users(account, f"/{i}") for i in ids[:GET_IDS])
        return Case(name, Request("GET", paths, token=token), TARGETS.get(name))

    def listing(name: str, account: str, key: str = "") -> Case:
        query = f"?page_size={PAGE}" + (f"&start_key={quote(key, safe='')}" if key else "")
        return Case(name, Request("GET", (users(account, query),), token=token), TARGETS.get(name))

    patch_ids = seeded.user_ids["bench-1k"]
    if len(patch_ids) < 500:
        raise RuntimeError("patch_1k needs at least 500 distinct users")
    # A field outside the listing's sort order, so the pages (and the deep cursor) stay put.
    patch = Request(
        "PATCH",
        tuple(users(one_k, f"/{i}") for i in patch_ids),
        json.dumps({"data": {"presence_id": f"Patched{COUNTER}"}}),
        token,
    )
    put = Request(
        "PUT",
        (users(writes),),
        json.dumps({"data": {"first_name": f"Write{COUNTER}", "last_name": "Bench"}}),
        token,
    )
    login = Request("PUT", ("/v2/user_auth",), json.dumps(seeded.login))
    return [
        get("get_1k", one_k, seeded.user_ids["bench-1k"]),
        get("get_10k", ten_k, seeded.user_ids["bench-10k"]),
        listing("list_1k", one_k),
        listing("list_10k", ten_k),
        listing("list_deep_1k", one_k, seeded.deep_keys["bench-1k"]),
        listing("list_deep_10k", ten_k, seeded.deep_keys["bench-10k"]),
        Case("patch_1k", patch, TARGETS["patch_1k"], probe=True),
        Case("put_1k", put, TARGETS["put_1k"], probe=True),
        Case("login", login),
    ]

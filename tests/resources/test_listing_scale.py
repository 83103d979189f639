"""Listings read about a page of documents whatever the size of the account (store plans)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from gateway.keys import STORE
from gateway.resources.users import USER_DOCS
from gateway.store import QueryPlan, Store
from tests.conftest import Tree, in_background, login
from tests.resources.clients import Api, at

PER_ACCOUNT = 20_000
PAGE = 50
Find = tuple[str, dict[str, Any], str | None, bool, int]


def seeded_user(account_id: str, number: int) -> dict[str, Any]:
    """A user document as the write path stores it."""
    doc: dict[str, Any] = {
        "id": f"{account_id[:8]}{number:024x}",
        "first_name": f"First{number:05d}",
        "last_name": f"Last{number % 97:02d}",
        "enabled": number % 3 != 0,
        "pvt_type": "users",
        "pvt_account_id": account_id,
    }
    USER_DOCS.stamp_listing_keys(doc)
    return doc


@pytest.fixture
def finds(app: web.Application, monkeypatch: pytest.MonkeyPatch) -> list[Find]:
    """Every find requests make (not background loops): (kind, query, sort, descending, limit)."""
    store = app[STORE]
    recorded: list[Find] = []
    original = store.find

    async def spy(kind: str, query: Any, **options: Any) -> list[dict[str, Any]]:
        if not in_background():
            sort, descending = options.get("sort"), options.get("descending", False)
            recorded.append((kind, dict(query), sort, descending, options.get("limit", 0)))
        return await original(kind, query, **options)

    monkeypatch.setattr(store, "find", spy)
    return recorded


async def plan(store: Store, find: Find) -> QueryPlan:
    kind, query, sort, descending, limit = find
    assert sort is not None, find
    return await store.explain(kind, query, sort=sort, descending=descending, limit=limit)


def assert_walks_one_key(find: Find, plan_: QueryPlan, key_field: str) -> None:
    """One flat query: a range on the listing key, sorted on it, read through its index."""
    _, query, sort, _, limit = find
    assert sort == key_field
    assert set(query[key_field]) <= {"$gte", "$gt", "$lte", "$lt"}
    assert not any(key.startswith("$") for key in query)
    assert plan_.index == key_field, plan_
    if plan_.docs_examined is not None:  # MongoDB reports it; nx-27017 does not
        assert plan_.docs_examined <= 2 * limit, plan_


async def test_pages_of_a_20k_user_account_beside_another_read_one_page(
    api: Api, tree: Tree, app: web.Application, finds: list[Find]
) -> None:
    store = app[STORE]
    for account in (tree.customer, tree.other):
        await store.insert_many(
            "users", (seeded_user(account["id"], n) for n in range(PER_ACCOUNT))
        )
    seen: set[str] = set()
    query = f"?page_size={PAGE}"
    for _ in range(3):
        status, body = await api.call("GET", api.users() + query)
        assert status == 200, body
        assert body["page_size"] == PAGE and len(body["data"]) == PAGE
        ids = {row["id"] for row in body["data"]}
        assert not ids & seen
        assert all(
            i.startswith(tree.customer["id"][:8]) for i in ids - {tree.users["customer"]["id"]}
        )
        seen |= ids
        query = f"?page_size={PAGE}&start_key={body['next_start_key']}"
    status, body = await api.call("GET", api.users() + f"?page_size={PAGE}&filter_enabled=false")
    assert status == 200 and len(body["data"]) == PAGE
    assert all(int(row["id"][8:], 16) % 3 == 0 for row in body["data"])  # the disabled ones
    listing_finds = [find for find in finds if find[0] == "users"]
    assert len(listing_finds) == 4
    for find in listing_finds:
        assert_walks_one_key(find, await plan(store, find), "pvt_by_account")


Request = Callable[[Api, Tree], Awaitable[tuple[str, str]]]


async def _devices_of_owner(api: Api, tree: Tree) -> tuple[str, str]:
    owner = tree.users["customer"]["id"]
    status, body = await api.call(
        "PUT", at(tree.customer, "/devices"), json={"data": {"name": "d", "owner_id": owner}}
    )
    assert status == 201, body
    return "devices", at(tree.customer, f"/users/{owner}/devices")


async def _box_messages(api: Api, tree: Tree) -> tuple[str, str]:
    status, body = await api.call(
        "PUT", at(tree.customer, "/vmboxes"), json={"data": {"name": "b", "mailbox": "3001"}}
    )
    assert status == 201, body
    box = body["data"]["id"]
    status, body = await api.call(
        "PUT",
        at(tree.customer, f"/vmboxes/{box}/messages"),
        json={"data": {"caller_id_number": "1"}},
    )
    assert status == 201, body
    return "vm_messages", at(tree.customer, f"/vmboxes/{box}/messages")


LISTINGS: list[tuple[str, str, Request | None, str]] = [
    ("devices", "/devices", None, "pvt_by_account"),
    ("callflows", "/callflows", None, "pvt_by_account"),
    ("vm_messages", "/vmboxes/messages", None, "pvt_kept_by_account_id"),
    ("phone_numbers", "/phone_numbers", None, "pvt_by_account"),
    ("cdrs", "/cdrs", None, "pvt_by_account"),
    ("channels", "/channels", None, "pvt_by_account"),
    ("registrations", "/registrations", None, "pvt_by_account"),
    ("devices", "", _devices_of_owner, "pvt_by_owner"),
    ("vm_messages", "", _box_messages, "pvt_kept_by_vmbox_id"),
]


@pytest.mark.parametrize(("kind", "path", "setup", "key_field"), LISTINGS)
async def test_every_listing_is_one_indexed_key_range(
    api: Api,
    tree: Tree,
    app: web.Application,
    finds: list[Find],
    kind: str,
    path: str,
    setup: Request | None,
    key_field: str,
) -> None:
    if setup is not None:
        kind, url = await setup(api, tree)
    else:
        url = at(tree.customer, path)
    finds.clear()
    status, body = await api.call("GET", url)
    assert status == 200, body
    mine = [find for find in finds if find[0] == kind and find[2] is not None]
    assert mine, finds
    assert_walks_one_key(mine[0], await plan(app[STORE], mine[0]), key_field)


@pytest.mark.parametrize(
    ("listing", "key_field"),
    [
        ("children", "pvt_by_parent"),
        ("descendants", "pvt_by_ancestor_1"),
        ("siblings", "pvt_by_parent"),
    ],
)
async def test_account_tree_listings_are_one_indexed_key_range(
    tree: Tree,
    app: web.Application,
    finds: list[Find],
    as_level: Any,
    listing: str,
    key_field: str,
) -> None:
    master = await as_level("master")
    finds.clear()
    status, body = await master("GET", at(tree.reseller, f"/{listing}"))
    assert status == 200, body
    mine = [find for find in finds if find[0] == "accounts" and find[2] is not None]
    assert len(mine) == 1, finds
    assert_walks_one_key(mine[0], await plan(app[STORE], mine[0]), key_field)


async def test_a_login_reads_its_candidates_through_one_indexed_key(
    client: Any, tree: Tree, app: web.Application, finds: list[Find]
) -> None:
    await login(client, "customer-admin", "customer-secret", "Customer One")
    lookups = [find for find in finds if find[0] == "users"]
    assert len(lookups) == 1, finds
    _, query, _, _, limit = lookups[0]
    assert list(query) == ["pvt_by_md5_login"]
    found = await app[STORE].explain("users", query, sort="pvt_by_md5_login", limit=limit)
    assert found.index == "pvt_by_md5_login", found

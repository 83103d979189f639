"""Listings on /users: page sizes, keyset pages, paginate=false and query-string filters."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from aiohttp.test_utils import TestClient

from gateway.settings import Settings
from tests.conftest import Tree

Client = TestClient[Any, Any]
Body = dict[str, Any]
GREGORIAN_OFFSET = 62167219200
PAGE_KEYS = ("page_size", "start_key", "next_start_key")
FILTER_USERS = [
    {
        "first_name": "Ann",
        "last_name": "A1",
        "priv_level": "admin",
        "email": "ann@x.io",
        "caller_id": {"internal": {"number": "1001"}},
        "floor": 3,
        "nickname": "",
    },
    {
        "first_name": "Bob",
        "last_name": "B2",
        "enabled": False,
        "email": "bob@x.io",
        "caller_id": {"internal": {"number": "1002"}},
        "nickname": "bobby",
        "tags": [],
    },
    {
        "first_name": "Cy",
        "last_name": "C3",
        "priv_level": "admin",
        "enabled": False,
        "tags": ["x"],
    },
    {"first_name": "Di", "last_name": "D4", "floor": 4},
]
ADMIN = "Customer"  # the tree's customer-admin: priv_level admin, enabled, no email


@dataclass
class Listing:
    """The customer account's /users, as its admin."""

    client: Client
    headers: dict[str, str]
    url: str

    async def get(self, query: str = "") -> tuple[int, Body]:
        """GET the listing with a query string (without '?')."""
        response = await self.client.get(f"{self.url}?{query}", headers=self.headers)
        return response.status, await response.json()

    async def page(self, query: str = "") -> Body:
        """A listing reply that must succeed."""
        status, body = await self.get(query)
        assert status == 200, body
        return body

    async def create(self, **fields: Any) -> Body:
        """Create one user that must succeed."""
        response = await self.client.put(self.url, headers=self.headers, json={"data": fields})
        body = await response.json()
        assert response.status == 201, body
        return dict(body["data"])

    async def seed(self, count: int, start: int = 0) -> list[Body]:
        """`count` users named Seed L<n>, created 25 at a time."""
        made: list[Body] = []
        for low in range(start, start + count, 25):
            high = min(low + 25, start + count)
            made += await asyncio.gather(
                *(self.create(first_name="Seed", last_name=f"L{n:04d}") for n in range(low, high))
            )
        return made

    async def all_ids(self, query: str = "") -> list[str]:
        """Every row id, unpaginated, in listing order."""
        return [row["id"] for row in (await self.page(f"paginate=false&{query}"))["data"]]

    async def walk(self, query: str, start_key: str = "") -> list[Body]:
        """Every page of a paginated listing from `start_key`, following next_start_key."""
        pages = [await self.page(f"{query}&start_key={quote(start_key)}" if start_key else query)]
        while "next_start_key" in pages[-1]:
            key = pages[-1]["next_start_key"]
            pages.append(await self.page(f"{query}&start_key={quote(key)}"))
            assert pages[-1]["start_key"] == key
            assert len(pages) < 500, "the walk does not end"
        return pages


def ids(pages: list[Body]) -> list[str]:
    """Row ids of several pages, in order."""
    return [row["id"] for page in pages for row in page["data"]]


def assert_faulty_request(status: int, body: Body, text: str) -> None:
    """Kazoo's 404 faulty_request with a text."""
    assert status == 404, body
    assert (body["status"], body["error"], body["message"]) == ("error", "404", "faulty_request")
    assert body["data"] == {"message": text}


@pytest.fixture
async def listing(client: Client, tree: Tree, auth_headers: Any) -> Listing:
    """The customer account's users listing."""
    return Listing(
        client, await auth_headers("customer"), f"/v2/accounts/{tree.customer['id']}/users"
    )


async def test_default_page_size_is_50_and_page_size_counts_rows_returned(
    listing: Listing,
) -> None:
    await listing.seed(55)
    first = await listing.page()
    assert len(first["data"]) == 50 and first["page_size"] == 50
    assert "start_key" not in first and "next_start_key" in first
    last = await listing.page(f"start_key={quote(first['next_start_key'])}")
    assert len(last["data"]) == 6 and last["page_size"] == 6
    assert last["start_key"] == first["next_start_key"] and "next_start_key" not in last
    assert ids([first, last]) == await listing.all_ids()


@pytest.mark.parametrize("order", ["", "&ascending=true"])
async def test_pages_of_two_visit_every_row_exactly_once(listing: Listing, order: str) -> None:
    await listing.seed(3)
    for _ in range(3):
        await listing.create(first_name="Same", last_name="Name")
    pages = await listing.walk(f"page_size=2{order}")
    assert [len(page["data"]) for page in pages] == [2, 2, 2, 1]
    assert [page["page_size"] for page in pages] == [2, 2, 2, 1]
    assert all("next_start_key" in page for page in pages[:-1])
    assert "next_start_key" not in pages[-1] and "start_key" not in pages[0]
    assert ids(pages) == await listing.all_ids(order.lstrip("&"))
    assert len(set(ids(pages))) == 7


async def test_rows_added_or_deleted_between_pages_are_not_skipped_or_repeated(
    listing: Listing,
) -> None:
    seeded = await listing.seed(10)  # descending: L0009 .. L0000, then Customer Admin
    before = set(await listing.all_ids())
    first = await listing.page("page_size=3")
    assert [row["last_name"] for row in first["data"]] == ["L0009", "L0008", "L0007"]
    by_name = {row["last_name"]: row["id"] for row in seeded}
    gone = {by_name["L0008"], by_name["L0006"], by_name["L0003"]}  # L0006 starts page 2
    for user_id in gone:
        response = await listing.client.delete(f"{listing.url}/{user_id}", headers=listing.headers)
        assert response.status == 200
    for last_name in ("L0009b", "L0008b", "L0006b", "L0004b", "L0000b", "A"):
        await listing.create(first_name="New", last_name=last_name)
    rest = await listing.walk("page_size=3", first["next_start_key"])
    seen = ids([first, *rest])
    assert len(seen) == len(set(seen))
    assert before - gone <= set(seen)
    assert not gone & set(ids(rest))
    assert not {"L0009b", "L0008b"} & {row["last_name"] for page in rest for row in page["data"]}


@pytest.mark.parametrize("size", ["abc", "1x", "2.5.1"])
async def test_page_size_that_is_not_a_number_is_404_faulty_request(
    listing: Listing, size: str
) -> None:
    status, body = await listing.get(f"page_size={size}")
    assert_faulty_request(status, body, "invalid page size")


@pytest.mark.parametrize("size", ["0", "-1"])
async def test_page_size_below_one_is_404_faulty_request(listing: Listing, size: str) -> None:
    status, body = await listing.get(f"page_size={size}")
    assert_faulty_request(status, body, "page size must be at least 1")


async def test_page_size_above_the_maximum_is_clamped(
    listing: Listing, settings: Settings
) -> None:
    await listing.seed(settings.page_size_max + 4)
    body = await listing.page(f"page_size={settings.page_size_max * 10}")
    assert len(body["data"]) == settings.page_size_max == body["page_size"]
    assert "next_start_key" in body


@pytest.mark.parametrize("flag", ["false", "1", "no"])
async def test_unpaginated_listing_returns_every_row_without_page_keys(
    listing: Listing, flag: str
) -> None:
    await listing.seed(60)
    body = await listing.page(f"paginate={flag}&page_size=2")
    assert len(body["data"]) == 61
    assert not [key for key in PAGE_KEYS if key in body]


async def test_unpaginated_listing_over_the_limit_is_416(
    listing: Listing, settings: Settings
) -> None:
    await listing.seed(settings.unpaginated_max - 1)
    assert len((await listing.page("paginate=false"))["data"]) == settings.unpaginated_max
    await listing.create(first_name="One", last_name="Too Many")
    status, body = await listing.get("paginate=false")
    assert status == 416, body
    assert (body["error"], body["message"], body["data"]) == ("416", "range not satisfiable", {})
    assert len((await listing.page())["data"]) == 50


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("filter_priv_level=admin", {"Ann", "Cy", ADMIN}),
        ("filter_not_priv_level=admin", {"Bob", "Di"}),
        ("filter_enabled=true", {"Ann", "Di", ADMIN}),
        ("filter_enabled=false", {"Bob", "Cy"}),
        ("filter_floor=3", {"Ann"}),
        ("filter_first_name=" + quote(json.dumps(["Ann", "Di", "Zed"])), {"Ann", "Di"}),
        ("filter_not_first_name=" + quote(json.dumps(["Ann", "Di"])), {"Bob", "Cy", ADMIN}),
        ("filter_caller_id.internal.number=1002", {"Bob"}),
        ("filter_username=customer-admin", {ADMIN}),
        ("has_key=email", {"Ann", "Bob"}),
        ("key_missing=email", {"Cy", "Di", ADMIN}),
        ("has_value=email", {"Ann", "Bob"}),
        ("value_missing=email", {"Cy", "Di", ADMIN}),
        ("has_key=nickname", {"Ann", "Bob"}),
        ("has_value=nickname", {"Bob"}),
        ("value_missing=nickname", {"Ann", "Cy", "Di", ADMIN}),
        # Kazoo's has_value is kz_json:get_ne_value: kz_term:is_empty holds for [] and {}
        ("has_value=tags", {"Cy"}),
        ("has_value=call_restriction", set()),
        ("value_missing=tags", {"Ann", "Bob", "Di", ADMIN}),
        ("filter_priv_level=admin&filter_enabled=false", {"Cy"}),
        ("filter_priv_level=admin&has_key=email", {"Ann"}),
    ],
)
async def test_query_string_filters_keep_matching_rows(
    listing: Listing, query: str, expected: set[str]
) -> None:
    for user in FILTER_USERS:
        await listing.create(**user)
    for paginate in ("", "paginate=false&"):
        rows = (await listing.page(paginate + query))["data"]
        assert sorted(row["first_name"] for row in rows) == sorted(expected), paginate


async def test_filtered_pages_stay_full(listing: Listing) -> None:
    seeded = await listing.seed(12)
    for row in seeded[::3]:  # L0000, L0003, L0006, L0009
        response = await listing.client.patch(
            f"{listing.url}/{row['id']}",
            headers=listing.headers,
            json={"data": {"priv_level": "admin"}},
        )
        assert response.status == 200
    pages = await listing.walk("page_size=2&filter_priv_level=admin")
    assert [len(page["data"]) for page in pages] == [2, 2, 1]
    assert [row["last_name"] for row in pages[0]["data"]] == ["L0009", "L0006"]
    assert all(row["priv_level"] == "admin" for row in pages[0]["data"] + pages[1]["data"])
    assert ids(pages) == await listing.all_ids("filter_priv_level=admin")


async def test_created_from_and_created_to_bound_gregorian_creation_time(
    listing: Listing,
) -> None:
    early = {row["id"] for row in await listing.seed(2)}
    early |= set(await listing.all_ids())
    boundary = int(time.time()) + 1
    await asyncio.sleep(max(0.0, boundary - time.time()) + 0.01)
    late = {row["id"] for row in await listing.seed(2, start=2)}
    greg = boundary + GREGORIAN_OFFSET
    assert set(await listing.all_ids(f"created_from={greg}")) == late
    assert set(await listing.all_ids(f"created_to={greg - 1}")) == early
    assert set(await listing.all_ids(f"created_from={greg - 86400}&created_to={greg + 60}")) == (
        early | late
    )
    assert await listing.all_ids(f"created_from={greg + 3600}") == []
    page = await listing.page(f"page_size=1&created_from={greg}")
    assert len(page["data"]) == 1 and "next_start_key" in page


@pytest.mark.parametrize(
    "query",
    [
        "filter_pvt_account_id=x",
        "filter_not_pvt_type=user",
        "has_key=pvt_created",
        "key_missing=pvt_deleted",
        "has_value=pvt_md5_hash",
        "value_missing=pvt_sort",
        "filter_pvt_created.x=1",
    ],
)
async def test_filter_on_private_key_is_400(listing: Listing, query: str) -> None:
    status, body = await listing.get(query)
    assert status == 400, body
    assert (body["status"], body["error"], body["message"]) == ("error", "400", "validation error")
    assert isinstance(body["data"], dict) and body["data"]

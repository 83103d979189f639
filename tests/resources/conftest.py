"""Fixtures of the resource tests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.conftest import Tree
from tests.resources.clients import Api, AsLevel, TokenApi


@pytest.fixture
async def api(client: Any, tree: Tree, auth_headers: Callable[[str], Awaitable[Any]]) -> Api:
    """The customer admin's client."""
    return Api(client, tree, await auth_headers("customer"))


@pytest.fixture
def as_level(client: TestClient[Any, Any], auth_headers: Any) -> AsLevel:
    """`await as_level("customer")` -> a TokenApi with that level's admin token."""

    async def make(level: str) -> TokenApi:
        return TokenApi(client, await auth_headers(level))

    return make

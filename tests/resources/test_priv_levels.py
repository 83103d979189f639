"""`priv_level: user` logins read their account but change only their own user document;
GATEWAY_PERMISSIVE_PRIV_LEVELS restores Kazoo's permissive default."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from gateway.settings import Settings
from tests.conftest import Tree
from tests.resources.clients import user_level_login

FORBIDDEN = {"message": "forbidden"}


def users_path(tree: Tree, user_id: str = "") -> str:
    path = f"/v2/accounts/{tree.customer['id']}/users"
    return f"{path}/{user_id}" if user_id else path


async def test_user_level_reads_the_account_and_edits_only_itself(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    own_id, headers = await user_level_login(client, tree, auth_headers)
    listing = await client.get(users_path(tree), headers=headers)
    assert listing.status == 200 and len((await listing.json())["data"]) == 2
    other = await client.get(users_path(tree, tree.users["customer"]["id"]), headers=headers)
    assert other.status == 200
    patched = await client.patch(
        users_path(tree, own_id), headers=headers, json={"data": {"timezone": "Europe/Rome"}}
    )
    assert patched.status == 200
    assert (await patched.json())["data"]["timezone"] == "Europe/Rome"


@pytest.mark.parametrize(
    ("method", "target", "data"),
    [
        ("PUT", "", {"first_name": "New", "last_name": "Person"}),
        ("PATCH", "admin", {"first_name": "Hacked"}),
        ("POST", "admin", {"first_name": "Hacked", "last_name": "Admin"}),
        ("DELETE", "admin", None),
        ("DELETE", "self", None),
        ("PATCH", "self", {"priv_level": "admin"}),
        ("PATCH", "self", {"enabled": False}),
    ],
)
async def test_user_level_cannot_change_what_is_not_its_own(
    client: TestClient[Any, Any],
    tree: Tree,
    auth_headers: Any,
    method: str,
    target: str,
    data: Any,
) -> None:
    own_id, headers = await user_level_login(client, tree, auth_headers)
    target_id = {"": "", "admin": tree.users["customer"]["id"], "self": own_id}[target]
    body = None if data is None else {"data": data}
    response = await client.request(
        method, users_path(tree, target_id), headers=headers, json=body
    )
    assert response.status == 403
    assert (await response.json())["data"] == FORBIDDEN
    admin = await auth_headers("customer")
    stored = await client.get(users_path(tree, own_id), headers=admin)
    assert (await stored.json())["data"]["priv_level"] == "user"
    listing = await client.get(users_path(tree), headers=admin)
    assert [row["first_name"] for row in (await listing.json())["data"]] == ["Uma", "Customer"]


class TestPermissive:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return dataclasses.replace(settings, permissive_priv_levels=True)

    async def test_user_level_may_do_what_an_admin_does(
        self, client: TestClient[Any, Any], tree: Tree, auth_headers: Any
    ) -> None:
        own_id, headers = await user_level_login(client, tree, auth_headers)
        created = await client.put(
            users_path(tree),
            headers=headers,
            json={"data": {"first_name": "New", "last_name": "Person"}},
        )
        assert created.status == 201
        promoted = await client.patch(
            users_path(tree, own_id), headers=headers, json={"data": {"priv_level": "admin"}}
        )
        assert promoted.status == 200
        assert (await promoted.json())["data"]["priv_level"] == "admin"
        # A new privilege level ends the sessions issued under the old one.
        stale = await client.get(users_path(tree), headers=headers)
        assert stale.status == 401

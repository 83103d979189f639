"""/api/extensions refusals in Laravel's 422 shape: each field's rules, tenants out of reach,
taken numbers, tenant moves, bad pages; a refused request changes nothing anywhere."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from gateway.provision import create_account
from tests.conftest import Tree
from tests.dialects.kazi.helpers import (
    EXTENSIONS,
    OMIT,
    Client,
    KaziAdmin,
    Kazoo,
    extension_fields,
    kazi_admin,
)

AuthHeaders = Callable[[str], Awaitable[dict[str, str]]]
Body = dict[str, Any]
Parts = dict[str, dict[str, list[dict[str, Any]]]]
INVALID_TENANT = "The selected tenant id is invalid."
TAKEN = "The extension number has already been taken."
FORMAT = "The extension number field format is invalid."
NOT_BOOLEAN = "The voicemail enabled field must be true or false."


@pytest.fixture
async def reseller(client: Client, tree: Tree) -> KaziAdmin:
    """The reseller admin on /api: its tenants are Customer One and Customer Two."""
    return await kazi_admin(client, "reseller-admin", "reseller-secret")


@pytest.fixture
async def kazoo(client: Client, tree: Tree, auth_headers: AuthHeaders) -> Kazoo:
    """The reseller admin on /v2 (it reaches both customers)."""
    return Kazoo(client, await auth_headers("reseller"))


async def everything(kazoo: Kazoo, tree: Tree) -> Parts:
    """The users, devices, boxes and callflows of every account of the tree."""
    accounts = {
        "reseller": tree.reseller,
        "customer": tree.customer,
        "other": tree.other,
    }
    return {label: await kazoo.parts(account) for label, account in accounts.items()}


def laravel_422(status: int, body: Body, fields: set[str]) -> dict[str, list[str]]:
    """The errors of a 422 naming exactly `fields`, its message the first one (+ how many)."""
    assert status == 422, body
    assert set(body) == {"message", "errors"}, body
    errors: dict[str, list[str]] = body["errors"]
    assert set(errors) == fields, errors
    assert all(isinstance(m, str) for messages in errors.values() for m in messages), errors
    messages = [message for texts in errors.values() for message in texts]
    others = len(messages) - 1
    suffix = f" (and {others} more error{'s' if others > 1 else ''})" if others else ""
    assert body["message"] == messages[0] + suffix, body
    return errors


# --- create: fields ---------------------------------------------------------------------------


async def test_an_empty_body_names_every_required_field(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree
) -> None:
    before = await everything(kazoo, tree)
    status, body = await reseller.call("POST", EXTENSIONS, {})
    required = {"tenant_id", "extension_number", "display_name", "secret", "status"}
    errors = laravel_422(status, body, required)
    assert errors["extension_number"] == ["The extension number field is required."]
    assert errors["display_name"] == ["The display name field is required."]
    assert errors["secret"] == ["The secret field is required."]
    assert errors["status"] == ["The status field is required."]
    assert body["message"].endswith(" (and 4 more errors)"), body
    assert await everything(kazoo, tree) == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("extension_number", OMIT, "The extension number field is required."),
        ("extension_number", "", "The extension number field is required."),
        ("extension_number", "12a", FORMAT),
        ("extension_number", "+101", FORMAT),
        ("extension_number", "1 01", FORMAT),
        ("extension_number", "1" * 21, None),
        ("display_name", 123, "The display name field must be a string."),
        (
            "display_name",
            "x" * 256,
            "The display name field must not be greater than 255 characters.",
        ),
        ("display_name", OMIT, "The display name field is required."),
        ("email", "not-an-email", "The email field must be a valid email address."),
        ("email", "front desk@example.com", "The email field must be a valid email address."),
        ("email", "a" * 244 + "@example.com", None),
        ("secret", OMIT, "The secret field is required."),
        ("secret", "x" * 256, None),
        # Kazoo's SIP password and user name bounds are the ones checked (README).
        ("secret", "x" * 33, "The secret field must not be greater than 32 characters."),
        ("secret", "1234", "The secret field must be at least 5 characters."),
        ("extension_number", "7", "The extension number field must be at least 2 characters."),
        (
            "display_name",
            "x" * 255,
            "The display name field must not have a first or last name longer than 128 "
            "characters.",
        ),
        ("secret", 12345, None),
        ("status", OMIT, "The status field is required."),
        ("status", "x" * 51, None),
        ("voicemail_enabled", "maybe", NOT_BOOLEAN),
        ("voicemail_enabled", "yes", NOT_BOOLEAN),
        ("voicemail_enabled", 2, NOT_BOOLEAN),
        ("voicemail_enabled", [], NOT_BOOLEAN),
        ("tenant_id", OMIT, None),
        ("tenant_id", 999_999, INVALID_TENANT),
        ("tenant_id", "f" * 32, INVALID_TENANT),
        ("tenant_id", "not-a-tenant", None),
    ],
)
async def test_a_bad_field_is_422_on_that_field_and_creates_nothing(
    reseller: KaziAdmin,
    kazoo: Kazoo,
    tree: Tree,
    field: str,
    value: Any,
    message: str | None,
) -> None:
    before = await everything(kazoo, tree)
    tenant_id = await reseller.tenant_id(tree.customer)
    fields = extension_fields(tenant_id, **{field: value})
    status, body = await reseller.call("POST", EXTENSIONS, fields)
    errors = laravel_422(status, body, {field})
    if message is not None:
        assert errors[field] == [message]
    assert await everything(kazoo, tree) == before
    assert (await reseller.listing())["data"] == []


async def test_several_bad_fields_count_the_other_errors(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree
) -> None:
    tenant_id = await reseller.tenant_id(tree.customer)
    fields = extension_fields(tenant_id, display_name=123, email="nope")
    status, body = await reseller.call("POST", EXTENSIONS, fields)
    errors = laravel_422(status, body, {"display_name", "email"})
    assert errors["email"] == ["The email field must be a valid email address."]
    assert body["message"] == "The display name field must be a string. (and 1 more error)"
    assert (await reseller.listing())["data"] == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("display_name", "x" * 127 + " " + "y" * 127),
        ("display_name", "x" * 128 + " " + "y" * 126),
        ("extension_number", "1" * 20),
        ("extension_number", "07"),
        ("email", None),
        ("email", OMIT),
        ("email", "a" * 242 + "@example.com"),
        ("secret", "x" * 32),
        ("secret", "12345"),
        ("status", "x" * 50),
    ],
)
async def test_values_at_the_limits_are_accepted(
    reseller: KaziAdmin, tree: Tree, field: str, value: Any
) -> None:
    made = await reseller.create(tree.customer, **{field: value})
    if field in ("display_name", "extension_number", "status"):
        assert made[field] == value
    if field == "email":
        assert made["email"] == (value if isinstance(value, str) else None)


@pytest.mark.parametrize(
    ("value", "enabled"),
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ("1", True),
        ("0", False),
        ("true", True),
        ("false", False),
        (OMIT, False),
    ],
)
async def test_voicemail_enabled_takes_laravel_booleans(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree, value: Any, enabled: bool
) -> None:
    made = await reseller.create(tree.customer, voicemail_enabled=value)
    assert made["voicemail_enabled"] is enabled
    assert (await reseller.show(made["id"]))["voicemail_enabled"] is enabled
    boxes = await kazoo.boxes_of(tree.customer, made["user_id"])
    assert len(boxes) == (1 if enabled else 0)


# --- create: tenants --------------------------------------------------------------------------


async def test_the_admins_own_account_and_accounts_above_are_no_tenant(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree
) -> None:
    before = await everything(kazoo, tree)
    for tenant_id in (tree.reseller["id"], tree.master["id"]):
        fields = extension_fields(tenant_id)
        status, body = await reseller.call("POST", EXTENSIONS, fields)
        errors = laravel_422(status, body, {"tenant_id"})
        assert errors["tenant_id"] == [INVALID_TENANT]
    assert await everything(kazoo, tree) == before


async def test_a_tenant_outside_the_admins_subtree_is_invalid(
    client: Client, app: web.Application, tree: Tree, reseller: KaziAdmin, kazoo: Kazoo
) -> None:
    branch = await create_account(app, {"name": "Branch Office"}, tree.customer["id"])
    other_id = await reseller.tenant_id(tree.other)
    customer = await kazi_admin(client, "customer-admin", "customer-secret")
    before = await everything(kazoo, tree)
    for tenant_id in (other_id, tree.other["id"], tree.customer["id"]):
        status, body = await customer.call("POST", EXTENSIONS, extension_fields(tenant_id))
        errors = laravel_422(status, body, {"tenant_id"})
        assert errors["tenant_id"] == [INVALID_TENANT], tenant_id
    assert await everything(kazoo, tree) == before
    made = await customer.create(branch)
    assert made["tenant"]["account_id"] == branch["id"]


# --- create: taken numbers --------------------------------------------------------------------


async def test_a_number_is_unique_within_its_tenant_only(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree
) -> None:
    await reseller.create(tree.customer, extension_number="101")
    before = await everything(kazoo, tree)
    tenant_id = await reseller.tenant_id(tree.customer)
    fields = extension_fields(tenant_id, extension_number="101", display_name="Second Desk")
    status, body = await reseller.call("POST", EXTENSIONS, fields)
    errors = laravel_422(status, body, {"extension_number"})
    assert errors["extension_number"] == [TAKEN]
    assert body["message"] == TAKEN
    assert await everything(kazoo, tree) == before
    elsewhere = await reseller.create(tree.other, extension_number="101")
    assert elsewhere["extension_number"] == "101"
    assert await reseller.numbers() == ["101", "101"]


async def test_a_number_held_by_a_numbered_v2_user_is_taken(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree
) -> None:
    await kazoo.data(
        "PUT",
        f"/v2/accounts/{tree.customer['id']}/users",
        {"first_name": "Nia", "last_name": "Novak", "presence_id": "777"},
    )
    before = await everything(kazoo, tree)
    tenant_id = await reseller.tenant_id(tree.customer)
    status, body = await reseller.call(
        "POST", EXTENSIONS, extension_fields(tenant_id, extension_number="777")
    )
    assert laravel_422(status, body, {"extension_number"})["extension_number"] == [TAKEN]
    assert await everything(kazoo, tree) == before


async def test_two_creates_of_one_number_at_once_make_one_extension(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree
) -> None:
    tenant_id = await reseller.tenant_id(tree.customer)
    fields = extension_fields(tenant_id, extension_number="404")
    first, second = await asyncio.gather(
        reseller.call("POST", EXTENSIONS, fields),
        reseller.call("POST", EXTENSIONS, {**fields, "display_name": "Twin Desk"}),
    )
    statuses = sorted([first[0], second[0]])
    assert statuses == [201, 422], (first, second)
    refused = first[1] if first[0] == 422 else second[1]
    assert laravel_422(422, refused, {"extension_number"})["extension_number"] == [TAKEN]
    assert await reseller.numbers() == ["404"]
    users = await kazoo.rows(tree.customer, "users")
    assert [user.get("presence_id") for user in users if user.get("presence_id")] == ["404"]
    assert len(await kazoo.rows(tree.customer, "devices")) == 1
    assert len(await kazoo.rows(tree.customer, "callflows")) == 1


# --- changes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"display_name": 123}, "display_name"),
        ({"display_name": ""}, "display_name"),
        ({"display_name": "x" * 256}, "display_name"),
        ({"email": "nope"}, "email"),
        ({"voicemail_enabled": "maybe"}, "voicemail_enabled"),
        ({"extension_number": "12a"}, "extension_number"),
        ({"extension_number": None}, "extension_number"),
        ({"secret": "x" * 256}, "secret"),
        ({"status": "x" * 51}, "status"),
        ({"status": None}, "status"),
    ],
)
async def test_a_bad_patch_is_422_and_changes_nothing(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree, change: Body, field: str
) -> None:
    made = await reseller.create(tree.customer)
    shown = await reseller.show(made["id"])
    before = await everything(kazoo, tree)
    status, body = await reseller.call("PATCH", f"{EXTENSIONS}/{made['id']}", change)
    laravel_422(status, body, {field})
    assert await reseller.show(made["id"]) == shown
    assert await everything(kazoo, tree) == before


async def test_a_patch_to_a_number_taken_in_the_tenant_is_422_but_its_own_is_fine(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree
) -> None:
    first = await reseller.create(tree.customer, extension_number="101")
    await reseller.create(tree.customer, extension_number="102", display_name="Second")
    await reseller.create(tree.other, extension_number="103", display_name="Elsewhere")
    path = f"{EXTENSIONS}/{first['id']}"
    before = await everything(kazoo, tree)
    status, body = await reseller.call("PATCH", path, {"extension_number": "102"})
    assert laravel_422(status, body, {"extension_number"})["extension_number"] == [TAKEN]
    assert await everything(kazoo, tree) == before
    status, body = await reseller.call(
        "PATCH", path, {"extension_number": "101", "display_name": "Same Number"}
    )
    assert status == 200 and body["data"]["extension_number"] == "101", body
    status, body = await reseller.call("PATCH", path, {"extension_number": "103"})
    assert status == 200 and body["data"]["extension_number"] == "103", body


@pytest.mark.parametrize("verb", ["PATCH", "PUT"])
async def test_moving_an_extension_to_another_tenant_is_422_on_tenant_id(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree, verb: str
) -> None:
    made = await reseller.create(tree.customer)
    shown = await reseller.show(made["id"])
    other_id = await reseller.tenant_id(tree.other)
    before = await everything(kazoo, tree)
    change = extension_fields(other_id) if verb == "PUT" else {"tenant_id": other_id}
    status, body = await reseller.call(verb, f"{EXTENSIONS}/{made['id']}", change)
    assert status == 422, body
    assert "tenant_id" in body["errors"], body
    assert await reseller.show(made["id"]) == shown
    assert await everything(kazoo, tree) == before


async def test_a_put_without_every_required_field_is_422_and_changes_nothing(
    reseller: KaziAdmin, kazoo: Kazoo, tree: Tree
) -> None:
    made = await reseller.create(tree.customer)
    shown = await reseller.show(made["id"])
    before = await everything(kazoo, tree)
    status, body = await reseller.call(
        "PUT", f"{EXTENSIONS}/{made['id']}", {"display_name": "Only A Name"}
    )
    errors = laravel_422(status, body, {"tenant_id", "extension_number", "secret", "status"})
    assert errors["extension_number"] == ["The extension number field is required."]
    assert await reseller.show(made["id"]) == shown
    assert await everything(kazoo, tree) == before


# --- listing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page=1.5", "page"),
        ("per_page=0", "per_page"),
        ("per_page=-5", "per_page"),
        ("per_page=1001", "per_page"),
        ("per_page=ten", "per_page"),
    ],
)
async def test_a_bad_page_or_page_size_is_422_on_that_field(
    reseller: KaziAdmin, tree: Tree, query: str, field: str
) -> None:
    await reseller.create(tree.customer)
    status, body = await reseller.call("GET", f"{EXTENSIONS}?{query}")
    laravel_422(status, body, {field})


async def test_the_largest_page_size_is_accepted(reseller: KaziAdmin, tree: Tree) -> None:
    await reseller.create(tree.customer)
    body = await reseller.listing("?per_page=1000&page=1")
    assert body["meta"] == {"current_page": 1, "last_page": 1, "per_page": 1000, "total": 1}

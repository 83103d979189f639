"""/api/extensions/{id}: create, read, update and delete an extension of a tenant, through
the same extension model and write path as /v1/pbx (all of its documents or none)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gateway.crossbar.context import Context
from gateway.crossbar.documents import Doc
from gateway.dialects.kazi.aliases import EXTENSION, alias_of, parse_id, target_of
from gateway.dialects.kazi.answer import Answer, answer
from gateway.dialects.kazi.body import read_fields
from gateway.dialects.kazi.errors import KaziError, invalid
from gateway.dialects.kazi.extension_docs import (
    new_box,
    new_device,
    secret_device,
    with_box_fields,
    with_device_fields,
    with_user_fields,
)
from gateway.dialects.kazi.extension_fields import extension_fields
from gateway.dialects.kazi.extension_refusals import extension_refusals
from gateway.dialects.kazi.extension_view import (
    enabled_by,
    extension_view,
    queue_agents,
    recent_cdrs,
    registered_devices,
)
from gateway.dialects.kazi.tenancy import inside, is_tenant, tenant_named, tenant_views
from gateway.extensions.callflows import edited_callflow, user_callflow
from gateway.extensions.numbers import require_free, validate_parts
from gateway.extensions.parts import (
    Parts,
    all_or_nothing,
    content,
    display_name,
    find_parts,
    owned_devices,
)
from gateway.extensions.removal import refuse_referenced, remove_extension
from gateway.keys import ACCOUNT_CACHE
from gateway.resources.callflows import CALLFLOW_DOCS
from gateway.resources.devices import DEVICE_DOCS
from gateway.resources.users import USER_DOCS, USERS
from gateway.resources.vmboxes import VMBOX_DOCS
from gateway.store.ids import new_id

INVALID_TENANT = "The selected tenant id is invalid."
FIXED_TENANT = "The tenant id field cannot be changed."
Params = Mapping[str, str]


def not_found() -> KaziError:
    """404 for an id that names no extension of the caller's tenants."""
    return KaziError(404, "Extension not found.")


async def _found(ctx: Context, params: Params) -> tuple[Context, Parts, int]:
    """The tenant's context, the extension's parts (whole) and its integer id."""
    number = parse_id(params["id"])
    user_id = await target_of(ctx, EXTENSION, number) if number is not None else None
    user = await ctx.store.get(USERS, user_id) if user_id else None
    account_id = (user or {}).get("pvt_account_id")
    tenant = await ctx.app[ACCOUNT_CACHE].get(str(account_id)) if account_id else None
    if tenant is None or not is_tenant(ctx, tenant):
        raise not_found()
    scoped = inside(ctx, tenant)
    assert user_id is not None and number is not None
    parts = await find_parts(scoped, user_id, whole=True)
    if parts is None or parts.user is None:
        raise not_found()
    return scoped, parts, number


async def shown(ctx: Context, parts: Parts, number: int, *, details: bool = False) -> Doc:
    """The extension as /api shows it (`details`: with its queues and calls)."""
    assert parts.user is not None and ctx.account is not None
    tenant = (await tenant_views(ctx, [ctx.account]))[ctx.account["id"]]
    devices = await registered_devices(ctx, [ctx.account["id"]])
    view = extension_view(
        parts.user, parts.callflow, number, tenant, devices.get(parts.doc_id, [])
    )
    if details:
        view["queueAgents"] = await queue_agents(ctx, parts.user, number)
        view["cdrs"] = await recent_cdrs(ctx, parts.user)
    return view


def _errors_in_order(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    order = ("tenant_id", "extension_number", "display_name", "email", "secret", "status")
    return dict(sorted(errors.items(), key=lambda item: (order + (item[0],)).index(item[0])))


async def _loaded(ctx: Context, *, whole: bool) -> tuple[dict[str, Any], Doc | None]:
    """The body's fields and the tenant it names (422 with every field's errors)."""
    fields, errors = extension_fields(await read_fields(ctx), whole=whole)
    tenant = None
    if "tenant_id" in fields:
        tenant = await tenant_named(ctx, fields["tenant_id"])
        if tenant is None:
            errors["tenant_id"] = [INVALID_TENANT]
    if errors:
        raise invalid(_errors_in_order(errors))
    return fields, tenant


async def create_extension(ctx: Context, params: Params) -> Answer:
    """POST: user, SIP device, box (with voicemail_enabled), callflow; 201."""
    fields, tenant = await _loaded(ctx, whole=True)
    assert tenant is not None
    scoped = inside(ctx, tenant)
    name, number = fields["display_name"], fields["extension_number"]
    user_id, device_id = new_id(), new_id()
    box_id = new_id() if fields["voicemail_enabled"] else None
    user = with_user_fields({}, fields)
    device = new_device(name, number, user_id, fields["secret"], enabled_by(fields["status"]))
    box = new_box(name, number, user_id, fields["email"]) if box_id else None
    callflow = user_callflow(display_name(user), number, user_id, box_id, None)
    async with extension_refusals():
        validate_parts(
            [
                (USER_DOCS, user),
                (DEVICE_DOCS, device),
                (VMBOX_DOCS, box),
                (CALLFLOW_DOCS, callflow),
            ]
        )
        await require_free(scoped, number, set(), mailbox=box is not None)
        async with all_or_nothing(scoped) as writes:
            saved_user = await writes.save(USER_DOCS, user, create_id=user_id)
            await writes.save(DEVICE_DOCS, device, create_id=device_id)
            if box is not None:
                await writes.save(VMBOX_DOCS, box, create_id=box_id)
            saved_flow = await writes.save(CALLFLOW_DOCS, callflow, create_id=new_id())
    alias = await alias_of(ctx, EXTENSION, user_id)
    view = await shown(scoped, Parts("user", saved_flow, saved_user), alias)
    return answer("Extension created successfully.", view, 201)


async def read_extension(ctx: Context, params: Params) -> Answer:
    """GET one, with its queues and recent calls."""
    scoped, parts, number = await _found(ctx, params)
    view = await shown(scoped, parts, number, details=True)
    return answer("Extension loaded successfully.", view)


async def _changed(ctx: Context, parts: Parts, fields: dict[str, Any]) -> Parts:
    """Write the fields' changes to the user, its secret's device, its box and callflow."""
    user, callflow, box = parts.user, parts.callflow, parts.vmbox
    assert user is not None and parts.number is not None
    old_number, old_email = parts.number, user.get("email")
    number = fields.get("extension_number", old_number)
    moved = number != old_number
    new_user = with_user_fields(content(USER_DOCS, user), fields)
    devices = await owned_devices(ctx, user["id"])
    device = secret_device(devices, old_number)
    new_dev: Doc | None = None
    if device is not None:
        new_dev = with_device_fields(content(DEVICE_DOCS, device), old_number, fields)
    elif "secret" in fields:
        enabled = new_user.get("enabled", True) is not False
        new_dev = new_device(display_name(new_user), number, user["id"], fields["secret"], enabled)
    wants_box = fields.get("voicemail_enabled", box is not None)
    box_id = (box["id"] if box is not None else new_id()) if wants_box else None
    new_vm: Doc | None = None
    if wants_box and box is None:
        new_vm = new_box(display_name(new_user), number, user["id"], new_user.get("email"))
    elif wants_box and box is not None:
        new_vm = with_box_fields(content(VMBOX_DOCS, box), (old_number, old_email), fields)
    new_flow: Doc | None
    if callflow is not None:
        new_flow = edited_callflow(parts, number, box_id, {})
    else:
        new_flow = user_callflow(display_name(new_user), number, user["id"], box_id, None)
    validate_parts(
        [
            (USER_DOCS, new_user),
            (DEVICE_DOCS, new_dev),
            (VMBOX_DOCS, new_vm),
            (CALLFLOW_DOCS, new_flow),
        ]
    )
    if moved or callflow is None or (box is None and new_vm is not None):
        await require_free(ctx, number, parts.own_ids, mailbox=new_vm is not None)
    dropped = box if box is not None and not wants_box else None
    if dropped is not None:
        await refuse_referenced(ctx, [dropped], callflow["id"] if callflow else None)
    async with all_or_nothing(ctx) as writes:
        if new_user != content(USER_DOCS, user):
            user = await writes.save(USER_DOCS, new_user, user)
        if new_dev is not None and (device is None or new_dev != content(DEVICE_DOCS, device)):
            await writes.save(DEVICE_DOCS, new_dev, device, create_id=None if device else new_id())
        if new_vm is not None and (box is None or new_vm != content(VMBOX_DOCS, box)):
            await writes.save(VMBOX_DOCS, new_vm, box, create_id=None if box else box_id)
        if callflow is None or new_flow != content(CALLFLOW_DOCS, callflow):
            made = None if callflow else new_id()
            callflow = await writes.save(CALLFLOW_DOCS, new_flow, callflow, create_id=made)
        if dropped is not None:
            await writes.remove(VMBOX_DOCS, dropped)
    return Parts("user", callflow, user)


async def update_extension(ctx: Context, params: Params) -> Answer:
    """PUT (every required field) or PATCH (any of them): the same handler."""
    scoped, parts, number = await _found(ctx, params)
    fields, tenant = await _loaded(ctx, whole=ctx.verb == "PUT")
    if tenant is not None and tenant["id"] != scoped.account_id:
        raise invalid({"tenant_id": [FIXED_TENANT]})
    async with extension_refusals():
        parts = await _changed(scoped, parts, fields)
    return answer("Extension updated successfully.", await shown(scoped, parts, number))


async def delete_extension(ctx: Context, params: Params) -> Answer:
    """DELETE: every document of the extension, for good (its integer id is never reused)."""
    scoped, parts, _ = await _found(ctx, params)
    async with extension_refusals():
        await remove_extension(scoped, parts)
    return answer("Extension deleted successfully.")

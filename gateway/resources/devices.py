"""Devices: SIP endpoints of an account, also listed per owner under `users/{U}/devices`."""

from __future__ import annotations

from gateway.calls.registrations import live_registrations
from gateway.crossbar.context import Context, Reply
from gateway.crossbar.crud import document_handlers
from gateway.crossbar.documents import BY_ACCOUNT, Doc, Documents, Listing
from gateway.crossbar.errors import BadRequest, invalid
from gateway.crossbar.references import dotted, must_exist
from gateway.crossbar.resource import ID, Resource, Route
from gateway.crossbar.write import load_scoped
from gateway.resources.device_rules import (
    UNIQUE_RULES,
    device_type_change,
    keep_owner,
    mac_address,
    own_device,
    sip_credentials,
)
from gateway.resources.rules import USED_BY_CALLFLOWS, media_references
from schemas.devices import DeviceSchema

DEVICES = "devices"
# Kazoo's crossbar_listing view leaves out keys the document does not have.
OPTIONAL_ROW_KEYS = ("name", "username", "owner_id", "enabled", "mobile", "call_recording")


def device_row(doc: Doc) -> Doc:
    """A row of the devices listing (Kazoo's `devices/crossbar_listing`)."""
    row: Doc = {
        "id": doc["id"],
        "name": doc.get("name"),
        "username": dotted(doc, "sip.username"),
        "mac_address": doc.get("mac_address") or "",
        "owner_id": doc.get("owner_id"),
        "enabled": doc.get("enabled"),
        "device_type": doc.get("device_type") or "sip_device",
        "mobile": doc.get("mobile"),
        "call_recording": doc.get("call_recording"),
        "flags": doc.get("flags") or [],
    }
    return {k: v for k, v in row.items() if v is not None or k not in OPTIONAL_ROW_KEYS}


def _owner_scope(doc: Doc) -> str | None:
    owner = doc.get("owner_id")
    return f"{doc.get('pvt_account_id')}/{owner}" if isinstance(owner, str) else None


BY_OWNER = Listing("pvt_by_owner", _owner_scope)


def device_scope(ctx: Context) -> tuple[Listing, str]:
    """The account's devices; under `users/{U}` only those U owns."""
    if "users" in ctx.parents:
        return BY_OWNER, f"{ctx.path_account_id}/{ctx.parents['users'][0]}"
    return BY_ACCOUNT, ctx.path_account_id


DEVICE_DOCS = Documents(
    kind=DEVICES,
    schema=DeviceSchema,
    row=device_row,
    # Kazoo's listing view is keyed by the document id alone.
    sort_value=lambda doc: "",
    unique=UNIQUE_RULES,
    before_save=(
        must_exist("owner_id", "users", "User"),
        keep_owner,
        device_type_change,
        sip_credentials,
        mac_address,
        media_references("music_on_hold.media_id"),
    ),
    before_delete=(USED_BY_CALLFLOWS,),
    listings=(BY_ACCOUNT, BY_OWNER),
)


async def device_status(ctx: Context) -> Reply:
    """Registered devices of the account, from the registrations the intake reported."""
    found = await live_registrations(ctx.store, ctx.path_account_id, ctx.settings.unpaginated_max)
    devices = {
        doc["authorizing_id"]: None
        for doc in found
        if doc.get("authorizing_type") == "device" and doc.get("authorizing_id")
    }
    return Reply([{"device_id": device_id, "registered": True} for device_id in devices])


async def device_action(ctx: Context) -> Reply:
    """`PUT devices/{D}` with `{"action": "notify", "data": {"event": ...}}`: acknowledge it."""
    await load_scoped(ctx, DEVICE_DOCS, ctx.args[0])
    action = ctx.param("action")
    if action is None:
        raise BadRequest({}, message="action required")
    if action != "notify":
        raise BadRequest({}, message="invalid action")
    body = ctx.data if isinstance(ctx.data, dict) else {}
    data = body.get("data")
    if not isinstance(data, dict):
        raise invalid("data", "required", "Field is required but missing", value="data")
    if not isinstance(data.get("event"), str):
        raise invalid("data.event", "required", "Field is required but missing", value="event")
    return Reply("NOTIFY sent", status=201)


async def device_sync(ctx: Context) -> Reply:
    """`POST devices/{D}/sync`: ask the phone to re-read its configuration."""
    await load_scoped(ctx, DEVICE_DOCS, ctx.args[0])
    return Reply("sync request sent")


async def device_exists(ctx: Context, args: tuple[str, ...]) -> None:
    """`devices/{D}/...`: D is a device of this account (404 bad_identifier otherwise)."""
    await load_scoped(ctx, DEVICE_DOCS, args[0])


_HANDLERS = document_handlers(DEVICE_DOCS, device_scope)

DEVICES_RESOURCE = Resource(
    name=DEVICES,
    routes=(
        Route((), {"GET": _HANDLERS["0:GET"], "PUT": _HANDLERS["0:PUT"]}),
        Route(
            (ID,),
            {
                "GET": _HANDLERS["1:GET"],
                "POST": _HANDLERS["1:POST"],
                "PATCH": _HANDLERS["1:PATCH"],
                "PUT": device_action,
                "DELETE": _HANDLERS["1:DELETE"],
            },
        ),
        Route(("status",), {"GET": device_status}),
        Route((ID, "sync"), {"POST": device_sync}),
    ),
    parents=frozenset({"users"}),
    check_args=device_exists,
    indexes=DEVICE_DOCS.indexes(),
    schema=DeviceSchema,
    documents=DEVICE_DOCS,
    user_may_write=own_device,
)

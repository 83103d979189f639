"""An extension as /api shows it, with its registered devices, its queues and its calls.

The SIP password (`secret`) is never shown.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from gateway.calls.cdrs import BY_OWNER as CDRS_BY_OWNER
from gateway.calls.cdrs import CDRS
from gateway.calls.registrations import EXPIRES_AT, live_registrations
from gateway.crossbar.clock import iso_time
from gateway.crossbar.context import Context
from gateway.crossbar.documents import BY_ACCOUNT, Doc, Listing
from gateway.extensions.parts import display_name, number_of, voicemail_id
from gateway.resources.devices import DEVICES
from gateway.resources.queues import AGENTS, QUEUES

# Kazi's free-text status, kept on the user beside Kazoo's `enabled`.
STATUS = "kazi_status"
ACTIVE = "active"
RECENT_CDRS = 20


def enabled_by(status: str) -> bool:
    """Only an `active` extension takes calls and registrations."""
    return status.lower() == ACTIVE


def status_of(user: Doc) -> str:
    """The status set through /api while `enabled` still agrees with it, else `enabled`'s."""
    enabled = user.get("enabled", True) is not False
    label = user.get(STATUS)
    if isinstance(label, str) and enabled_by(label) == enabled:
        return label
    return ACTIVE if enabled else "disabled"


def extension_view(
    user: Doc, callflow: Doc | None, number: int, tenant: Doc, devices: list[Doc]
) -> Doc:
    """A user extension as a Kazi extension."""
    return {
        "id": number,
        "user_id": user["id"],
        "tenant_id": tenant["id"],
        "extension_number": number_of(user),
        "display_name": display_name(user),
        "email": user.get("email"),
        "status": status_of(user),
        "voicemail_enabled": voicemail_id(callflow) is not None,
        "created_at": iso_time(user.get("pvt_created")),
        "updated_at": iso_time(user.get("pvt_modified")),
        "tenant": tenant,
        "devices": devices,
    }


def _iso(moment: Any) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if isinstance(moment, datetime) else None


def _device_row(registration: Doc, device: Doc | None) -> Doc:
    return {
        "id": device["id"] if device else None,
        "name": device.get("name") if device else None,
        "user_agent": registration.get("user_agent"),
        "contact": registration.get("contact"),
        "ip_address": registration.get("contact_ip"),
        "port": registration.get("contact_port"),
        "expires_at": _iso(registration.get(EXPIRES_AT)),
    }


async def registered_devices(ctx: Context, tenant_ids: list[str]) -> dict[str, list[Doc]]:
    """The registered devices of each user of the tenants, by user id: one registrations range
    per tenant, then the devices they name (one read by id)."""
    limit = ctx.settings.unpaginated_max
    registrations = [
        doc
        for tenant in sorted(set(tenant_ids))
        for doc in await live_registrations(ctx.store, tenant, limit)
    ]
    wanted = sorted(
        {
            str(doc["authorizing_id"])
            for doc in registrations
            if doc.get("authorizing_type") == "device" and doc.get("authorizing_id")
        }
    )
    devices = (
        {doc["id"]: doc for doc in await ctx.store.find(DEVICES, {"id": {"$in": wanted}})}
        if wanted
        else {}
    )
    by_user: dict[str, list[Doc]] = defaultdict(list)
    for registration in registrations:
        device = devices.get(str(registration.get("authorizing_id")))
        if device is not None and device.get("pvt_account_id") != registration["pvt_account_id"]:
            device = None
        owner = (device or {}).get("owner_id") or registration.get("owner_id")
        if owner:
            by_user[str(owner)].append(_device_row(registration, device))
    return by_user


async def queue_agents(ctx: Context, user: Doc, number: int) -> list[Doc]:
    """The queues of the user's account whose roster lists the user (one range)."""
    scope = {BY_ACCOUNT.field: Listing.bounds(str(user["pvt_account_id"])), AGENTS: user["id"]}
    found = await ctx.store.find(QUEUES, scope, limit=ctx.settings.unpaginated_max)
    return [
        {"queue_id": queue["id"], "queue_name": queue.get("name"), "extension_id": number}
        for queue in found
    ]


def _cdr_row(doc: Doc) -> Doc:
    return {
        "id": doc["id"],
        "call_id": doc.get("call_id"),
        "direction": doc.get("call_direction"),
        "from": doc.get("caller_id_number"),
        "to": doc.get("callee_id_number"),
        "duration_seconds": doc.get("duration_seconds"),
        "billing_seconds": doc.get("billing_seconds"),
        "hangup_cause": doc.get("hangup_cause"),
        "started_at": iso_time(doc.get("timestamp")),
    }


async def recent_cdrs(ctx: Context, user: Doc) -> list[Doc]:
    """The user's latest call records, newest first (one range, at most RECENT_CDRS)."""
    scope = f"{user['pvt_account_id']}/{user['id']}"
    found = await ctx.store.find(
        CDRS,
        {CDRS_BY_OWNER.field: Listing.bounds(scope)},
        sort=CDRS_BY_OWNER.field,
        descending=True,
        limit=RECENT_CDRS,
    )
    return [_cdr_row(doc) for doc in found]

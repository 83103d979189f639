"""Presence: what a user's or a device's line looks like, derived from live state.

In order: `dnd` (the user's do_not_disturb), a state set by hand (until reset), `busy` (a live
channel), `available` (a live registration), else `offline`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gateway.calls.channels import LIVE_IN_ACCOUNT, live_channels
from gateway.calls.registrations import live_registrations
from gateway.crossbar.documents import BY_ACCOUNT, Listing
from gateway.store import Store

PRESENCE = "presence"
INDEXES = (BY_ACCOUNT.index(PRESENCE),)
MANUAL_STATES = ("away", "busy", "dnd", "available", "offline")


def manual_id(account_id: str, kind: str, target_id: str) -> str:
    """The id of a state set by hand on a user or a device."""
    return f"{account_id}:{kind}:{target_id}"


@dataclass
class LiveState:
    """An account's registrations and channels, by who they belong to."""

    registered_devices: set[str] = field(default_factory=set)
    registered_owners: set[str] = field(default_factory=set)
    busy_devices: set[str] = field(default_factory=set)
    busy_owners: set[str] = field(default_factory=set)


async def live_state(store: Store, account_id: str, limit: int) -> LiveState:
    """Two queries: the account's live registrations and channels."""
    state = LiveState()
    for doc in await live_registrations(store, account_id, limit):
        _mark(doc, state.registered_devices, state.registered_owners)
    for doc in await live_channels(store, LIVE_IN_ACCOUNT, account_id, limit):
        _mark(doc, state.busy_devices, state.busy_owners)
    return state


def _mark(doc: dict[str, Any], devices: set[str], owners: set[str]) -> None:
    if doc.get("authorizing_type") == "device" and doc.get("authorizing_id"):
        devices.add(str(doc["authorizing_id"]))
    if doc.get("owner_id"):
        owners.add(str(doc["owner_id"]))


def user_state(
    user: dict[str, Any], device_ids: set[str], live: LiveState, manual: str | None
) -> str:
    """A user's presence from its document, its devices, the live state and a manual state."""
    if (user.get("do_not_disturb") or {}).get("enabled"):
        return "dnd"
    if manual:
        return manual
    if user["id"] in live.busy_owners or device_ids & live.busy_devices:
        return "busy"
    if user["id"] in live.registered_owners or device_ids & live.registered_devices:
        return "available"
    return "offline"


def device_state(device: dict[str, Any], live: LiveState, manual: str | None) -> str:
    """A device's presence."""
    if manual:
        return manual
    if device["id"] in live.busy_devices:
        return "busy"
    return "available" if device["id"] in live.registered_devices else "offline"


async def manual_state(store: Store, account_id: str, kind: str, target_id: str) -> str | None:
    """The state set by hand, if any."""
    doc = await store.get(PRESENCE, manual_id(account_id, kind, target_id))
    return str(doc["state"]) if doc else None


async def set_manual(store: Store, account_id: str, kind: str, target_id: str, state: str) -> None:
    """Set a state by hand."""
    doc: dict[str, Any] = {
        "id": manual_id(account_id, kind, target_id),
        "state": state,
        "pvt_account_id": account_id,
    }
    doc[BY_ACCOUNT.field] = BY_ACCOUNT.key(doc, doc["id"])
    await store.upsert(PRESENCE, doc)


async def manual_states(store: Store, account_id: str, limit: int) -> dict[str, str]:
    """Every state set by hand in the account, by manual_id."""
    found = await store.find(PRESENCE, {BY_ACCOUNT.field: Listing.bounds(account_id)}, limit=limit)
    return {doc["id"]: str(doc["state"]) for doc in found}


async def reset_manual(store: Store, account_id: str, kind: str, target_id: str) -> None:
    """Go back to the derived state."""
    await store.delete(PRESENCE, manual_id(account_id, kind, target_id))

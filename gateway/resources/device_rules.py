"""Device save rules: SIP credentials per realm, MAC addresses, type changes, ownership."""

from __future__ import annotations

import re
from typing import Any

from gateway.crossbar.context import Context
from gateway.crossbar.documents import Doc, UniqueRule
from gateway.crossbar.errors import Forbidden, invalid
from gateway.crossbar.references import dotted

SIP_IN_USE = "SIP credentials already in use"
_NOT_HEX = re.compile(r"[^0-9a-f]")


def sip_username_cause(doc: Doc) -> Any:
    """The SIP username as the client sent it."""
    return dotted(doc, "sip.username")


UNIQUE_RULES = (
    UniqueRule(
        "devices_sip_realm",
        "sip.username",
        SIP_IN_USE,
        ("pvt_sip_username",),
        scope=("pvt_sip_realm",),
        cause=sip_username_cause,
    ),
    UniqueRule(
        "devices_sip_account",
        "sip.username",
        SIP_IN_USE,
        ("pvt_sip_username",),
        cause=sip_username_cause,
    ),
    UniqueRule(
        "devices_mac_address",
        "mac_address",
        "MAC address already in use",
        ("pvt_mac_address",),
        cause=lambda doc: doc.get("mac_address"),
    ),
)


async def account_realm(ctx: Context) -> str | None:
    """The realm of the request's account."""
    account = ctx.account
    if account is None and ctx.account_id is not None:
        account = await ctx.store.get("accounts", ctx.account_id)
    realm = (account or {}).get("realm")
    return realm if isinstance(realm, str) else None


async def sip_credentials(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """Index the SIP username per realm (the device's, else the account's), case-insensitively."""
    sip = doc.get("sip") or {}
    realm = await account_realm(ctx)
    # Kazoo: a sip.realm equal to the account's realm is dropped from the stored device.
    if realm is not None and sip.get("realm") == realm:
        del sip["realm"]
    username = sip.get("username")
    if not isinstance(username, str):
        doc["pvt_sip_username"] = doc["pvt_sip_realm"] = None
        return doc
    doc["pvt_sip_username"] = username.lower()
    doc["pvt_sip_realm"] = (sip.get("realm") or realm or "").lower()
    return doc


def normalize_mac(mac: str) -> str:
    """Kazoo's cleansed MAC address: lower-case hex digits only."""
    return _NOT_HEX.sub("", mac.lower())


async def mac_address(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """Store the MAC address normalised; index it when there is one."""
    mac = doc.get("mac_address")
    if isinstance(mac, str):
        doc["mac_address"] = normalize_mac(mac)
    doc["pvt_mac_address"] = doc.get("mac_address") or None
    return doc


async def device_type_change(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """Only a super-duper admin may change `device_type` after creation."""
    identity = ctx.identity
    if old is None or identity is None or identity.superduper:
        return doc
    new = doc.get("device_type")
    if new != old.get("device_type"):
        raise invalid(
            "device_type",
            "invalid",
            "Not authorized to change type of device",
            cause="" if new is None else new,
        )
    return doc


async def keep_owner(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """A `user` login may not hand its device to someone else."""
    identity = ctx.identity
    if (
        old is None
        or identity is None
        or identity.priv_level == "admin"
        or ctx.settings.permissive_priv_levels
    ):
        return doc
    if doc.get("owner_id") != old.get("owner_id"):
        raise Forbidden()
    return doc


async def own_device(ctx: Context) -> bool:
    """A `user` login may POST/PATCH (and sync) only a device it owns; nothing else."""
    identity = ctx.identity
    args = ctx.args
    if identity is None or identity.owner_id is None or ctx.verb not in ("POST", "PATCH"):
        return False
    if not args or args[1:] not in ((), ("sync",)):
        return False
    doc = await ctx.store.get("devices", args[0])
    if doc is None or doc.get("pvt_account_id") != ctx.account_id:
        return True  # the handler answers 404 bad_identifier
    return bool(doc.get("owner_id") == identity.owner_id)

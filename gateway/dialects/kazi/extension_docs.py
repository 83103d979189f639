"""The Kazoo documents behind a Kazi extension's fields: the user (name, number, email,
status), its SIP device (the extension number as user name, `secret` as password), its box
(mailbox = number, voicemail-to-email to `email`) and its callflow."""

from __future__ import annotations

import copy
from typing import Any

from gateway.crossbar.documents import Doc
from gateway.dialects.kazi.extension_view import STATUS, enabled_by
from gateway.extensions.callflows import split_name
from gateway.extensions.parts import display_name

SIP_DEVICE = "sip_device"


def with_user_fields(doc: Doc, fields: dict[str, Any]) -> Doc:
    """A user's content with the extension's fields applied."""
    user = copy.deepcopy(doc)
    if "display_name" in fields:
        user["first_name"], user["last_name"] = split_name(fields["display_name"])
    if "extension_number" in fields:
        user["presence_id"] = fields["extension_number"]
    if "display_name" in fields or "extension_number" in fields:
        caller_id = dict(user.get("caller_id") or {})
        caller_id["internal"] = {"name": display_name(user)[:35], "number": user["presence_id"]}
        user["caller_id"] = caller_id
    if "email" in fields:
        if fields["email"] is None:
            user.pop("email", None)
        else:
            user["email"] = fields["email"]
    if "status" in fields:
        user[STATUS] = fields["status"]
        user["enabled"] = enabled_by(fields["status"])
    return user


def new_device(name: str, number: str, owner_id: str, secret: str, enabled: bool) -> Doc:
    """The extension's SIP device."""
    return {
        "name": f"{name} phone"[:128],
        "device_type": SIP_DEVICE,
        "owner_id": owner_id,
        "enabled": enabled,
        "sip": {"username": number, "password": secret},
    }


def with_device_fields(doc: Doc, old_number: str | None, fields: dict[str, Any]) -> Doc:
    """A device's content with the extension's secret, status and number applied (the SIP
    user name follows the number while it was the number)."""
    device = copy.deepcopy(doc)
    sip = dict(device.get("sip") or {})
    if "secret" in fields:
        sip["password"] = fields["secret"]
    number = fields.get("extension_number")
    if number is not None and sip.get("username") == old_number:
        sip["username"] = number
    device["sip"] = sip
    if "status" in fields:
        device["enabled"] = enabled_by(fields["status"])
    return device


def new_box(name: str, number: str, owner_id: str, email: str | None) -> Doc:
    """The extension's voicemail box."""
    return {
        "name": f"{name} voicemail"[:128],
        "mailbox": number,
        "owner_id": owner_id,
        "notify_email_addresses": [email] if email else [],
    }


def with_box_fields(doc: Doc, old: tuple[str | None, str | None], fields: dict[str, Any]) -> Doc:
    """A box's content with the number moved (while it was the mailbox) and the email
    replaced in its voicemail-to-email list; `old` is the number and email before."""
    box = copy.deepcopy(doc)
    old_number, old_email = old
    number = fields.get("extension_number")
    if number is not None and box.get("mailbox") == old_number:
        box["mailbox"] = number
    if "email" in fields:
        kept = [addr for addr in box.get("notify_email_addresses") or [] if addr != old_email]
        box["notify_email_addresses"] = kept + ([fields["email"]] if fields["email"] else [])
    return box


def secret_device(devices: list[Doc], number: str | None) -> Doc | None:
    """The device carrying the extension's secret: the SIP device named by its number, else
    its first SIP device."""
    sip = [doc for doc in devices if (doc.get("device_type") or SIP_DEVICE) == SIP_DEVICE]
    named = [doc for doc in sip if (doc.get("sip") or {}).get("username") == number]
    found = named or sip
    return found[0] if found else None

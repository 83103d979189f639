"""`/v1/pbx/phones`: the SIP phones registered now, from the live registrations the intake
keeps (the same documents as `/v2/accounts/{A}/registrations`)."""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from datetime import datetime
from typing import Any

from gateway.calls.registrations import EXPIRES_AT, REGISTRATIONS, live_registrations, now
from gateway.crossbar.clock import iso_time
from gateway.crossbar.documents import BY_ACCOUNT, Doc, Listing
from gateway.crossbar.listing import key_range
from gateway.crossbar.pagination import encode_key
from gateway.dialects.dodev.endpoint import Answer, Call, Endpoint
from gateway.dialects.dodev.ids import EXTENSION, PHONE
from gateway.dialects.dodev.pages import page_request

_OWNER_ID = re.compile(r"[0-9a-f]{32}")
# The host of a contact URI: `sip:1001@192.0.2.10:5060;transport=udp`, `<sip:1001@[2001:db8::1]>`.
_CONTACT_HOST = re.compile(r"@(\[[0-9A-Fa-f:.]+\]|[^:;>\s]+)")
# A user agent's family: its leading letters (`Yealink SIP-T46S 66.86` -> `yealink`).
_FAMILY = re.compile(r"[A-Za-z]+")
UNKNOWN = "unknown"


def _ip(doc: Doc) -> str | None:
    """The address the phone registered from: as reported, else its contact's host if an IP."""
    reported = doc.get("contact_ip") or doc.get("network_ip")
    if isinstance(reported, str) and reported:
        return reported
    found = _CONTACT_HOST.search(str(doc.get("contact") or ""))
    if found is None:
        return None
    host = found.group(1).strip("[]")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


def _expiry(doc: Doc) -> str | None:
    moment = doc.get(EXPIRES_AT)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if isinstance(moment, datetime) else None


def extension_of(doc: Doc) -> str | None:
    """The extension (its user) the phone's device belongs to, as the switch reported it."""
    owner = doc.get("owner_id")
    if isinstance(owner, str) and _OWNER_ID.fullmatch(owner):
        return EXTENSION.public(owner)
    return None


def family_of(user_agent: Any) -> str:
    """`Yealink SIP-T46S 66.86.0.15` -> `yealink`; `unknown` when there is none."""
    found = _FAMILY.match(user_agent) if isinstance(user_agent, str) else None
    return found.group(0).lower() if found else UNKNOWN


def phone_of(doc: Doc) -> Doc:
    """A registration as this dialect shows it."""
    device = doc.get("authorizing_id") if doc.get("authorizing_type") == "device" else None
    return {
        # The registration is one per account, user name and realm: `phone_<user>@<realm>`.
        "id": PHONE.public(doc["id"].split(":", 1)[-1]),
        "extensionId": extension_of(doc),
        "deviceId": device,
        "username": doc.get("username"),
        "realm": doc.get("realm"),
        "userAgent": doc.get("user_agent"),
        "contact": doc.get("contact"),
        "ip": _ip(doc),
        "registeredAt": iso_time(doc.get("event_timestamp")),
        "expiresAt": _expiry(doc),
    }


async def list_phones(call: Call) -> Answer:
    """GET: a page of the unexpired registrations, one indexed range (the TTL sweep may lag,
    so the expiry is compared too)."""
    limit, cursor = page_request(call)
    scope = call.account_id
    query = {BY_ACCOUNT.field: key_range(scope, cursor, False), EXPIRES_AT: {"$gt": now()}}
    found = await call.ctx.store.find(REGISTRATIONS, query, sort=BY_ACCOUNT.field, limit=limit + 1)
    next_cursor = None
    if len(found) > limit:
        next_cursor = encode_key(found[limit][BY_ACCOUNT.field][len(Listing.prefix(scope)) :])
    return Answer({"phones": [phone_of(doc) for doc in found[:limit]], "nextCursor": next_cursor})


async def phone_stats(call: Call) -> Answer:
    """GET stats: one read of the account's live registrations (at most
    GATEWAY_UNPAGINATED_MAX), counted by user agent family and by extension."""
    found = await live_registrations(
        call.ctx.store, call.account_id, call.ctx.settings.unpaginated_max
    )
    families = Counter(family_of(doc.get("user_agent")) for doc in found)
    owners = [extension_of(doc) for doc in found]
    extensions = Counter(owner for owner in owners if owner is not None)
    return Answer(
        {
            "registered": len(found),
            "byUserAgent": dict(sorted(families.items())),
            "byExtension": dict(sorted(extensions.items())),
            "withoutExtension": owners.count(None),
        }
    )


ENDPOINTS = (
    Endpoint("GET", "phones", "pbx:phones:read", list_phones),
    Endpoint("GET", "phones/stats", "pbx:phones:read", phone_stats),
)

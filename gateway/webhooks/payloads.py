"""What Kazoo's hooks send, built from our events: object, channel and notification payloads.

Keys and values are Kazoo's; a key our event has no value for is left out, never guessed.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Mapping
from typing import Any

from gateway.crossbar.clock import GREGORIAN_OFFSET
from gateway.events.outbox import DOCUMENT
from gateway.events.stream import Event
from gateway.webhooks.available import AVAILABLE as AVAILABLE  # served from here too
from gateway.webhooks.samples import EXAMPLE_EVENTS

Payload = dict[str, Any]
ALL = "all"
OBJECT = "object"
NOTIFICATIONS = "notifications"
# Kazoo's `pvt_type` of each kind its object hook reports. Phone numbers and webhooks are
# absent: Kazoo keeps them outside account databases, so their changes name no account.
KAZOO_TYPE = {
    "accounts": "account",
    "api_keys": "api_key",
    "apps": "app",
    "apps_store": "apps_store",
    "blacklists": "blacklist",
    "callflows": "callflow",
    "conferences": "conference",
    "configs": "account_config",
    "connectivity": "sys_info",
    "devices": "device",
    "directories": "directory",
    "faxboxes": "faxbox",
    "groups": "group",
    "limits": "limits",
    "media": "media",
    "menus": "menu",
    "queues": "queue",
    "recordings": "call_recording",
    "resources": "resource",
    "sms": "sms",
    "temporal_rules": "temporal_rule",
    "temporal_rules_sets": "temporal_rule_set",
    "users": "user",
    "vm_messages": "mailbox_message",
    "vmboxes": "vmbox",
    "whitelabel": "whitelabel",
}
CHANNEL_HOOKS = {
    "create": "channel_create",
    "answer": "channel_answer",
    "bridge": "channel_bridge",
    "destroy": "channel_destroy",
}
# Kazoo's channel payload key -> the field of our channel event that carries it.
_CHANNEL_FIELDS = {
    "account_id": "account_id",
    "authorizing_id": "authorizing_id",
    "authorizing_type": "authorizing_type",
    "call_direction": "direction",
    "call_id": "call_id",
    "callee_id_name": "callee_id_name",
    "callee_id_number": "callee_id_number",
    "caller_id_name": "caller_id_name",
    "caller_id_number": "caller_id_number",
    "other_leg_call_id": "other_leg",
    "owner_id": "owner_id",
}
# Kazoo's channel keys our schema lacks, passed on when an adapter reports them by that name.
_CHANNEL_EXTRAS = (
    "call_forwarded",
    "custom_application_vars",
    "custom_channel_vars",
    "emergency_resource_used",
    "from",
    "inception",
    "is_internal_leg",
    "local_resource_id",
    "local_resource_used",
    "request",
    "reseller_id",
    "to",
)
_HOOK_EXTRAS = {
    "channel_bridge": ("original_number", "other_leg_destination_number"),
    "channel_destroy": (
        "hangup_cause",
        "hangup_code",
        "duration_seconds",
        "ringing_seconds",
        "billing_seconds",
    ),
}
# The keys of Kazoo's register and deregister notifications, besides the account and time.
_PHONE_KEYS = (
    "authorizing_id",
    "call_id",
    "contact",
    "from_host",
    "from_user",
    "network_ip",
    "network_port",
    "realm",
    "suppress_unregister_notify",
    "to_host",
    "to_user",
    "user_agent",
    "username",
)
_REGISTER_KEYS = (*_PHONE_KEYS, "authorizing_type", "expires", "owner_id")
_DEREGISTER_KEYS = (
    *_PHONE_KEYS,
    "freeswitch_hostname",
    "presence_hosts",
    "profile_name",
    "rpid",
    "status",
)
_VOICEMAIL_KEYS = (
    "call_id",
    "caller_id_name",
    "caller_id_number",
    "from_realm",
    "from_user",
    "to_realm",
    "to_user",
    "voicemail_transcription",
)

# A channel that ended with one of these was never answered.
UNANSWERED = frozenset({"NO_ANSWER", "ORIGINATOR_CANCEL", "NO_USER_RESPONSE"})
_MISSED_KEYS = (
    "call_id",
    "caller_id_name",
    "caller_id_number",
    "from_realm",
    "from_user",
    "to",
    "to_realm",
    "to_user",
)


def gregorian(at: float) -> int:
    """An event's time in Kazoo's Gregorian seconds."""
    return int(at) + GREGORIAN_OFFSET


def _picked(data: Mapping[str, Any], keys: Iterable[str]) -> Payload:
    return {key: data[key] for key in keys if data.get(key) is not None}


def _allows(custom_data: Mapping[str, Any] | None, key: str, value: Any) -> bool:
    """Kazoo's filter: the wanted value, or `all`; unset (Kazoo always sets it) is `all`."""
    wanted = (custom_data or {}).get(key)
    return not wanted or wanted in (ALL, value)


def object_payload(event: Event) -> Payload:
    """Kazoo's object hook payload for a document event of a kind in KAZOO_TYPE."""
    return {
        "id": event["doc_id"],
        "account_id": event["account_id"],
        "action": f"doc_{event['action']}",
        "type": KAZOO_TYPE[event["type"]],
    }


def object_matches(event: Event, custom_data: Mapping[str, Any] | None) -> bool:
    """Whether an object hook's `custom_data` (`type`, `action`) lets this event through."""
    if event.get("source") != DOCUMENT or event.get("type") not in KAZOO_TYPE:
        return False
    payload = object_payload(event)
    return _allows(custom_data, "type", payload["type"]) and _allows(
        custom_data, "action", payload["action"]
    )


def channel_payload(event: Event) -> Payload:
    """Kazoo's channel hook payload (`hook_event` channel_create|answer|bridge|destroy)."""
    data = event["data"]
    hook = CHANNEL_HOOKS[event["action"]]
    payload = {key: data[ours] for key, ours in _CHANNEL_FIELDS.items() if data.get(ours)}
    payload.update(_picked(data, (*_CHANNEL_EXTRAS, *_HOOK_EXTRAS.get(hook, ()))))
    payload.update(hook_event=hook, timestamp=gregorian(event["at"]))
    return payload


def _notification(name: str, event: Event) -> Payload:
    account_id = event["account_id"]
    return {
        "event_category": "notification",
        "event_name": name,
        "account_id": account_id,
        "account_db": f"account%2F{account_id[:2]}%2F{account_id[2:4]}%2F{account_id[4:]}",
    }


def _voicemail_id(event: Event) -> str:
    """The id the intake gives the message: its month, and a digest of the event's id."""
    digest = hashlib.sha256(event["event_id"].encode()).hexdigest()[:32]
    return f"{time.strftime('%Y%m', time.gmtime(event['at']))}-{digest}"


def _voicemail_new(event: Event) -> Payload:
    data = event["data"]
    payload = _notification("voicemail_new", event)
    payload.update(
        voicemail_box=data["vmbox_id"],
        voicemail_id=_voicemail_id(event),
        voicemail_timestamp=gregorian(event["at"]),
        **_picked(data, _VOICEMAIL_KEYS),
    )
    if data.get("length") is not None:
        payload["voicemail_length"] = data["length"]
    return payload


def _registration(event: Event) -> list[Payload]:
    """Kazoo's registrar: `deregister` when a phone goes, `register` when a new one comes."""
    # Kazoo skips refreshes: only a phone not registered before is `register`ed, which only
    # the reporter knows (Kazoo's own `first_registration` flag).
    data = event["data"]
    stamp = {"event_timestamp": gregorian(event["at"])}
    if event["action"] == "unregister" or data.get("expires") == 0:
        if data.get("suppress_unregister_notify") is True:
            return []
        payload = _notification("deregister", event)
        return [{**payload, **_picked(data, _DEREGISTER_KEYS), **stamp, "expires": 0}]
    if data.get("first_registration") is not True:
        return []
    return [{**_notification("register", event), **_picked(data, _REGISTER_KEYS), **stamp}]


def notification_payloads(event: Event) -> list[Payload]:
    """The payloads Kazoo's notifications hook would send for an intake event (maybe none)."""
    if event.get("source") == DOCUMENT:
        return []
    if event["type"] == "voicemail":
        return [_voicemail_new(event)]
    if event["type"] == "registration":
        return _registration(event)
    if event["type"] == "channel":
        return _missed_call(event)
    return []


def _missed_call(event: Event) -> list[Payload]:
    """Kazoo's `missed_call`: an inbound call that ended unanswered, with no message left.

    Kazoo decides it in the callflow; here the switch's hang-up cause tells (an adapter may say
    `call_bridged` or `message_left` itself).
    """
    data = event["data"]
    if event["action"] != "destroy" or data.get("direction") != "inbound":
        return []
    if data.get("call_bridged") or data.get("message_left"):
        return []
    if data.get("hangup_cause") not in UNANSWERED:
        return []
    payload = _notification("missed_call", event)
    payload.update(call_bridged=False, message_left=False, timestamp=gregorian(event["at"]))
    payload.update(_picked(data, _MISSED_KEYS))
    return [payload]


def notification_matches(
    payload: Mapping[str, Any], custom_data: Mapping[str, Any] | None
) -> bool:
    """Whether a notifications hook's `custom_data.type` lets this notification through."""
    return _allows(custom_data, "type", payload.get("event_name"))


def hooks_for(event: Event) -> list[tuple[str, Payload]]:
    """Each hook the event feeds, with its payload; a hook on `all` gets every one of them."""
    if event.get("source") == DOCUMENT:
        if event.get("account_id") and event["type"] in KAZOO_TYPE:
            return [(OBJECT, object_payload(event))]
        return []
    if event["type"] == "channel" and event["action"] in CHANNEL_HOOKS:
        hooks = [(CHANNEL_HOOKS[event["action"]], channel_payload(event))]
        return hooks + [(NOTIFICATIONS, payload) for payload in notification_payloads(event)]
    return [(NOTIFICATIONS, payload) for payload in notification_payloads(event)]


# Kazoo names its samples after its hook modules: `webhooks_<hook>`.
SAMPLES: dict[str, list[Payload]] = {
    f"webhooks_{hook}": [
        payload for event in events for name, payload in hooks_for(event) if name == hook
    ]
    for hook, events in EXAMPLE_EVENTS.items()
}


def samples_for(hook: str) -> list[Payload]:
    """The sample payloads of a hook by its short name (`channel_create`); none for `all`."""
    return SAMPLES.get(f"webhooks_{hook}", [])

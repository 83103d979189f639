"""Kazoo's hook payloads from our events, the available-hooks rows, and the samples."""

from __future__ import annotations

import sys
import time
from typing import Any

import gateway.resources  # noqa: F401  (every Documents kind, loaded)
from gateway.crossbar.documents import Documents
from gateway.resources.vm_intake import message_id
from gateway.webhooks.available import AVAILABLE, OBJECT_TYPES, SUPER_ADMIN_ONLY, available_hooks
from gateway.webhooks.payloads import (
    CHANNEL_HOOKS,
    KAZOO_TYPE,
    SAMPLES,
    channel_payload,
    gregorian,
    hooks_for,
    notification_matches,
    notification_payloads,
    object_matches,
    object_payload,
    samples_for,
)

Event = dict[str, Any]
ACCOUNT = "0123456789abcdef0123456789abcdef"
AT = 1764780000.5


def doc_event(kind: str = "users", action: str = "created", **extra: Any) -> Event:
    event = {
        "id": "f" * 32,
        "seq": 12,
        "at": AT,
        "source": "document",
        "type": kind,
        "action": action,
        "account_id": ACCOUNT,
        "doc_id": "d" * 32,
        "rev": None if action == "deleted" else "2-abc",
    }
    return {**event, **extra}


def intake_event(kind: str, **data: Any) -> Event:
    return {
        "id": f"intake:ev-{kind}",
        "seq": 13,
        "at": AT,
        "source": "intake",
        "type": kind,
        "action": data.get("action", kind),
        "account_id": ACCOUNT,
        "event_id": f"ev-{kind}",
        "data": {"account_id": ACCOUNT, **data},
    }


def channel(action: str, **data: Any) -> Event:
    return intake_event("channel", action=action, call_id="call-1", **data)


def registration(action: str = "register", **data: Any) -> Event:
    base = {"username": "u1", "realm": "r.example.com", "expires": 300}
    return intake_event("registration", action=action, **{**base, **data})


def voicemail(**data: Any) -> Event:
    base = {"vmbox_id": "b" * 32, "length": 5230, "content_type": "audio/mpeg"}
    return intake_event("voicemail", **{**base, **data})


def test_available_rows_are_kazoos_hooks_in_name_order() -> None:
    assert [row["id"] for row in AVAILABLE] == [
        "channel_answer",
        "channel_bridge",
        "channel_create",
        "channel_destroy",
        "notifications",
        "object",
    ]
    assert [row["name"] for row in AVAILABLE] == sorted(row["name"] for row in AVAILABLE)
    assert all(set(row) <= {"id", "name", "description", "modifiers"} for row in AVAILABLE)
    assert all("modifiers" not in row for row in AVAILABLE[:4])


def test_object_row_lists_types_and_actions_after_all() -> None:
    modifiers = AVAILABLE[-1]["modifiers"]
    assert modifiers["type"] == {
        "type": "array",
        "description": "Object types this hook should handle.",
        "items": ["all", *OBJECT_TYPES],
    }
    assert modifiers["action"]["items"] == ["all", "doc_created", "doc_edited", "doc_deleted"]


def test_notification_types_hide_admin_only_ones_but_from_super_admins() -> None:
    items = AVAILABLE[4]["modifiers"]["type"]["items"]
    assert items["voicemail_new"] == {
        "friendly_name": "New Voicemail Message",
        "description": "Fires when a new voicemail message is left in a box.",
    }
    assert {"all", "register", "deregister", "missed_call"} <= set(items)
    assert not set(SUPER_ADMIN_ONLY) & set(items)
    assert list(items) == sorted(items)
    admin_items = available_hooks(super_admin=True)[4]["modifiers"]["type"]["items"]
    assert set(admin_items) - set(items) == set(SUPER_ADMIN_ONLY)


def test_every_account_document_kind_has_a_kazoo_type() -> None:
    kinds = {
        value.kind
        for name, module in sys.modules.items()
        if name.startswith("gateway.resources.")
        for value in vars(module).values()
        if isinstance(value, Documents)
    }
    # Kazoo keeps these outside account databases (external numbers are the gateway's own).
    outside = {"phone_numbers", "webhooks", "port_requests", "external_numbers"}
    assert set(KAZOO_TYPE) == kinds - outside
    assert KAZOO_TYPE["vm_messages"] == "mailbox_message"
    assert KAZOO_TYPE["temporal_rules_sets"] == "temporal_rule_set"


def test_object_payload_is_id_account_action_and_type() -> None:
    assert object_payload(doc_event("devices", "edited")) == {
        "id": "d" * 32,
        "account_id": ACCOUNT,
        "action": "doc_edited",
        "type": "device",
    }
    assert object_payload(doc_event("vmboxes", "deleted"))["action"] == "doc_deleted"


def test_object_filter_takes_exact_values_or_all() -> None:
    event = doc_event("users", "edited")
    assert object_matches(event, {"type": "user", "action": "doc_edited"})
    assert object_matches(event, {"type": "all", "action": "doc_edited"})
    assert object_matches(event, {"type": "user", "action": "all"})
    assert object_matches(event, {"type": "all", "action": "all", "extra": "kept"})
    assert not object_matches(event, {"type": "device", "action": "all"})
    assert not object_matches(event, {"type": "all", "action": "doc_created"})
    assert not object_matches(event, {"type": "user", "action": "edited"})


def test_object_filter_unset_passes_and_non_objects_never_match() -> None:
    assert object_matches(doc_event("groups"), None)
    assert object_matches(doc_event("groups"), {})
    assert not object_matches(doc_event("phone_numbers"), None)
    assert not object_matches(channel("create"), {"type": "all", "action": "all"})


def test_channel_payload_renames_our_fields_to_kazoos() -> None:
    event = channel(
        "answer",
        direction="outbound",
        caller_id_number="+15550100",
        caller_id_name="A",
        callee_id_number="2001",
        callee_id_name="B",
        other_leg="call-2",
        owner_id="o" * 32,
        authorizing_id="a" * 32,
        authorizing_type="device",
        destination="2001",
        username="u1",
        presence_id="2001@r.example.com",
    )
    assert channel_payload(event) == {
        "hook_event": "channel_answer",
        "account_id": ACCOUNT,
        "call_id": "call-1",
        "call_direction": "outbound",
        "caller_id_number": "+15550100",
        "caller_id_name": "A",
        "callee_id_number": "2001",
        "callee_id_name": "B",
        "other_leg_call_id": "call-2",
        "owner_id": "o" * 32,
        "authorizing_id": "a" * 32,
        "authorizing_type": "device",
        "timestamp": int(AT) + 62167219200,
    }


def test_channel_payload_omits_what_the_event_lacks() -> None:
    payload = channel_payload(channel("create"))
    assert payload == {
        "hook_event": "channel_create",
        "account_id": ACCOUNT,
        "call_id": "call-1",
        "timestamp": gregorian(AT),
    }


def test_destroy_and_bridge_keys_pass_only_on_their_own_hook() -> None:
    reported = {
        "hangup_cause": "NO_ANSWER",
        "hangup_code": "sip:480",
        "billing_seconds": 0,
        "other_leg_destination_number": "2002",
        "request": "2001@r.example.com",
    }
    destroy = channel_payload(channel("destroy", **reported))
    assert destroy["hangup_cause"] == "NO_ANSWER"
    assert destroy["billing_seconds"] == 0
    assert destroy["request"] == "2001@r.example.com"
    assert "other_leg_destination_number" not in destroy
    bridge = channel_payload(channel("bridge", **reported))
    assert bridge["other_leg_destination_number"] == "2002"
    assert "hangup_cause" not in bridge


def test_channel_hooks_name_every_channel_action() -> None:
    assert CHANNEL_HOOKS == {
        "create": "channel_create",
        "answer": "channel_answer",
        "bridge": "channel_bridge",
        "destroy": "channel_destroy",
    }


def test_voicemail_is_a_voicemail_new_notification() -> None:
    [payload] = notification_payloads(voicemail(caller_id_number="+15550100", caller_id_name="A"))
    month = time.strftime("%Y%m", time.gmtime(AT))
    assert payload == {
        "event_category": "notification",
        "event_name": "voicemail_new",
        "account_id": ACCOUNT,
        "account_db": "account%2F01%2F23%2F456789abcdef0123456789abcdef",
        "voicemail_box": "b" * 32,
        "voicemail_id": payload["voicemail_id"],
        "voicemail_timestamp": gregorian(AT),
        "voicemail_length": 5230,
        "caller_id_number": "+15550100",
        "caller_id_name": "A",
    }
    assert payload["voicemail_id"].startswith(f"{month}-")
    assert len(payload["voicemail_id"]) == 7 + 32


def test_voicemail_id_is_the_message_the_intake_stores() -> None:
    [payload] = notification_payloads(voicemail() | {"at": time.time()})
    assert payload["voicemail_id"] == message_id("ev-voicemail")


def test_unregister_is_deregister_with_no_expiry() -> None:
    [payload] = notification_payloads(registration("unregister", user_agent="Phone 1"))
    assert payload["event_name"] == "deregister"
    assert payload["expires"] == 0
    assert payload["username"] == "u1"
    assert payload["realm"] == "r.example.com"
    assert payload["user_agent"] == "Phone 1"
    assert payload["event_timestamp"] == gregorian(AT)
    assert notification_payloads(registration(expires=0))[0]["event_name"] == "deregister"


def test_suppressed_unregister_and_refreshes_notify_nothing() -> None:
    assert notification_payloads(registration("unregister", suppress_unregister_notify=True)) == []
    assert notification_payloads(registration()) == []


def test_first_registration_is_register() -> None:
    event = registration(first_registration=True, owner_id="o" * 32, authorizing_type="device")
    [payload] = notification_payloads(event)
    assert payload["event_name"] == "register"
    assert payload["expires"] == 300
    assert payload["owner_id"] == "o" * 32
    assert "first_registration" not in payload


def test_calls_and_documents_make_no_notifications() -> None:
    assert notification_payloads(channel("destroy", hangup_cause="NO_ANSWER")) == []
    assert notification_payloads(intake_event("cdr", call_id="c")) == []
    assert notification_payloads(doc_event()) == []


def test_notification_filter_is_event_name_or_all() -> None:
    payload = {"event_name": "voicemail_new"}
    assert notification_matches(payload, {"type": "voicemail_new"})
    assert notification_matches(payload, {"type": "all"})
    assert notification_matches(payload, None)
    assert not notification_matches(payload, {"type": "register"})


def test_hooks_for_routes_each_event_to_its_hook() -> None:
    assert hooks_for(doc_event("callflows")) == [
        ("object", object_payload(doc_event("callflows")))
    ]
    assert [name for name, _ in hooks_for(channel("bridge"))] == ["channel_bridge"]
    assert [name for name, _ in hooks_for(voicemail())] == ["notifications"]
    assert hooks_for(registration()) == []
    assert hooks_for(intake_event("cdr", call_id="c")) == []


def test_hooks_for_skips_documents_kazoo_never_reports() -> None:
    assert hooks_for(doc_event("phone_numbers")) == []
    assert hooks_for(doc_event("webhooks")) == []
    assert hooks_for(doc_event("users", account_id=None)) == []


def test_samples_are_named_like_kazoos_files_and_built_by_the_payload_functions() -> None:
    assert sorted(SAMPLES) == [
        "webhooks_channel_answer",
        "webhooks_channel_bridge",
        "webhooks_channel_create",
        "webhooks_channel_destroy",
        "webhooks_notifications",
        "webhooks_object",
    ]
    assert [s["action"] for s in SAMPLES["webhooks_object"]] == [
        "doc_created",
        "doc_edited",
        "doc_deleted",
    ]
    assert [s["event_name"] for s in samples_for("notifications")] == [
        "register",
        "deregister",
        "voicemail_new",
    ]
    for hook in CHANNEL_HOOKS.values():
        [sample] = samples_for(hook)
        assert sample["hook_event"] == hook
    assert "hangup_cause" in samples_for("channel_destroy")[0]
    assert samples_for("all") == []

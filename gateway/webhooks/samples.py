"""Example events, per hook, from which the sample payloads of `webhooks/samples` are built."""

from __future__ import annotations

from typing import Any

from gateway.events.stream import Event

ACCOUNT_ID = "5b0e6f3c9a1d4e27b8c4f61a2d7e9c30"
USER_ID = "a41f27c8e3b94d6f8e0c5b72d19a6e44"
DEVICE_ID = "c7d2e9a4b61f48c3a5e09d87f2b34c16"
VMBOX_ID = "e93b5a1c74d24f6e9b08c3a6d5f21e87"
AT = 1764780000.5
CALLER = "+14155550142"
EXTENSION = "2001"
REALM = "sample.sip.example.com"
CALL_ID = "4b1d6c0e-8f2a-4c3e-9d57-1a6b8e2f0c94"


def _intake(kind: str, seq: int, **data: Any) -> Event:
    """As the outbox announces an intake event: its fields, less audio, under `data`."""
    event_id = f"sample-{kind}-{seq}"
    return {
        "id": f"intake:{event_id}",
        "seq": seq,
        "at": AT + seq,
        "source": "intake",
        "type": kind,
        "action": data.get("action", kind),
        "account_id": ACCOUNT_ID,
        "event_id": event_id,
        "data": {"account_id": ACCOUNT_ID, **data},
    }


def _channel(action: str, seq: int, **data: Any) -> Event:
    return _intake(
        "channel",
        seq,
        action=action,
        call_id=CALL_ID,
        direction="inbound",
        caller_id_number=CALLER,
        caller_id_name="Front Desk",
        callee_id_number=EXTENSION,
        callee_id_name="Sales",
        owner_id=USER_ID,
        authorizing_id=DEVICE_ID,
        authorizing_type="device",
        request=f"{EXTENSION}@{REALM}",
        to=f"{EXTENSION}@{REALM}",
        **{"from": f"{CALLER}@{REALM}"},
        **data,
    )


def _document(action: str, seq: int) -> Event:
    return {
        "id": f"sample-user-{action}",
        "seq": seq,
        "at": AT + seq,
        "source": "document",
        "type": "users",
        "action": action,
        "account_id": ACCOUNT_ID,
        "doc_id": USER_ID,
        "rev": None if action == "deleted" else f"{seq}-sample",
    }


_PHONE = {
    "username": "user_2001",
    "realm": REALM,
    "contact": "sip:user_2001@198.51.100.23:5060;transport=udp",
    "user_agent": "Yealink SIP-T46U 66.86.0.15",
    "authorizing_id": DEVICE_ID,
    "authorizing_type": "device",
    "owner_id": USER_ID,
    "call_id": "3c5f7a9e1b2d@198.51.100.23",
}

# Per hook: events of ours whose payloads make that hook's samples.
EXAMPLE_EVENTS: dict[str, list[Event]] = {
    "channel_answer": [_channel("answer", 2, other_leg="c1f0a8e6-2b7d-4e93-8a05-6d4c3b2e1f70")],
    "channel_bridge": [
        _channel(
            "bridge",
            3,
            other_leg="c1f0a8e6-2b7d-4e93-8a05-6d4c3b2e1f70",
            other_leg_destination_number=EXTENSION,
        )
    ],
    "channel_create": [_channel("create", 1)],
    "channel_destroy": [
        _channel(
            "destroy",
            4,
            hangup_cause="NORMAL_CLEARING",
            hangup_code="sip:200",
            duration_seconds=47,
            billing_seconds=41,
            ringing_seconds=6,
        )
    ],
    "notifications": [
        _intake(
            "registration", 5, action="register", expires=300, first_registration=True, **_PHONE
        ),
        _intake("registration", 6, action="unregister", expires=0, **_PHONE),
        _intake(
            "voicemail",
            7,
            vmbox_id=VMBOX_ID,
            caller_id_number=CALLER,
            caller_id_name="Front Desk",
            length=18_400,
            content_type="audio/mpeg",
        ),
    ],
    "object": [_document("created", 8), _document("edited", 9), _document("deleted", 10)],
}

"""Voicemail box and message schemas: defaults and Kazoo-shaped errors."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.crossbar.errors import InvalidData
from gateway.crossbar.validation import load
from schemas.vmboxes import VmboxSchema, VoicemailMessageSchema


def make_vmbox(**overrides: Any) -> dict[str, Any]:
    """A minimal valid voicemail box."""
    return {"mailbox": "1000", "name": "Reception", **overrides}


def errors_of(schema: Any, data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(InvalidData) as caught:
        load(schema, data)
    errors: dict[str, Any] = caught.value.data
    return errors


def test_minimal_vmbox_gets_kazoo_defaults() -> None:
    assert load(VmboxSchema, make_vmbox()) == {
        "mailbox": "1000",
        "name": "Reception",
        "media": {},
        "media_extension": "mp3",
        "notify_email_addresses": [],
        "seek_duration_ms": 10000,
        "announcement_only": False,
        "check_if_owner": True,
        "delete_after_notify": False,
        "include_message_on_notify": True,
        "include_transcription_on_notify": True,
        "is_setup": False,
        "is_voicemail_ff_rw_enabled": False,
        "not_configurable": False,
        "oldest_message_first": False,
        "require_pin": False,
        "save_after_notify": False,
        "skip_envelope": False,
        "skip_greeting": False,
        "skip_instructions": False,
        "transcribe": False,
    }


def test_unknown_keys_are_kept() -> None:
    loaded = load(VmboxSchema, make_vmbox(ui_flag=1, media={"unavailable": "m" * 32, "x": 2}))
    assert loaded["ui_flag"] == 1
    assert loaded["media"] == {"unavailable": "m" * 32, "x": 2}


def test_given_values_win_and_strings_are_coerced() -> None:
    loaded = load(VmboxSchema, make_vmbox(check_if_owner="false", seek_duration_ms="500"))
    assert loaded["check_if_owner"] is False
    assert loaded["seek_duration_ms"] == 500


def test_operator_number_keeps_its_type() -> None:
    assert load(VmboxSchema, make_vmbox(operator_number="0"))["operator_number"] == "0"
    assert load(VmboxSchema, make_vmbox(operator_number=0))["operator_number"] == 0


def test_mailbox_and_name_are_required() -> None:
    assert errors_of(VmboxSchema, {}) == {
        "mailbox": {"required": {"message": "Field is required but missing", "value": "mailbox"}},
        "name": {"required": {"message": "Field is required but missing", "value": "name"}},
    }


def test_mailbox_too_long() -> None:
    assert errors_of(VmboxSchema, make_vmbox(mailbox="1" * 31)) == {
        "mailbox": {
            "maxLength": {
                "message": "String must not be more than 30 characters",
                "target": 30,
                "value": "1" * 31,
                "cause": "1" * 31,
            }
        }
    }


@pytest.mark.parametrize(
    ("overrides", "path", "rule"),
    [
        ({"pin": "123"}, "pin", "minLength"),
        ({"pin": "1234567"}, "pin", "maxLength"),
        ({"media_extension": "ogg"}, "media_extension", "enum"),
        ({"seek_duration_ms": -1}, "seek_duration_ms", "minimum"),
        ({"notify_email_addresses": ["nope"]}, "notify_email_addresses.0", "wrong_format"),
        ({"media": {"unavailable": "short"}}, "media.unavailable", "minLength"),
        ({"notify": {"callback": {"attempts": "x"}}}, "notify.callback.attempts", "type"),
    ],
)
def test_vmbox_rules(overrides: dict[str, Any], path: str, rule: str) -> None:
    errors = errors_of(VmboxSchema, make_vmbox(**overrides))
    assert list(errors) == [path]
    assert list(errors[path]) == [rule]


def test_message_metadata_loads_as_given() -> None:
    message = {
        "media_id": "201605-6aadef09f6fcf5fd8bcdfca312e923ba",
        "folder": "new",
        "timestamp": 63850000000,
        "length": 4000,
        "from": "1001@realm",
        "to": "1000@realm",
        "caller_id_number": "1001",
        "caller_id_name": "Bob",
        "call_id": "c1",
    }
    assert load(VoicemailMessageSchema, message) == message


def test_message_bad_folder() -> None:
    assert errors_of(VoicemailMessageSchema, {"folder": "trash"}) == {
        "folder": {
            "enum": {
                "message": "Value not found in enumerated list of values",
                "target": ["deleted", "saved", "new"],
                "value": "trash",
            }
        }
    }


def test_message_caller_id_too_long() -> None:
    errors = errors_of(VoicemailMessageSchema, {"caller_id_name": "n" * 36})
    assert errors["caller_id_name"]["maxLength"]["target"] == 35

"""Device documents against Kazoo's devices.json facts."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.crossbar.errors import InvalidData
from gateway.crossbar.validation import load
from schemas.devices import DeviceSchema


def make_device(**overrides: Any) -> dict[str, Any]:
    """A minimal valid device body."""
    return {"name": "Desk phone", **overrides}


def errors_of(data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(InvalidData) as caught:
        load(DeviceSchema, data)
    errors: dict[str, Any] = caught.value.data
    return errors


def test_minimal_device_gets_exactly_kazoos_defaults() -> None:
    assert load(DeviceSchema, make_device()) == {
        "name": "Desk phone",
        "enabled": True,
        "exclude_from_queues": False,
        "mwi_unsolicited_updates": True,
        "register_overwrite_notify": False,
        "suppress_unregister_notifications": False,
        "sip": {"method": "password", "invite_format": "contact", "expire_seconds": 300},
        "caller_id": {},
        "call_restriction": {},
        "contact_list": {},
        "dial_plan": {},
        "music_on_hold": {},
        "ringtones": {},
        "media": {
            "audio": {},
            "video": {"codecs": []},
            "encryption": {"enforce_security": False, "methods": []},
        },
    }


def test_partial_sip_object_gets_its_defaults() -> None:
    loaded = load(DeviceSchema, make_device(sip={"username": "dev1001", "password": "secret"}))
    assert loaded["sip"] == {
        "username": "dev1001",
        "password": "secret",
        "method": "password",
        "invite_format": "contact",
        "expire_seconds": 300,
    }


def test_unknown_keys_are_kept_at_top_and_nested() -> None:
    loaded = load(
        DeviceSchema,
        make_device(ui_metadata={"origin": "voip"}, sip={"registration_expiration": 360}),
    )
    assert loaded["ui_metadata"] == {"origin": "voip"}
    assert loaded["sip"]["registration_expiration"] == 360


def test_free_device_type_and_valid_fields_load() -> None:
    loaded = load(
        DeviceSchema,
        make_device(
            device_type="teammate",
            owner_id="a" * 32,
            mac_address="00:11:22:33:44:55",
            sip={"method": "ip", "ip": "10.0.0.1", "realm": "sip.example.com"},
            media={"audio": {"codecs": ["PCMU", "OPUS"]}, "bypass_media": "auto"},
            outbound_flags={"static": ["a"], "dynamic": ["b"]},
        ),
    )
    assert loaded["device_type"] == "teammate"
    assert loaded["media"]["bypass_media"] == "auto"
    assert loaded["media"]["video"] == {"codecs": []}


def test_missing_name_is_required() -> None:
    assert errors_of({}) == {
        "name": {"required": {"message": "Field is required but missing", "value": "name"}}
    }


def test_short_sip_username_fails_min_length() -> None:
    assert errors_of(make_device(sip={"username": "a"})) == {
        "sip.username": {
            "minLength": {
                "message": "String must be at least 2 characters",
                "target": 2,
                "value": "a",
                "cause": "a",
            }
        }
    }


def test_bad_sip_method_and_invite_format_fail_enum() -> None:
    errors = errors_of(make_device(sip={"method": "token", "invite_format": "uri"}))
    assert errors["sip.method"]["enum"]["target"] == ["password", "ip"]
    assert errors["sip.invite_format"]["enum"]["value"] == "uri"


def test_bad_realm_fails_pattern() -> None:
    errors = errors_of(make_device(sip={"realm": "bad realm"}))
    assert errors == {
        "sip.realm": {
            "pattern": {
                "message": "Failed to match pattern '^[.\\w_-]+$'",
                "target": "^[.\\w_-]+$",
                "value": "bad realm",
            }
        }
    }


def test_owner_id_must_be_32_characters() -> None:
    errors = errors_of(make_device(owner_id="abc"))
    assert errors["owner_id"]["minLength"]["target"] == 32


def test_unknown_audio_codec_is_reported_by_index() -> None:
    errors = errors_of(make_device(media={"audio": {"codecs": ["PCMU", "MP3"]}}))
    assert list(errors) == ["media.audio.codecs.1"]
    assert errors["media.audio.codecs.1"]["enum"]["value"] == "MP3"


def test_contact_list_exclude_is_checked_and_kept_under_its_name() -> None:
    assert load(DeviceSchema, make_device(contact_list={"exclude": "true"}))["contact_list"] == {
        "exclude": True
    }
    errors = errors_of(make_device(contact_list={"exclude": 5}))
    assert errors["contact_list.exclude"]["type"]["target"] == "boolean"

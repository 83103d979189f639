"""Conference schema: member/moderator defaults and Kazoo-shaped errors."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.crossbar.errors import InvalidData
from gateway.crossbar.validation import load
from schemas.conferences import ConferenceSchema


def errors_of(data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(InvalidData) as caught:
        load(ConferenceSchema, data)
    errors: dict[str, Any] = caught.value.data
    return errors


def test_empty_conference_gets_kazoo_defaults() -> None:
    assert load(ConferenceSchema, {}) == {
        "conference_numbers": [],
        "member": {"numbers": [], "pins": [], "join_deaf": False, "join_muted": True},
        "moderator": {"numbers": [], "pins": [], "join_deaf": False, "join_muted": False},
        "play_name": False,
    }


def test_partial_member_is_completed_with_defaults() -> None:
    loaded = load(ConferenceSchema, {"member": {"pins": ["1234"], "join_deaf": True}})
    assert loaded["member"] == {
        "pins": ["1234"],
        "numbers": [],
        "join_deaf": True,
        "join_muted": True,
    }


def test_unknown_keys_are_kept() -> None:
    data = {"name": "Board", "ui_flags": {"x": 1}, "moderator": {"extra": "y"}}
    loaded = load(ConferenceSchema, data)
    assert loaded["ui_flags"] == {"x": 1}
    assert loaded["moderator"]["extra"] == "y"


def test_tones_are_boolean_or_media() -> None:
    loaded = load(ConferenceSchema, {"play_entry_tone": "media1", "play_exit_tone": False})
    assert (loaded["play_entry_tone"], loaded["play_exit_tone"]) == ("media1", False)


def test_profile_keeps_dashed_names() -> None:
    profile = {"energy-level": 200, "rate": 16000, "moh-sound": "m"}
    assert load(ConferenceSchema, {"profile": profile})["profile"] == profile


def test_member_pin_must_be_digits() -> None:
    assert errors_of({"member": {"pins": ["12a"]}}) == {
        "member.pins.0": {
            "pattern": {
                "message": "Failed to match pattern '^[0-9]+$'",
                "target": "^[0-9]+$",
                "value": "12a",
            }
        }
    }


@pytest.mark.parametrize(
    ("data", "path", "rule"),
    [
        ({"name": ""}, "name", "minLength"),
        ({"owner_id": "short"}, "owner_id", "minLength"),
        ({"conference_numbers": ["100", "100"]}, "conference_numbers", "uniqueItems"),
        ({"moderator": {"join_muted": "yes"}}, "moderator.join_muted", "type"),
        ({"max_participants": "many"}, "max_participants", "type"),
        ({"profile": {"rate": 11025}}, "profile.rate", "enum"),
        ({"profile": {"interval": 5}}, "profile.interval", "minimum"),
    ],
)
def test_conference_rules(data: dict[str, Any], path: str, rule: str) -> None:
    errors = errors_of(data)
    assert list(errors) == [path]
    assert list(errors[path]) == [rule]

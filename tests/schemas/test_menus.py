"""Menu documents against Kazoo's menus.json facts."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.crossbar.errors import InvalidData
from gateway.crossbar.validation import load
from schemas.menus import MenuSchema


def make_menu(**overrides: Any) -> dict[str, Any]:
    """A minimal valid menu body."""
    return {"name": "Main menu", **overrides}


def errors_of(data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(InvalidData) as caught:
        load(MenuSchema, data)
    errors: dict[str, Any] = caught.value.data
    return errors


def test_minimal_menu_gets_exactly_kazoos_defaults() -> None:
    assert load(MenuSchema, make_menu()) == {
        "name": "Main menu",
        "retries": 3,
        "max_extension_length": 4,
        "hunt": True,
        "allow_record_from_offnet": False,
        "suppress_media": False,
        "media": {},
    }


def test_unknown_keys_are_kept() -> None:
    loaded = load(MenuSchema, make_menu(ui_is_main_number_cf=True, media={"custom": "x"}))
    assert loaded["ui_is_main_number_cf"] is True
    assert loaded["media"] == {"custom": "x"}


def test_prompt_media_is_a_media_id_or_a_boolean() -> None:
    media = {"greeting": "abc123", "exit_media": False, "invalid_media": "true"}
    assert load(MenuSchema, make_menu(media=media))["media"] == media


def test_missing_name_is_required() -> None:
    assert errors_of({"retries": 2}) == {
        "name": {"required": {"message": "Field is required but missing", "value": "name"}}
    }


def test_retries_out_of_range_fails_maximum() -> None:
    assert errors_of(make_menu(retries=11)) == {
        "retries": {"maximum": {"message": "Value must be at most 10", "target": 10, "value": 11}}
    }


def test_short_greeting_and_long_record_pin_fail_length() -> None:
    errors = errors_of(make_menu(media={"greeting": "ab"}, record_pin="1234567"))
    assert errors["media.greeting"]["minLength"]["target"] == 3
    assert errors["record_pin"]["maxLength"]["target"] == 6


def test_non_integer_timeout_fails_type() -> None:
    errors = errors_of(make_menu(timeout="soon"))
    assert errors["timeout"]["type"]["target"] == "integer"

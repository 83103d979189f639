"""Blacklist documents (reference §10.14)."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.crossbar.errors import InvalidData
from gateway.crossbar.validation import load
from schemas.blacklists import BlacklistSchema


def errors_of(data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(InvalidData) as caught:
        load(BlacklistSchema, data)
    errors: dict[str, Any] = caught.value.data
    return errors


def test_minimal_blacklist_gets_empty_numbers() -> None:
    assert load(BlacklistSchema, {"name": "Spam"}) == {"name": "Spam", "numbers": {}}


def test_numbers_and_unknown_keys_are_kept() -> None:
    data = {
        "name": "Spam",
        "numbers": {"+14155551234": {}},
        "should_block_anonymous": True,
        "x": 1,
    }
    assert load(BlacklistSchema, data) == data


def test_name_is_required() -> None:
    assert errors_of({"numbers": {}}) == {
        "name": {"required": {"message": "Field is required but missing", "value": "name"}}
    }


def test_name_is_at_most_128_characters() -> None:
    assert set(errors_of({"name": "n" * 129})["name"]) == {"maxLength"}


def test_numbers_must_be_an_object() -> None:
    assert errors_of({"name": "b", "numbers": ["+1415"]}) == {
        "numbers": {
            "type": {
                "message": "Value did not match type(s): object",
                "target": "object",
                "value": ["+1415"],
            }
        }
    }


def test_should_block_anonymous_is_boolean() -> None:
    assert (
        load(BlacklistSchema, {"name": "b", "should_block_anonymous": "false"})[
            "should_block_anonymous"
        ]
        is False
    )
    assert set(
        errors_of({"name": "b", "should_block_anonymous": 1})["should_block_anonymous"]
    ) == {"type"}

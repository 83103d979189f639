"""Directory documents (reference §10.14)."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.crossbar.errors import InvalidData
from gateway.crossbar.validation import load
from schemas.directories import DirectorySchema


def errors_of(data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(InvalidData) as caught:
        load(DirectorySchema, data)
    errors: dict[str, Any] = caught.value.data
    return errors


def test_minimal_directory_gets_kazoo_defaults() -> None:
    assert load(DirectorySchema, {"name": "Staff"}) == {
        "name": "Staff",
        "min_dtmf": 3,
        "max_dtmf": 0,
        "sort_by": "last_name",
        "confirm_match": True,
        "users": [],
    }


def test_defaults_are_fresh_lists() -> None:
    first = load(DirectorySchema, {"name": "a"})
    first["users"].append("u1")
    assert load(DirectorySchema, {"name": "b"})["users"] == []


def test_unknown_keys_are_kept() -> None:
    assert load(DirectorySchema, {"name": "d", "ui_metadata": {"v": 1}})["ui_metadata"] == {"v": 1}


def test_name_is_required() -> None:
    assert errors_of({"sort_by": "first_name"}) == {
        "name": {"required": {"message": "Field is required but missing", "value": "name"}}
    }


def test_sort_by_and_search_fields_are_enums() -> None:
    errors = errors_of({"name": "d", "sort_by": "both", "search_fields": "email"})
    assert errors["sort_by"]["enum"]["target"] == ["first_name", "last_name"]
    assert errors["search_fields"]["enum"]["target"] == ["first_name", "last_name", "both"]


def test_dtmf_bounds() -> None:
    errors = errors_of({"name": "d", "min_dtmf": 0, "max_dtmf": -1})
    assert set(errors["min_dtmf"]) == {"minimum"}
    assert set(errors["max_dtmf"]) == {"minimum"}


def test_users_are_strings() -> None:
    assert set(errors_of({"name": "d", "users": ["u1", 2]})["users.1"]) == {"type"}

"""PATCH deep merge and public fields (reference §3.5)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from gateway.crossbar.merge import deep_merge, is_private, public

STORED: dict[str, Any] = {
    "name": "Front desk",
    "enabled": True,
    "caller_id": {
        "internal": {"number": "1001", "name": "Desk"},
        "external": {"number": "+14155550100"},
    },
    "codecs": ["PCMU", "PCMA"],
    "music_on_hold": {"media_id": "m1"},
}


def test_new_top_level_keys_are_added() -> None:
    assert deep_merge({"a": 1}, {"b": 2}) == {"a": 1, "b": 2}


def test_scalars_are_replaced() -> None:
    assert deep_merge(STORED, {"name": "Lobby"})["name"] == "Lobby"


def test_objects_merge_recursively() -> None:
    merged = deep_merge(STORED, {"caller_id": {"internal": {"number": "1002"}}})
    assert merged["caller_id"] == {
        "internal": {"number": "1002", "name": "Desk"},
        "external": {"number": "+14155550100"},
    }


def test_null_deletes_a_top_level_key() -> None:
    merged = deep_merge(STORED, {"music_on_hold": None})
    assert "music_on_hold" not in merged


def test_null_deletes_a_nested_key() -> None:
    merged = deep_merge(STORED, {"caller_id": {"internal": {"name": None}}})
    assert merged["caller_id"]["internal"] == {"number": "1001"}


def test_null_for_an_absent_key_is_harmless() -> None:
    assert deep_merge({"a": 1}, {"b": None}) == {"a": 1}


def test_empty_object_clears_an_existing_object() -> None:
    merged = deep_merge(STORED, {"caller_id": {}})
    assert merged["caller_id"] == {}


def test_empty_object_clears_a_nested_object() -> None:
    merged = deep_merge(STORED, {"caller_id": {"internal": {}}})
    assert merged["caller_id"] == {"internal": {}, "external": {"number": "+14155550100"}}


@pytest.mark.parametrize("patch_value", [["G722"], [], [{"codec": "OPUS"}]])
def test_arrays_are_replaced_wholesale(patch_value: list[Any]) -> None:
    assert deep_merge(STORED, {"codecs": patch_value})["codecs"] == patch_value


def test_object_replaces_a_scalar() -> None:
    assert deep_merge({"a": "x"}, {"a": {"b": 1}}) == {"a": {"b": 1}}


def test_scalar_replaces_an_object() -> None:
    assert deep_merge(STORED, {"caller_id": "none"})["caller_id"] == "none"


@pytest.mark.parametrize("falsy", [False, 0, ""])
def test_falsy_values_are_stored_not_deleted(falsy: Any) -> None:
    assert deep_merge(STORED, {"enabled": falsy})["enabled"] == falsy


def test_untouched_keys_are_kept() -> None:
    merged = deep_merge(STORED, {"name": "Lobby"})
    assert {key: merged[key] for key in STORED if key != "name"} == {
        key: value for key, value in STORED.items() if key != "name"
    }


def test_merge_does_not_modify_its_inputs() -> None:
    stored, patch = copy.deepcopy(STORED), {"caller_id": {"internal": {"number": None}}}
    patch_copy = copy.deepcopy(patch)
    deep_merge(stored, patch)
    assert stored == STORED
    assert patch == patch_copy


def test_empty_patch_changes_nothing() -> None:
    assert deep_merge(STORED, {}) == STORED


def test_public_drops_underscore_and_pvt_keys() -> None:
    doc = {"_id": "x", "_rev": "1-a", "pvt_type": "device", "pvt_created": 1, "name": "n"}
    assert public(doc) == {"name": "n"}


def test_public_keeps_keys_that_only_contain_pvt_or_underscore() -> None:
    doc = {"my_pvt_note": 1, "a_b": 2, "pvt": 3, "pvtx": 4, "id": "x"}
    assert public(doc) == doc


def test_public_only_filters_top_level_keys() -> None:
    doc = {"caller_id": {"pvt_x": 1, "_y": 2}}
    assert public(doc) == doc


@pytest.mark.parametrize(
    ("key", "private"),
    [("_id", True), ("pvt_type", True), ("pvt_", True), ("id", False), ("Pvt_type", False)],
)
def test_is_private_follows_kazoo_prefixes(key: str, private: bool) -> None:
    assert is_private(key) is private


def test_patch_with_private_keys_merges_only_public_ones() -> None:
    merged = deep_merge(STORED, public({"pvt_account_id": "evil", "_rev": "9", "name": "L"}))
    assert merged == {**STORED, "name": "L"}

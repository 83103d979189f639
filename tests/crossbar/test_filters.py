"""Query-string filters: a database query plus a row check (reference §5.4, §5.5)."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.crossbar.errors import InvalidData
from gateway.crossbar.filters import filter_query, row_check

EMPTY_VALUES: list[Any] = [None, "", [], {}]


def keeps(params: dict[str, str], doc: dict[str, Any]) -> bool:
    check = row_check(params)
    assert check is not None
    return check(doc)


def candidates(raw: str) -> list[Any]:
    return filter_query({"filter_x": raw})["x"]["$in"]


def test_no_filter_params_give_an_empty_query() -> None:
    assert filter_query({}) == {}


@pytest.mark.parametrize(
    "name", ["page_size", "start_key", "paginate", "accept", "auth_token", "filterx", "has_keys"]
)
def test_non_filter_params_are_ignored(name: str) -> None:
    assert filter_query({name: "1"}) == {}


def test_filter_matches_the_string_value() -> None:
    assert filter_query({"filter_device_type": "softphone"}) == {
        "device_type": {"$in": ["softphone"]}
    }


@pytest.mark.parametrize(("raw", "typed"), [("true", True), ("false", False), ("42", 42)])
def test_filter_also_matches_the_value_stored_as_json(raw: str, typed: Any) -> None:
    values = candidates(raw)
    assert raw in values
    assert any(type(value) is type(typed) and value == typed for value in values)


# Kazoo compares the stored value converted to a string ("42", "true") with the raw text,
# so text that is not the canonical form of a number must not match a stored number.
@pytest.mark.parametrize(("raw", "number"), [("042", 42), ("+42", 42), ("1_000", 1000)])
def test_filter_matches_numbers_only_by_their_canonical_text(raw: str, number: int) -> None:
    assert number not in [value for value in candidates(raw) if not isinstance(value, str)]


def test_filter_not_negates() -> None:
    assert filter_query({"filter_not_priv_level": "admin"}) == {"priv_level": {"$nin": ["admin"]}}


def test_nested_key_uses_dots() -> None:
    assert filter_query({"filter_sip.username": "alice"}) == {"sip.username": {"$in": ["alice"]}}


def test_json_array_value_matches_any_of_its_items() -> None:
    assert candidates('["softphone","sip_device"]') == ["softphone", "sip_device"]


def test_json_array_value_negated_excludes_all_of_its_items() -> None:
    query = filter_query({"filter_not_x": '["a","b"]'})
    assert query == {"x": {"$nin": ["a", "b"]}}


def test_json_array_of_non_strings_matches_their_json_values() -> None:
    values = candidates("[true, 42]")
    assert any(value is True for value in values)
    assert 42 in values


@pytest.mark.parametrize("raw", ["[not json", "[1,", "[]x"])
def test_text_that_only_looks_like_an_array_is_a_plain_value(raw: str) -> None:
    assert candidates(raw)[0] == raw


def test_has_key_requires_the_key() -> None:
    assert filter_query({"has_key": "featurecode"}) == {"featurecode": {"$exists": True}}


def test_key_missing_requires_its_absence() -> None:
    assert filter_query({"key_missing": "owner_id"}) == {"owner_id": {"$exists": False}}


def test_has_value_requires_the_key_in_the_query() -> None:
    conditions = filter_query({"has_value": "owner_id"})["owner_id"]
    assert conditions["$exists"] is True
    assert None in conditions["$nin"]
    assert "" in conditions["$nin"]


def test_value_missing_adds_nothing_to_the_query() -> None:
    assert filter_query({"value_missing": "owner_id"}) == {}


def test_row_check_is_not_needed_without_emptiness_filters() -> None:
    assert row_check({"filter_x": "a", "has_key": "y", "page_size": "5"}) is None


# Kazoo: "empty" is kz_term:is_empty, which covers [] and {} as well as "" and null.
@pytest.mark.parametrize("empty", EMPTY_VALUES)
def test_has_value_drops_rows_whose_value_is_empty(empty: Any) -> None:
    assert keeps({"has_value": "owner_id"}, {"owner_id": empty}) is False


@pytest.mark.parametrize("empty", EMPTY_VALUES)
def test_value_missing_keeps_rows_whose_value_is_empty(empty: Any) -> None:
    assert keeps({"value_missing": "owner_id"}, {"owner_id": empty}) is True


@pytest.mark.parametrize("value", ["u1", ["u1"], {"id": "u1"}, " "])
def test_emptiness_filters_treat_other_values_as_present(value: Any) -> None:
    doc = {"owner_id": value}
    assert keeps({"has_value": "owner_id"}, doc) is True
    assert keeps({"value_missing": "owner_id"}, doc) is False


def test_absent_key_is_missing_a_value() -> None:
    assert keeps({"has_value": "owner_id"}, {"name": "x"}) is False
    assert keeps({"value_missing": "owner_id"}, {"name": "x"}) is True


@pytest.mark.parametrize(
    ("doc", "kept"),
    [
        ({"caller_id": {"internal": {"number": "1001"}}}, True),
        ({"caller_id": {"internal": {"number": ""}}}, False),
        ({"caller_id": {"internal": {}}}, False),
        ({"caller_id": "1001"}, False),
        ({}, False),
    ],
)
def test_emptiness_filters_follow_dotted_keys(doc: dict[str, Any], kept: bool) -> None:
    assert keeps({"has_value": "caller_id.internal.number"}, doc) is kept


def test_several_emptiness_filters_are_anded() -> None:
    params = {"has_value": "a", "value_missing": "b"}
    assert keeps(params, {"a": "x"}) is True
    assert keeps(params, {"a": "x", "b": "y"}) is False
    assert keeps(params, {"a": [], "b": None}) is False


@pytest.mark.parametrize(
    ("name", "field", "operator"),
    [
        ("created_from", "pvt_created", "$gte"),
        ("created_to", "pvt_created", "$lte"),
        ("modified_from", "pvt_modified", "$gte"),
        ("modified_to", "pvt_modified", "$lte"),
    ],
)
def test_time_bounds_are_inclusive_on_private_timestamps(
    name: str, field: str, operator: str
) -> None:
    assert filter_query({name: "63850000000"}) == {field: {operator: 63850000000}}


def test_created_from_and_to_form_one_range() -> None:
    query = filter_query({"created_from": "100", "created_to": "200", "modified_from": "150"})
    assert query == {
        "pvt_created": {"$gte": 100, "$lte": 200},
        "pvt_modified": {"$gte": 150},
    }


def test_several_filters_on_one_key_are_anded() -> None:
    conditions = filter_query({"filter_x": '["a","b"]', "filter_not_x": "b", "has_value": "x"})[
        "x"
    ]
    assert conditions["$in"] == ["a", "b"]
    assert conditions["$nin"][0] == "b"
    assert None in conditions["$nin"]
    assert "" in conditions["$nin"]
    assert conditions["$exists"] is True


def test_has_key_and_filter_on_one_key_combine() -> None:
    assert filter_query({"has_key": "x", "filter_x": "a"}) == {
        "x": {"$exists": True, "$in": ["a"]}
    }


@pytest.mark.parametrize(
    "params", [{"has_key": "x", "key_missing": "x"}, {"key_missing": "x", "has_key": "x"}]
)
def test_has_key_with_key_missing_matches_nothing(params: dict[str, str]) -> None:
    assert filter_query(params)["x"].get("$in") == []


def test_value_missing_with_a_value_filter_matches_nothing() -> None:
    params = {"value_missing": "x", "filter_x": "a"}
    assert filter_query(params) == {"x": {"$in": ["a"]}}
    assert keeps(params, {"x": "a"}) is False


def test_filters_on_different_keys_stay_separate() -> None:
    query = filter_query({"filter_a": "1", "has_key": "b", "key_missing": "c.d"})
    assert set(query) == {"a", "b", "c.d"}


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("filter_pvt_type", "device"),
        ("filter_not_pvt_account_id", "x"),
        ("has_key", "pvt_deleted"),
        ("key_missing", "pvt_deleted"),
        ("has_value", "pvt_vsn"),
        ("value_missing", "pvt_created.x"),
    ],
)
def test_private_keys_are_refused(name: str, raw: str) -> None:
    with pytest.raises(InvalidData) as caught:
        filter_query({name: raw})
    assert caught.value.status == 400
    assert list(caught.value.data) == [name]


@pytest.mark.parametrize(
    "key", ["$where", "a b", "a/b", "_id", ".x", "a;b", "a[0]", "", "x" * 200, "é"]
)
def test_odd_keys_are_refused(key: str) -> None:
    for params in ({f"filter_{key}": "1"}, {"has_key": key}):
        with pytest.raises(InvalidData):
            filter_query(params)


def test_refusal_names_the_param_and_the_key() -> None:
    with pytest.raises(InvalidData) as caught:
        filter_query({"has_key": "$where"})
    assert caught.value.data == {
        "has_key": {"invalid": {"message": "Filter key is not allowed", "value": "$where"}}
    }


@pytest.mark.parametrize("name", ["has_value", "value_missing"])
def test_row_check_refuses_private_keys_too(name: str) -> None:
    with pytest.raises(InvalidData):
        row_check({name: "pvt_deleted"})

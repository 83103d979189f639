"""Generic CSV rendering of listings (reference §4.2)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from gateway.crossbar.csv_render import flatten, render_csv


def parsed(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_nested_keys_are_joined_with_underscores() -> None:
    doc = {"caller_id": {"external": {"number": "+1415", "name": "Desk"}}}
    assert flatten(doc) == {
        "caller_id_external_number": "+1415",
        "caller_id_external_name": "Desk",
    }


def test_arrays_are_joined_with_commas_in_one_cell() -> None:
    assert flatten({"codecs": ["PCMU", "PCMA", "G722"]}) == {"codecs": "PCMU,PCMA,G722"}


@pytest.mark.parametrize(
    ("value", "cell"),
    [(True, "true"), (False, "false"), (0, "0"), (42, "42"), (1.5, "1.5"), (None, ""), ("", "")],
)
def test_scalars_become_text(value: Any, cell: str) -> None:
    assert flatten({"v": value}) == {"v": cell}


def test_header_row_comes_first_and_rows_end_with_newline() -> None:
    text = render_csv([{"name": "a"}, {"name": "b"}])
    assert text == '"name"\n"a"\n"b"\n'


def test_every_non_empty_cell_is_double_quoted() -> None:
    text = render_csv([{"name": "front desk", "enabled": True, "n": 3}])
    assert text.splitlines() == ['"name","enabled","n"', '"front desk","true","3"']


def test_quotes_inside_cells_are_doubled() -> None:
    text = render_csv([{"name": 'say "hi"'}])
    assert text.splitlines()[1] == '"say ""hi"""'
    assert parsed(text)[1] == ['say "hi"']


def test_commas_and_newlines_stay_inside_their_cell() -> None:
    rows = parsed(render_csv([{"a": "x,y", "b": "line1\nline2", "c": ["p", "q"]}]))
    assert rows == [["a", "b", "c"], ["x,y", "line1\nline2", "p,q"]]


def test_missing_and_empty_cells_are_empty_and_unquoted() -> None:
    text = render_csv([{"a": "1", "b": "2"}, {"a": "", "c": None}])
    assert text.splitlines()[2] == ",,"


def test_columns_are_the_union_of_keys_in_order_of_first_appearance() -> None:
    text = render_csv([{"b": 1, "a": 2}, {"c": 3, "a": 4}, {"d": 5, "b": 6}])
    assert parsed(text) == [
        ["b", "a", "c", "d"],
        ["1", "2", "", ""],
        ["", "4", "3", ""],
        ["6", "", "", "5"],
    ]


@pytest.mark.parametrize(
    ("key", "column"),
    [
        ("account_id", "Account ID"),
        ("id", "ID"),
        ("amount", "Amount"),
        ("description", "Description"),
        ("name", "name"),
        ("owner_id", "owner_id"),
    ],
)
def test_some_column_names_are_prettified(key: str, column: str) -> None:
    assert parsed(render_csv([{key: "v"}]))[0] == [column]


def test_prettified_names_apply_to_the_whole_flattened_key_only() -> None:
    header = parsed(render_csv([{"sub": {"id": "x", "account_id": "y"}}]))[0]
    assert header == ["sub_id", "sub_account_id"]


def test_a_single_object_renders_as_one_row() -> None:
    assert render_csv({"id": "abc", "name": "n"}) == '"ID","name"\n"abc","n"\n'


def test_listing_of_devices_renders_flat_rows() -> None:
    data = [
        {
            "id": "d1",
            "name": "Desk",
            "enabled": True,
            "sip": {"username": "alice"},
            "codecs": ["PCMU"],
        },
        {"id": "d2", "name": "Lobby", "enabled": False, "owner_id": "u1"},
    ]
    assert parsed(render_csv(data)) == [
        ["ID", "name", "enabled", "sip_username", "codecs", "owner_id"],
        ["d1", "Desk", "true", "alice", "PCMU", ""],
        ["d2", "Lobby", "false", "", "", "u1"],
    ]


def test_objects_inside_arrays_keep_their_json() -> None:
    assert flatten({"x": [{"a": 1}, "b"]}) == {"x": '{"a":1},b'}


def test_rows_use_lf_not_crlf() -> None:
    assert "\r" not in render_csv([{"a": "1"}, {"a": "2"}])

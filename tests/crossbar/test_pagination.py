"""Page size, direction and opaque keys (reference §5.1-§5.3)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from gateway.crossbar.errors import FaultyRequest
from gateway.crossbar.pagination import (
    DEFAULT_PAGE_SIZE,
    PageRequest,
    cursor_condition,
    decode_key,
    encode_key,
    parse_page_request,
)

MAX_SIZE = 500
SEP = "\x1f"  # documents.SORT_SEPARATOR: sort keys are "<lower value>\x1f<id>"


def page(**params: Any) -> PageRequest:
    return parse_page_request(params, DEFAULT_PAGE_SIZE, MAX_SIZE)


@pytest.mark.parametrize(
    "sort_value",
    ["smith john\x1fabc123", "", "0", "café ünïcode", "a/b+c=d?", "x" * 300, "\U0001f600"],
)
def test_issued_key_decodes_to_its_exact_sort_value(sort_value: str) -> None:
    assert decode_key(encode_key(sort_value)) == (sort_value, True)


def test_issued_key_is_base64url_without_padding() -> None:
    for sort_value in ("a", "ab", "abc", "abcd", "??>>"):
        assert re.fullmatch(r"[A-Za-z0-9_-]+", encode_key(sort_value))


@pytest.mark.parametrize("raw_key", ["smith john", "Smith John", "QUJD", "not base64 !", "a"])
def test_key_we_did_not_issue_is_a_raw_view_key(raw_key: str) -> None:
    assert decode_key(raw_key) == (raw_key.lower(), False)


def test_page_size_defaults_to_50() -> None:
    assert DEFAULT_PAGE_SIZE == 50
    assert page().size == 50


@pytest.mark.parametrize(("raw", "size"), [("10", 10), (10, 10), ("1", 1), (str(MAX_SIZE), 500)])
def test_page_size_is_read_from_params(raw: Any, size: int) -> None:
    assert page(page_size=raw).size == size


def test_page_size_over_the_maximum_is_clamped() -> None:
    assert page(page_size=str(MAX_SIZE + 1)).size == MAX_SIZE


# Kazoo: any value that is not an integer -> 404 faulty_request "invalid page size";
# an empty `page_size=` is present and not an integer.
@pytest.mark.parametrize("raw", ["abc", "2.5", "ten", "1_0", "", True, [5]])
def test_non_integer_page_size_is_a_faulty_request(raw: Any) -> None:
    with pytest.raises(FaultyRequest) as caught:
        page(page_size=raw)
    assert caught.value.status == 404
    assert caught.value.message == "faulty_request"
    assert caught.value.data == {"message": "invalid page size"}


@pytest.mark.parametrize("raw", ["0", "-1", 0, -50])
def test_page_size_below_one_is_refused(raw: Any) -> None:
    with pytest.raises(FaultyRequest) as caught:
        page(page_size=raw)
    assert caught.value.data == {"message": "page size must be at least 1"}


@pytest.mark.parametrize("paginate", ["true", True])
def test_paginate_true_keeps_pagination(paginate: Any) -> None:
    assert page(paginate=paginate, page_size="5").size == 5


@pytest.mark.parametrize("paginate", ["false", "1", "yes", "TRUE", "True", "", False, 1])
def test_any_paginate_value_but_literal_true_disables_pagination(paginate: Any) -> None:
    assert page(paginate=paginate).size is None


def test_unpaginated_request_ignores_an_invalid_page_size() -> None:
    assert page(paginate="false", page_size="abc").size is None


@pytest.mark.parametrize(
    ("params", "descending"),
    [
        ({}, True),
        ({"ascending": "true"}, False),
        ({"ascending": True}, False),
        ({"ascending": "1"}, False),
        ({"ascending": ""}, False),
        ({"ascending": "false"}, True),
        ({"ascending": False}, True),
        ({"descending": "true"}, True),
        ({"descending": "false"}, True),
        ({"descending": "false", "ascending": "true"}, False),
        ({"descending": "true", "ascending": "true"}, True),
        ({"descending": "yes", "ascending": "true"}, False),
    ],
)
def test_direction_follows_kazoo_code_not_docs(params: dict[str, Any], descending: bool) -> None:
    assert page(**params).descending is descending


def test_start_key_is_carried_verbatim() -> None:
    key = encode_key("smith john")
    request = page(start_key=key)
    assert request.start == key
    assert request.start_key == key


@pytest.mark.parametrize("params", [{}, {"start_key": ""}, {"start_key": None}])
def test_missing_or_empty_start_key_starts_at_the_beginning(params: dict[str, Any]) -> None:
    request = page(**params)
    assert request.start is None
    assert request.start_key is None


def test_ascending_cursor_resumes_at_the_issued_row_inclusive() -> None:
    value = f"smith john{SEP}id2"
    assert cursor_condition(encode_key(value), descending=False) == {"$gte": value}


def test_descending_cursor_resumes_at_the_issued_row_inclusive() -> None:
    value = f"smith john{SEP}id2"
    assert cursor_condition(encode_key(value), descending=True) == {"$lte": value}


def test_ascending_raw_key_starts_at_the_prefix() -> None:
    condition = cursor_condition("Smith", descending=False)
    assert condition == {"$gte": "smith"}
    assert f"smith john{SEP}id1" >= condition["$gte"]
    assert f"adams{SEP}id1" < condition["$gte"]


def test_descending_raw_key_includes_every_row_with_that_prefix() -> None:
    condition = cursor_condition("Smith", descending=True)
    assert list(condition) == ["$lte"]
    bound = condition["$lte"]
    assert f"smith{SEP}id1" <= bound
    assert f"smith john{SEP}id1" <= bound
    assert f"smiti{SEP}id1" > bound
    assert f"zed{SEP}id1" > bound

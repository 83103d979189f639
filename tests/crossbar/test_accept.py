"""Response type negotiation (reference §4.1)."""

from __future__ import annotations

import pytest

from gateway.crossbar.accept import CSV, JSON, negotiate
from gateway.crossbar.errors import EmptyError


@pytest.mark.parametrize("header", [None, ""])
def test_no_accept_header_gives_json(header: str | None) -> None:
    assert negotiate(header, None) == JSON


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("application/json", JSON),
        ("application/x-json", JSON),
        ("text/csv", CSV),
        ("text/comma-separated-values", CSV),
        ("application/octet-stream", CSV),
        ("*/*", JSON),
        ("application/*", JSON),
        ("text/*", CSV),
        ("Application/JSON", JSON),
        ("TEXT/CSV", CSV),
        ("application/json; charset=utf-8", JSON),
        ("text/csv;charset=UTF-8", CSV),
    ],
)
def test_a_single_media_type_picks_its_provider(header: str, expected: str) -> None:
    assert negotiate(header, None) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("text/csv, application/json", CSV),
        ("application/json, text/csv", JSON),
        ("text/csv;q=0.5, application/json", JSON),
        ("application/json;q=0.2, text/csv", CSV),
        ("application/json;q=0.2, text/csv;q=0.9, */*;q=0.1", CSV),
        ("text/csv; q=0.5, application/json; q=0.5", CSV),
        ("application/xml, */*;q=0.1", JSON),
        ("text/html, application/xhtml+xml, */*;q=0.8", JSON),
        ("application/xml;q=1.0, text/csv;q=0.3", CSV),
    ],
)
def test_highest_quality_wins_then_header_order(header: str, expected: str) -> None:
    assert negotiate(header, None) == expected


@pytest.mark.parametrize(
    "header", ["application/xml", "text/html", "image/png, application/pdf", "audio/mpeg"]
)
def test_unmatched_accept_is_406_with_an_empty_body(header: str) -> None:
    with pytest.raises(EmptyError) as caught:
        negotiate(header, None)
    assert caught.value.status == 406
    assert caught.value.data == {}


@pytest.mark.parametrize("header", ["text/csv;q=0", "application/json;q=0, application/xml"])
def test_quality_zero_means_not_acceptable(header: str) -> None:
    with pytest.raises(EmptyError) as caught:
        negotiate(header, None)
    assert caught.value.status == 406


def test_unparsable_quality_is_treated_as_not_acceptable() -> None:
    assert negotiate("text/csv;q=abc, application/json", None) == JSON


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("csv", CSV),
        ("CSV", CSV),
        (" csv ", CSV),
        ("json", JSON),
        ("text/csv", CSV),
        ("text/comma-separated-values", CSV),
        ("application/octet-stream", CSV),
        ("application/json", JSON),
    ],
)
def test_accept_override_picks_the_renderer(override: str, expected: str) -> None:
    assert negotiate("application/json", override) == expected


@pytest.mark.parametrize("override", ["application/xml", "pdf", "bogus", "text/html"])
def test_unknown_accept_override_falls_back_to_json(override: str) -> None:
    assert negotiate(None, override) == JSON


def test_override_beats_an_unmatched_accept_header() -> None:
    assert negotiate("application/xml", "csv") == CSV


def test_empty_override_defers_to_the_header() -> None:
    assert negotiate("text/csv", "") == CSV

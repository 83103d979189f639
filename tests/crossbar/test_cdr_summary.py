"""Kazoo's number classes for the CDR summary."""

from __future__ import annotations

import pytest

from gateway.calls.cdr_summary import classify, counts


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("+18005551234", "tollfree_us"),
        ("+19005551234", "toll_us"),
        ("911", "emergency"),
        ("+18765551234", "caribbean"),
        ("+12125551234", "did_us"),
        ("2125551234", "did_us"),
        ("+442071234567", "international"),
        ("1001", "unknown"),
        ("", "unknown"),
    ],
)
def test_numbers_are_classified_as_kazoo_does(number: str, expected: str) -> None:
    assert classify(number) == expected


def test_loopback_legs_and_legs_without_channel_vars_are_not_counted() -> None:
    leg = {"call_direction": "inbound", "custom_channel_vars": {}}
    assert counts(leg)
    assert not counts({**leg, "channel_name": "loopback/1001-a"})
    assert not counts({"call_direction": "inbound"})

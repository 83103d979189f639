"""Temporal rules and rule sets against Kazoo's temporal_rules(_sets).json facts."""

from __future__ import annotations

from typing import Any

import pytest
from marshmallow import Schema

from gateway.crossbar.errors import InvalidData
from gateway.crossbar.validation import load
from schemas.temporal_rules import TemporalRuleSchema, TemporalRuleSetSchema


def make_rule(**overrides: Any) -> dict[str, Any]:
    """A minimal valid temporal rule body."""
    return {"name": "Weekdays", "cycle": "weekly", **overrides}


def errors_of(schema: type[Schema], data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(InvalidData) as caught:
        load(schema, data)
    errors: dict[str, Any] = caught.value.data
    return errors


def test_minimal_rule_gets_exactly_kazoos_defaults() -> None:
    assert load(TemporalRuleSchema, make_rule()) == {
        "name": "Weekdays",
        "cycle": "weekly",
        "interval": 1,
        "start_date": 62586115200,
    }


def test_enabled_is_tri_state_with_no_default() -> None:
    assert "enabled" not in load(TemporalRuleSchema, make_rule())
    assert load(TemporalRuleSchema, make_rule(enabled=False))["enabled"] is False


def test_full_rule_loads_including_wensday_misspelling() -> None:
    rule = make_rule(
        wdays=["monday", "wensday", "wednesday"],
        time_window_start=0,
        time_window_stop=86400,
        ordinal="every",
        days=[1, 31],
        month=12,
    )
    assert load(TemporalRuleSchema, rule) == {**rule, "interval": 1, "start_date": 62586115200}


def test_unknown_keys_are_kept() -> None:
    assert load(TemporalRuleSchema, make_rule(timezone="UTC"))["timezone"] == "UTC"
    assert load(TemporalRuleSetSchema, {"name": "s", "type": "x"})["type"] == "x"


def test_missing_name_and_cycle_are_required() -> None:
    assert errors_of(TemporalRuleSchema, {}) == {
        "name": {"required": {"message": "Field is required but missing", "value": "name"}},
        "cycle": {"required": {"message": "Field is required but missing", "value": "cycle"}},
    }


def test_unknown_cycle_fails_enum() -> None:
    assert errors_of(TemporalRuleSchema, make_rule(cycle="hourly")) == {
        "cycle": {
            "enum": {
                "message": "Value not found in enumerated list of values",
                "target": ["date", "daily", "weekly", "monthly", "yearly"],
                "value": "hourly",
            }
        }
    }


def test_bad_wday_and_day_are_reported_by_index() -> None:
    errors = errors_of(TemporalRuleSchema, make_rule(wdays=["funday"], days=[1, 32]))
    assert errors["wdays.0"]["enum"]["value"] == "funday"
    assert errors["days.1"]["maximum"] == {
        "message": "Value must be at most 31",
        "target": 31,
        "value": 32,
    }


def test_time_window_outside_a_day_fails() -> None:
    errors = errors_of(TemporalRuleSchema, make_rule(time_window_start=-1, time_window_stop=86401))
    assert errors["time_window_start"]["minimum"]["target"] == 0
    assert errors["time_window_stop"]["maximum"]["target"] == 86400


def test_minimal_rule_set_gets_no_defaults() -> None:
    assert load(TemporalRuleSetSchema, {"name": "Business hours"}) == {"name": "Business hours"}


def test_rule_set_needs_a_name_and_at_least_one_rule() -> None:
    assert errors_of(TemporalRuleSetSchema, {"temporal_rules": []}) == {
        "name": {"required": {"message": "Field is required but missing", "value": "name"}},
        "temporal_rules": {
            "minItems": {
                "message": "The list must have at least 1 items",
                "target": 1,
                "value": [],
            }
        },
    }

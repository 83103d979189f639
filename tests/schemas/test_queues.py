"""ACD queue documents (reference §10.14)."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.crossbar.errors import InvalidData
from gateway.crossbar.validation import load
from schemas.queues import QueueSchema


def errors_of(data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(InvalidData) as caught:
        load(QueueSchema, data)
    errors: dict[str, Any] = caught.value.data
    return errors


def test_minimal_queue_gets_kazoo_defaults() -> None:
    assert load(QueueSchema, {"name": "Support"}) == {
        "name": "Support",
        "strategy": "round_robin",
        "agent_ring_timeout": 15,
        "agent_wrapup_time": 0,
        "connection_timeout": 3600,
        "max_queue_size": 0,
        "ring_simultaneously": 1,
        "enter_when_empty": True,
        "caller_exit_key": "#",
        "record_caller": False,
    }


def test_unknown_keys_are_kept() -> None:
    assert load(QueueSchema, {"name": "q", "agents": ["a1"]})["agents"] == ["a1"]


def test_name_is_required_and_not_empty() -> None:
    assert set(errors_of({})["name"]) == {"required"}
    assert set(errors_of({"name": ""})["name"]) == {"minLength"}


def test_strategy_and_exit_key_are_enums() -> None:
    errors = errors_of({"name": "q", "strategy": "random", "caller_exit_key": "A"})
    assert errors["strategy"]["enum"]["target"] == ["round_robin", "most_idle"]
    assert set(errors["caller_exit_key"]) == {"enum"}


def test_max_priority_is_zero_to_255() -> None:
    assert load(QueueSchema, {"name": "q", "max_priority": "255"})["max_priority"] == 255
    assert errors_of({"name": "q", "max_priority": 256}) == {
        "max_priority": {
            "maximum": {"message": "Value must be at most 255", "target": 255, "value": 256}
        }
    }


def test_agent_ring_timeout_is_at_least_one() -> None:
    assert set(errors_of({"name": "q", "agent_ring_timeout": 0})["agent_ring_timeout"]) == {
        "minimum"
    }


def test_announcements_get_an_interval_and_need_all_prompts() -> None:
    loaded = load(QueueSchema, {"name": "q", "announcements": {}})
    assert loaded["announcements"] == {"interval": 30}
    errors = errors_of({"name": "q", "announcements": {"interval": 10, "media": {}}})
    assert set(errors) == {
        "announcements.interval",
        "announcements.media.in_the_queue",
        "announcements.media.increase_in_call_volume",
        "announcements.media.the_estimated_wait_time_is",
        "announcements.media.you_are_at_position",
    }

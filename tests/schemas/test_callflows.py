"""Callflow schema: recursive flow nodes, defaults and Kazoo-shaped errors."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.crossbar.errors import InvalidData
from gateway.crossbar.validation import load
from schemas.callflows import CallflowSchema


def make_callflow(**overrides: Any) -> dict[str, Any]:
    """A minimal valid callflow."""
    return {"numbers": ["1000"], "flow": {"module": "user", "data": {"id": "u1"}}, **overrides}


def errors_of(data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(InvalidData) as caught:
        load(CallflowSchema, data)
    errors: dict[str, Any] = caught.value.data
    return errors


def test_minimal_callflow_gets_kazoo_defaults() -> None:
    assert load(CallflowSchema, {"flow": {"module": "user"}}) == {
        "flow": {"module": "user", "data": {}},
        "numbers": [],
        "patterns": [],
    }


def test_numbers_or_patterns_is_not_checked_here() -> None:
    assert load(CallflowSchema, {})["numbers"] == []


def test_nested_children_load_recursively_with_defaults() -> None:
    flow = {
        "module": "temporal_route",
        "children": {
            "_": {"module": "voicemail", "data": {"id": "v1"}, "children": {}},
            "rule1": {"module": "ring_group", "children": {"_": {"module": "hangup"}}},
        },
    }
    loaded = load(CallflowSchema, make_callflow(flow=flow))["flow"]
    assert loaded["data"] == {}
    assert loaded["children"]["_"] == {"module": "voicemail", "data": {"id": "v1"}, "children": {}}
    assert loaded["children"]["rule1"]["children"]["_"] == {"module": "hangup", "data": {}}


def test_unknown_keys_are_kept_at_top_in_nodes_and_in_flow_data() -> None:
    flow = {"module": "user", "data": {"id": "u1", "custom": [1]}, "ui_x": 4}
    loaded = load(CallflowSchema, make_callflow(flow=flow, ui_metadata={"a": 1}))
    assert loaded["ui_metadata"] == {"a": 1}
    assert loaded["flow"] == {"module": "user", "data": {"id": "u1", "custom": [1]}, "ui_x": 4}


@pytest.mark.parametrize("featurecode", [False, {"name": "park", "number": "*3"}])
def test_featurecode_is_false_or_an_object(featurecode: Any) -> None:
    assert load(CallflowSchema, make_callflow(featurecode=featurecode))["featurecode"] == (
        featurecode
    )


def test_nested_child_without_module_is_required() -> None:
    flow = {"module": "menu", "children": {"_": {"data": {}}}}
    assert errors_of(make_callflow(flow=flow)) == {
        "flow.children._.module": {
            "required": {"message": "Field is required but missing", "value": "module"}
        }
    }


def test_module_too_long() -> None:
    errors = errors_of(make_callflow(flow={"module": "m" * 65}))
    assert errors["flow.module"]["maxLength"]["target"] == 64


def test_featurecode_true_is_a_type_error() -> None:
    assert errors_of(make_callflow(featurecode=True)) == {
        "featurecode": {
            "type": {
                "message": "Value did not match type(s): object",
                "target": "object",
                "value": True,
            }
        }
    }


def test_featurecode_number_too_long() -> None:
    errors = errors_of(make_callflow(featurecode={"name": "x", "number": "1" * 31}))
    assert list(errors) == ["featurecode.number"]
    assert errors["featurecode.number"]["maxLength"]["target"] == 30


def test_numbers_items_and_uniqueness() -> None:
    assert list(errors_of(make_callflow(numbers=["1000", ""]))) == ["numbers.1"]
    assert "uniqueItems" in errors_of(make_callflow(numbers=["1", "1"]))["numbers"]


def test_children_and_data_must_be_objects() -> None:
    errors = errors_of(make_callflow(flow={"module": "user", "data": [], "children": "x"}))
    assert errors["flow.data"]["type"]["target"] == "object"
    assert errors["flow.children"]["type"]["target"] == "object"


def test_metaflow_binding_digit_defaults_and_is_checked() -> None:
    assert load(CallflowSchema, make_callflow(metaflow={}))["metaflow"] == {"binding_digit": "*"}
    errors = errors_of(make_callflow(metaflow={"binding_digit": "x"}))
    assert "enum" in errors["metaflow.binding_digit"]

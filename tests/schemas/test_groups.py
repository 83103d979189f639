"""Group schema: endpoints keyed by id, defaults and Kazoo-shaped errors."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.crossbar.errors import InvalidData
from gateway.crossbar.validation import load
from schemas.groups import GroupSchema


def make_group(**overrides: Any) -> dict[str, Any]:
    """A minimal valid group."""
    return {"name": "Sales", **overrides}


def errors_of(data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(InvalidData) as caught:
        load(GroupSchema, data)
    errors: dict[str, Any] = caught.value.data
    return errors


def test_minimal_group_gets_kazoo_defaults() -> None:
    assert load(GroupSchema, make_group()) == {
        "name": "Sales",
        "endpoints": {},
        "music_on_hold": {},
    }


def test_endpoints_keyed_by_id_keep_unknown_keys() -> None:
    endpoints = {"u1": {"type": "user", "weight": 2}, "d1": {"type": "device"}}
    loaded = load(GroupSchema, make_group(endpoints=endpoints, ui=True))
    assert loaded["endpoints"] == endpoints
    assert loaded["ui"] is True


def test_name_is_required() -> None:
    assert errors_of({}) == {
        "name": {"required": {"message": "Field is required but missing", "value": "name"}}
    }


def test_endpoint_type_must_be_a_string() -> None:
    errors = errors_of(make_group(endpoints={"u1": {"type": 5}}))
    assert list(errors) == ["endpoints.u1.type"]
    assert errors["endpoints.u1.type"]["type"]["target"] == "string"


def test_endpoint_entry_must_be_an_object() -> None:
    errors = errors_of(make_group(endpoints={"u1": "user"}))
    assert errors["endpoints.u1"]["type"]["target"] == "object"


def test_endpoints_must_be_an_object() -> None:
    assert errors_of(make_group(endpoints=[]))["endpoints"]["type"]["target"] == "object"


@pytest.mark.parametrize(
    ("overrides", "path", "rule"),
    [
        ({"name": ""}, "name", "minLength"),
        ({"name": "n" * 129}, "name", "maxLength"),
        ({"music_on_hold": {"media_id": "m" * 129}}, "music_on_hold.media_id", "maxLength"),
    ],
)
def test_group_rules(overrides: dict[str, Any], path: str, rule: str) -> None:
    errors = errors_of(make_group(**overrides))
    assert list(errors) == [path]
    assert list(errors[path]) == [rule]

"""Schema errors in Kazoo's validation shape (reference §6.2)."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.crossbar.errors import InvalidData
from gateway.crossbar.validation import kazoo_errors, load
from schemas.fields import Arr, Bool, Int, Obj, OpenSchema, Str


class NumberSchema(OpenSchema):
    number = Str(required=True, max_length=5)
    name = Str()


class CallerIdSchema(OpenSchema):
    internal = Obj(NumberSchema)
    external = Obj(NumberSchema)


class DeviceSchema(OpenSchema):
    name = Str(required=True, min_length=1, max_length=8)
    device_type = Str(enum=("softphone", "sip_device"))
    extension = Str(pattern=r"^[0-9]+$")
    email = Str(fmt="email")
    enabled = Bool(load_default=True)
    timeout = Int(minimum=1, maximum=60)
    caller_id = Obj(CallerIdSchema)
    flags = Arr(Str(max_length=3), max_items=3, unique=True)
    numbers = Arr(min_items=1)
    dotted = Obj(data_key="a.b")


def errors_of(data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(InvalidData) as caught:
        load(DeviceSchema, data)
    assert caught.value.status == 400
    assert caught.value.message == "validation error"
    errors: dict[str, Any] = caught.value.data
    return errors


def test_valid_data_loads_and_applies_defaults() -> None:
    assert load(DeviceSchema, {"name": "desk"}) == {"name": "desk", "enabled": True}


def test_unknown_keys_are_kept() -> None:
    assert (
        load(DeviceSchema, {"name": "desk", "mwi_unsolicitated_updates": False})[
            "mwi_unsolicitated_updates"
        ]
        is False
    )


def test_missing_required_field() -> None:
    assert errors_of({}) == {
        "name": {"required": {"message": "Field is required but missing", "value": "name"}}
    }


def test_string_too_long() -> None:
    detail = errors_of({"name": "abcdefghi"})["name"]["maxLength"]
    assert detail["message"] == "String must not be more than 8 characters"
    assert detail["target"] == 8
    assert detail["value"] == "abcdefghi"


def test_string_too_short() -> None:
    detail = errors_of({"name": ""})["name"]["minLength"]
    assert detail["message"] == "String must be at least 1 characters"
    assert detail["target"] == 1
    assert detail["value"] == ""


# Kazoo (kz_json_schema) puts the failing string in `cause` as well as `value`.
@pytest.mark.parametrize(("name", "rule"), [("", "minLength"), ("abcdefghi", "maxLength")])
def test_length_errors_carry_the_value_as_cause(name: str, rule: str) -> None:
    assert errors_of({"name": name})["name"][rule]["cause"] == name


def test_value_not_in_enum() -> None:
    assert errors_of({"name": "d", "device_type": "fax"})["device_type"] == {
        "enum": {
            "message": "Value not found in enumerated list of values",
            "target": ["softphone", "sip_device"],
            "value": "fax",
        }
    }


def test_value_not_matching_pattern() -> None:
    assert errors_of({"name": "d", "extension": "12a"})["extension"] == {
        "pattern": {
            "message": "Failed to match pattern '^[0-9]+$'",
            "target": "^[0-9]+$",
            "value": "12a",
        }
    }


def test_bad_email_format() -> None:
    assert errors_of({"name": "d", "email": "nope"})["email"] == {
        "wrong_format": {
            "message": "Field is not in the correct format",
            "value": "nope",
            "format": "email",
        }
    }


@pytest.mark.parametrize(
    ("field", "value", "types"),
    [
        ("name", 5, "string"),
        ("enabled", "yes", "boolean"),
        ("enabled", 1, "boolean"),
        ("timeout", "abc", "integer"),
        ("timeout", True, "integer"),
        ("timeout", 2.5, "integer"),
        ("caller_id", "x", "object"),
        ("flags", "a,b", "array"),
    ],
)
def test_wrong_type(field: str, value: Any, types: str) -> None:
    data = {"name": "d", field: value}
    message = f"Value did not match type(s): {types}"
    assert errors_of(data)[field] == {
        "type": {"message": message, "target": types, "value": value}
    }


def test_null_is_a_type_error() -> None:
    detail = errors_of({"name": None})["name"]["type"]
    assert detail["value"] is None


@pytest.mark.parametrize(
    ("value", "rule", "message", "target"),
    [
        (0, "minimum", "Value must be at least 1", 1),
        (61, "maximum", "Value must be at most 60", 60),
    ],
)
def test_number_out_of_bounds(value: int, rule: str, message: str, target: int) -> None:
    assert errors_of({"name": "d", "timeout": value})["timeout"] == {
        rule: {"message": message, "target": target, "value": value}
    }


@pytest.mark.parametrize(
    ("field", "raw", "loaded"),
    [
        ("enabled", "true", True),
        ("enabled", "false", False),
        ("timeout", "30", 30),
        ("timeout", 30.0, 30),
    ],
)
def test_lenient_types_are_coerced(field: str, raw: Any, loaded: Any) -> None:
    value = load(DeviceSchema, {"name": "d", field: raw})[field]
    assert value == loaded
    assert type(value) is type(loaded)


def test_coerced_value_is_still_range_checked() -> None:
    assert "maximum" in errors_of({"name": "d", "timeout": "90"})["timeout"]


def test_nested_error_uses_a_dotted_path() -> None:
    errors = errors_of({"name": "d", "caller_id": {"internal": {"number": "1234567"}}})
    assert list(errors) == ["caller_id.internal.number"]
    assert errors["caller_id.internal.number"]["maxLength"]["value"] == "1234567"


def test_nested_required_names_the_missing_leaf() -> None:
    errors = errors_of({"name": "d", "caller_id": {"external": {"name": "x"}}})
    assert errors == {
        "caller_id.external.number": {
            "required": {"message": "Field is required but missing", "value": "number"}
        }
    }


def test_array_item_errors_use_the_index_in_the_path() -> None:
    errors = errors_of({"name": "d", "flags": ["ok", "long", "no"]})
    assert list(errors) == ["flags.1"]
    assert errors["flags.1"]["maxLength"]["target"] == 3


def test_errors_in_several_array_items_are_all_reported() -> None:
    errors = errors_of({"name": "d", "flags": ["long1", 7]})
    assert set(errors) == {"flags.0", "flags.1"}
    assert "type" in errors["flags.1"]


@pytest.mark.parametrize(
    ("value", "rule", "message"),
    [
        (["a", "b", "c", "d"], "maxItems", "The list is more than 3 items"),
        (["a", "a"], "uniqueItems", "List of items is not unique"),
    ],
)
def test_list_rules(value: list[str], rule: str, message: str) -> None:
    detail = errors_of({"name": "d", "flags": value})["flags"][rule]
    assert detail["message"] == message
    assert detail["value"] == value


def test_too_few_items() -> None:
    detail = errors_of({"name": "d", "numbers": []})["numbers"]["minItems"]
    assert detail["message"] == "The list must have at least 1 items"


def test_dots_inside_a_property_name_are_escaped() -> None:
    assert list(errors_of({"name": "d", "a.b": 5})) == ["a%2Eb"]


def test_every_failing_field_is_reported_at_once() -> None:
    errors = errors_of({"timeout": "x", "device_type": "fax", "caller_id": {"internal": {}}})
    assert set(errors) == {"name", "timeout", "device_type", "caller_id.internal.number"}


def test_plain_string_messages_become_an_invalid_rule() -> None:
    errors = kazoo_errors({"name": ["Not valid."]})
    assert errors == {"name": {"invalid": {"message": "Not valid."}}}


def test_top_level_message_without_a_field_is_keyed_data() -> None:
    assert kazoo_errors(["broken"]) == {"data": {"invalid": {"message": "broken"}}}

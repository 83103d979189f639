"""Request envelope parsing (reference §2.1)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from gateway.crossbar.body import FORM, INT64_MAX, INT64_MIN, check_shape, parse_envelope
from gateway.crossbar.errors import InvalidData

JSON = "application/json"


def error_of(raw: bytes, content_type: str = JSON) -> dict[str, Any]:
    with pytest.raises(InvalidData) as caught:
        parse_envelope(raw, content_type)
    assert caught.value.status == 400
    assert caught.value.message == "validation error"
    errors: dict[str, Any] = caught.value.data
    return errors


@pytest.mark.parametrize("raw", [b"", b"   ", b"\r\n"])
@pytest.mark.parametrize("content_type", [JSON, "", FORM])
def test_empty_body_is_an_empty_envelope(raw: bytes, content_type: str) -> None:
    assert parse_envelope(raw, content_type) == {}


@pytest.mark.parametrize("content_type", [JSON, "application/x-json", ""])
def test_json_envelope_is_returned(content_type: str) -> None:
    raw = b'{"data": {"name": "Front desk"}, "auth_token": "T", "verb": "PUT"}'
    assert parse_envelope(raw, content_type) == {
        "data": {"name": "Front desk"},
        "auth_token": "T",
        "verb": "PUT",
    }


def test_data_may_be_an_array() -> None:
    assert parse_envelope(b'{"data": [1, 2]}', JSON) == {"data": [1, 2]}


def test_data_may_be_an_empty_object() -> None:
    assert parse_envelope(b'{"data": {}}', JSON) == {"data": {}}


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        (b'{"Data": {"a": 1}}', "data"),
        (b'{"DATA": {"a": 1}}', "data"),
        (b'{"data": {}, "Auth-Token": "T"}', "auth_token"),
        (b'{"data": {}, "Accept-Charges": true}', "accept_charges"),
    ],
)
def test_top_level_keys_are_lower_cased_with_underscores(raw: bytes, key: str) -> None:
    assert key in parse_envelope(raw, JSON)


def test_keys_inside_data_are_not_normalised() -> None:
    envelope = parse_envelope(b'{"Data": {"First-Name": "A"}}', JSON)
    assert envelope["data"] == {"First-Name": "A"}


@pytest.mark.parametrize(
    "raw", [b"{", b'{"data": ', b"{'data': {}}", b'{"data": {}} x', b"nope", b'{"data": {},}']
)
def test_malformed_json_is_a_json_invalid_error(raw: bytes) -> None:
    errors = error_of(raw)
    assert list(errors) == ["json"]
    assert list(errors["json"]) == ["invalid"]
    detail = errors["json"]["invalid"]
    assert detail["target"] == "body"
    assert re.fullmatch(r".+ around \d+", detail["message"])


def test_malformed_json_message_names_the_position() -> None:
    assert error_of(b'{"data": ')["json"]["invalid"]["message"].endswith(" around 9")


@pytest.mark.parametrize(
    ("raw", "position"),
    [
        (b'{"data": "\xff"}', 10),
        (b'{"data": {"n": "\xc3\x28"}}', 16),
        (b'{"data": {"n": "\xed\xa0\x80"}}', 16),
    ],
)
def test_a_body_that_is_not_utf8_is_a_json_invalid_error_naming_the_byte(
    raw: bytes, position: int
) -> None:
    assert error_of(raw)["json"]["invalid"] == {
        "message": f"Body must be UTF-8: invalid byte around {position}",
        "target": "body",
    }


def test_a_utf16_body_is_not_guessed_but_refused() -> None:
    assert "invalid" in error_of('{"data": {}}'.encode("utf-16-le"))["json"]


def test_a_utf8_byte_order_mark_is_accepted() -> None:
    assert parse_envelope(b'\xef\xbb\xbf{"data": {"name": "Zo\xc3\xab"}}', JSON) == {
        "data": {"name": "Zoë"}
    }


@pytest.mark.parametrize("raw", [b"[1, 2]", b'"data"', b"42", b"null", b"true"])
def test_json_that_is_not_an_object_is_invalid(raw: bytes) -> None:
    assert error_of(raw) == {
        "json": {"invalid": {"message": "All JSON must be valid", "target": "body"}}
    }


@pytest.mark.parametrize("raw", [b'{"foo": 1}', b"{}", b'{"verb": "PUT"}'])
def test_missing_data_is_a_required_error(raw: bytes) -> None:
    assert error_of(raw) == {
        "data": {"required": {"message": "Field is required but missing", "value": "data"}}
    }


@pytest.mark.parametrize("value", ["x", 1, True, None])
def test_data_that_is_neither_object_nor_array_is_a_type_error(value: Any) -> None:
    raw = json.dumps({"data": value}).encode()
    assert error_of(raw) == {
        "data": {
            "type": {
                "message": "Value did not match type(s): object, array",
                "target": "object, array",
                "value": value,
            }
        }
    }


@pytest.mark.parametrize(
    "raw",
    [
        b'{"data": {"name": "Desk"}}',
        b'  {"data": {"name": "Desk"}}',
        b'{"data": {"name": "a=b&c=d"}}',
    ],
)
def test_form_urlencoded_body_holding_json_is_read_as_json(raw: bytes) -> None:
    envelope = parse_envelope(raw, FORM)
    assert set(envelope) == {"data"}
    assert isinstance(envelope["data"], dict)


def test_form_urlencoded_json_is_still_checked_for_data() -> None:
    assert "data" in error_of(b'{"name": "Desk"}', FORM)


def test_malformed_json_in_a_form_body_is_a_json_error() -> None:
    assert "json" in error_of(b'{"data": ', FORM)


@pytest.mark.parametrize("content_type", ["multipart/form-data", "text/csv", "audio/mpeg"])
def test_non_json_content_types_are_not_parsed_here(content_type: str) -> None:
    assert parse_envelope(b"\x00\x01binary", content_type) == {}


def test_form_fields_are_percent_decoded_as_utf8() -> None:
    assert parse_envelope(b"name=Zo%C3%AB+%E6%97%A5&n=1", FORM) == {"name": "Zoë 日", "n": "1"}


@pytest.mark.parametrize("raw", [b"name=%FF", b"name=%C3%28", b"%ED%A0%80=x"])
def test_form_fields_that_are_not_utf8_once_decoded_are_refused(raw: bytes) -> None:
    assert error_of(raw, FORM) == {
        "json": {
            "invalid": {
                "message": "Form fields must be UTF-8 once percent-decoded",
                "target": "body",
            }
        }
    }


def test_a_form_body_that_is_not_utf8_is_refused() -> None:
    detail = error_of(b"name=Zo\xeb", FORM)["json"]["invalid"]
    assert detail["message"] == "Body must be UTF-8: invalid byte around 7"


def test_a_nul_in_a_form_field_is_refused_naming_it() -> None:
    assert list(error_of(b"first_name=a%00b", FORM)) == ["first_name"]


def test_a_form_body_with_too_many_fields_is_refused() -> None:
    assert "maxItems" in error_of(b"&".join([b"a=1"] * 100_001), FORM)["json"]


def refusal(value: Any) -> dict[str, Any]:
    """check_shape's error: {field: {rule: detail}}."""
    with pytest.raises(InvalidData) as caught:
        check_shape(value)
    errors: dict[str, Any] = caught.value.data
    return errors


NUL_MESSAGE = {"invalid": {"message": "Strings must not contain NUL (\\u0000)"}}


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b'{"data": {"first_name": "a\\u0000b"}}', "first_name"),
        (b'{"data": {"caller_id": {"internal": {"name": "\\u0000"}}}}', "caller_id.internal.name"),
        (b'{"data": {"numbers": ["1001", "10\\u00002"]}}', "numbers.1"),
        (b'{"data": [{"a": 1}, {"b": ["x", {"c": "\\u0000"}]}]}', "1.b.1.c"),
        (b'{"data": {"sip.user": "\\u0000"}}', "sip%2Euser"),
        (b'{"Data": {"n": "\\u0000"}}', "n"),
        (b'{"data": {}, "auth_token": "\\u0000"}', "auth_token"),
        (b'{"data": "\\u0000"}', "data"),
    ],
)
def test_a_nul_in_a_string_is_refused_naming_the_field(raw: bytes, field: str) -> None:
    assert error_of(raw) == {field: NUL_MESSAGE}


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b'{"data": {"caller_id": {"a\\u0000": 1}}}', "caller_id"),
        (b'{"data": {"\\ud800": 1}}', "data"),
        (b'{"data": {}, "x\\u0000": 1}', "json"),
    ],
)
def test_a_nul_or_lone_surrogate_in_a_key_is_refused_naming_its_object(
    raw: bytes, field: str
) -> None:
    assert list(error_of(raw)) == [field]
    assert error_of(raw)[field]["invalid"]["message"].startswith("Property names must not")


@pytest.mark.parametrize("escape", [b"\\ud800", b"\\udfff", b"x\\udc00y", b"\\ude00\\ud83d"])
def test_a_lone_surrogate_in_a_string_is_refused(escape: bytes) -> None:
    assert error_of(b'{"data": {"name": "' + escape + b'"}}') == {
        "name": {"invalid": {"message": "Strings must not contain lone UTF-16 surrogates"}}
    }


@pytest.mark.parametrize(
    ("number", "rule", "bound"),
    [
        (2**63, "maximum", INT64_MAX),
        (2**70, "maximum", INT64_MAX),
        (-(2**63) - 1, "minimum", INT64_MIN),
        (-(2**64), "minimum", INT64_MIN),
    ],
)
def test_an_integer_past_64_bits_is_refused_naming_the_field(
    number: int, rule: str, bound: int
) -> None:
    raw = b'{"data": {"media": {"timeout": ' + str(number).encode() + b"}}}"
    detail = error_of(raw)["media.timeout"][rule]
    assert detail["target"] == bound and detail["value"] == number
    assert str(bound) in detail["message"] and "64-bit" in detail["message"]


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity", b"1e400", b"-1e400"])
def test_a_number_that_is_not_finite_is_refused_naming_the_field(literal: bytes) -> None:
    errors = error_of(b'{"data": {"list": [1, ' + literal + b"]}}")
    assert list(errors) == ["list.1"]
    assert "finite" in errors["list.1"]["invalid"]["message"]


def test_storable_values_pass() -> None:
    envelope = {
        "data": {
            "first_name": "Zoë 日本",
            "emoji": "\U0001f600",
            "tab": "a\tb\nc",
            "ints": [0, INT64_MAX, INT64_MIN, -1, True, False],
            "floats": [3.5, -0.0, 1e308, -1e-308, 5e-324],
            "nothing": None,
            "empty": [{}, []],
        },
        "auth_token": "t",
    }
    check_shape(envelope)
    raw = b'{"data": {"smile": "\\ud83d\\ude00", "big": 9223372036854775807, "f": 1e308}}'
    assert parse_envelope(raw, JSON)["data"] == {
        "smile": "\U0001f600",
        "big": INT64_MAX,
        "f": 1e308,
    }


@pytest.mark.parametrize(
    ("value", "field"),
    [("a\x00", "json"), (2**64, "json"), (float("nan"), "json"), ([1, [2**64]], "1.0")],
)
def test_check_shape_checks_a_bare_value_too(value: Any, field: str) -> None:
    assert list(refusal(value)) == [field]


def test_the_first_bad_value_found_is_named_once() -> None:
    errors = refusal({"data": {"a": "\x00", "b": 2**64}})
    assert len(errors) == 1 and set(errors) <= {"a", "b"}

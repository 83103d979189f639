"""Request envelope parsing (reference §2.1)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from gateway.crossbar.body import FORM, parse_envelope
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


@pytest.mark.parametrize("raw", [b'{"data": "\xff"}', b'{"data": {"n": "\xc3\x28"}}'])
def test_invalid_utf8_is_a_json_invalid_error_with_a_readable_message(raw: bytes) -> None:
    detail = error_of(raw)["json"]["invalid"]
    assert detail["target"] == "body"
    assert detail["message"] == "All JSON must be valid"


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

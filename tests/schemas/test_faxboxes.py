"""Faxbox documents (reference §10.14)."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.crossbar.errors import InvalidData
from gateway.crossbar.validation import load
from schemas.faxboxes import FaxboxSchema


def errors_of(data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(InvalidData) as caught:
        load(FaxboxSchema, data)
    errors: dict[str, Any] = caught.value.data
    return errors


def test_minimal_faxbox_gets_kazoo_defaults() -> None:
    assert load(FaxboxSchema, {"name": "Office fax"}) == {
        "name": "Office fax",
        "caller_name": "Kazoo Fax Printer",
        "fax_header": "Kazoo Fax Printer",
        "retries": 1,
        "attempts": 0,
        "media": {},
        "smtp_permission_list": [],
    }


def test_unknown_keys_are_kept() -> None:
    loaded = load(FaxboxSchema, {"name": "f", "owner_id": "u1", "media": {"x": 1}})
    assert loaded["owner_id"] == "u1"
    assert loaded["media"] == {"x": 1}


def test_name_is_required() -> None:
    assert errors_of({}) == {
        "name": {"required": {"message": "Field is required but missing", "value": "name"}}
    }


def test_retries_and_attempts_are_zero_to_four() -> None:
    errors = errors_of({"name": "f", "retries": 5, "attempts": -1})
    assert set(errors["retries"]) == {"maximum"}
    assert set(errors["attempts"]) == {"minimum"}


@pytest.mark.parametrize("send_to", ["a@example.com", ["a@example.com", "b@example.com"]])
def test_email_send_to_is_one_address_or_a_list(send_to: str | list[str]) -> None:
    data = {"name": "f", "notifications": {"inbound": {"email": {"send_to": send_to}}}}
    assert load(FaxboxSchema, data)["notifications"] == data["notifications"]


def test_bad_addresses_are_reported_where_they_are() -> None:
    notices = {"email": {"send_to": ["a@example.com", "nope"]}, "sms": {"send_to": 7}}
    errors = errors_of({"name": "f", "notifications": {"outbound": notices}})
    assert errors["notifications.outbound.email.send_to.1"] == {
        "wrong_format": {
            "message": "Field is not in the correct format",
            "value": "nope",
            "format": "email",
        }
    }
    assert set(errors["notifications.outbound.sms.send_to"]) == {"type"}


def test_callback_url_must_be_http_and_method_an_enum() -> None:
    callback = {"url": "ftp://x", "method": "get", "type": "json"}
    errors = errors_of({"name": "f", "notifications": {"inbound": {"callback": callback}}})
    assert set(errors) == {
        "notifications.inbound.callback.url",
        "notifications.inbound.callback.method",
    }
    assert errors["notifications.inbound.callback.url"]["pattern"]["target"] == "^https?://"

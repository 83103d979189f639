"""Phone number documents: cnam, e911, porting (reference §10.12)."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.crossbar.errors import InvalidData
from gateway.crossbar.validation import load
from schemas.phone_numbers import NUMBER_STATES, PhoneNumberSchema


def make_e911(**overrides: Any) -> dict[str, Any]:
    e911: dict[str, Any] = {
        "street_address": "116 Natoma St",
        "locality": "San Francisco",
        "region": "CA",
        "postal_code": "94105",
    }
    return {**e911, **overrides}


def errors_of(data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(InvalidData) as caught:
        load(PhoneNumberSchema, data)
    errors: dict[str, Any] = caught.value.data
    return errors


def test_empty_document_gets_no_defaults() -> None:
    assert load(PhoneNumberSchema, {}) == {}


def test_e911_gets_empty_notification_emails() -> None:
    loaded = load(PhoneNumberSchema, {"e911": make_e911()})
    assert loaded == {"e911": {**make_e911(), "notification_contact_emails": []}}


def test_unknown_keys_are_kept_at_every_level() -> None:
    data = {"my_field": 1, "cnam": {"display_name": "ACME", "x": True}}
    assert load(PhoneNumberSchema, data) == data


def test_cnam_display_name_is_at_most_15_characters() -> None:
    assert errors_of({"cnam": {"display_name": "A" * 16}}) == {
        "cnam.display_name": {
            "maxLength": {
                "message": "String must not be more than 15 characters",
                "target": 15,
                "value": "A" * 16,
                "cause": "A" * 16,
            }
        }
    }


def test_e911_needs_its_address_and_a_two_letter_region() -> None:
    errors = errors_of({"e911": {"region": "Cal", "locality": "SF"}})
    assert set(errors) == {"e911.street_address", "e911.postal_code", "e911.region"}
    assert errors["e911.street_address"] == {
        "required": {"message": "Field is required but missing", "value": "street_address"}
    }
    assert "maxLength" in errors["e911.region"]


def test_e911_status_is_an_enum() -> None:
    errors = errors_of({"e911": make_e911(status="DONE")})
    assert errors["e911.status"]["enum"]["target"] == [
        "INVALID",
        "GEOCODED",
        "PROVISIONED",
        "REMOVED",
        "ERROR",
    ]


def test_inbound_lookup_string_is_coerced() -> None:
    assert load(PhoneNumberSchema, {"cnam": {"inbound_lookup": "true"}}) == {
        "cnam": {"inbound_lookup": True}
    }


@pytest.mark.parametrize("state", NUMBER_STATES)
def test_every_create_state_is_accepted(state: str) -> None:
    assert load(PhoneNumberSchema, {"create_with_state": state})["create_with_state"] == state


def test_unknown_create_state_is_rejected() -> None:
    assert "enum" in errors_of({"create_with_state": "bought"})["create_with_state"]


def test_carrier_name_is_one_to_thirty_characters() -> None:
    assert "minLength" in errors_of({"carrier_name": ""})["carrier_name"]
    assert "maxLength" in errors_of({"carrier_name": "c" * 31})["carrier_name"]

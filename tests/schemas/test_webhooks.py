"""Webhook documents (reference §10.13)."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.crossbar.errors import InvalidData
from gateway.crossbar.validation import load
from schemas.webhooks import WebhookSchema


def make_webhook(**overrides: Any) -> dict[str, Any]:
    hook: dict[str, Any] = {
        "name": "cdr hook",
        "uri": "https://example.com/hooks",
        "hook": "channel_create",
    }
    return {**hook, **overrides}


def errors_of(data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(InvalidData) as caught:
        load(WebhookSchema, data)
    errors: dict[str, Any] = caught.value.data
    return errors


def test_minimal_webhook_gets_kazoo_defaults() -> None:
    assert load(WebhookSchema, make_webhook()) == {
        **make_webhook(),
        "http_verb": "post",
        "format": "form-data",
        "retries": 2,
        "enabled": True,
        "include_internal_legs": True,
    }


def test_unknown_keys_are_kept() -> None:
    assert load(WebhookSchema, make_webhook(owner="me"))["owner"] == "me"


def test_name_uri_and_hook_are_required() -> None:
    errors = errors_of({})
    assert errors == {
        key: {"required": {"message": "Field is required but missing", "value": key}}
        for key in ("name", "uri", "hook")
    }


@pytest.mark.parametrize("uri", ["ftp://example.com/x", "example.com", "http://", "https:// x"])
def test_uri_must_be_an_http_url(uri: str) -> None:
    assert set(errors_of(make_webhook(uri=uri))["uri"]) == {"pattern"}


def test_http_verb_is_an_enum() -> None:
    assert errors_of(make_webhook(http_verb="delete"))["http_verb"]["enum"] == {
        "message": "Value not found in enumerated list of values",
        "target": ["get", "post", "put"],
        "value": "delete",
    }


def test_retries_are_zero_to_four_and_numeric_strings_coerce() -> None:
    assert load(WebhookSchema, make_webhook(retries="4"))["retries"] == 4
    assert errors_of(make_webhook(retries=5))["retries"] == {
        "maximum": {"message": "Value must be at most 4", "target": 4, "value": 5}
    }


def test_custom_data_values_must_be_strings() -> None:
    assert load(WebhookSchema, make_webhook(custom_data={"a": "b"}))["custom_data"] == {"a": "b"}
    errors = errors_of(make_webhook(custom_data={"a": 1}))
    assert set(errors["custom_data.a"]) == {"type"}

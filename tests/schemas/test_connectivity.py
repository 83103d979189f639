"""Connectivity (trunkstore) documents (reference §10.14)."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.crossbar.errors import InvalidData
from gateway.crossbar.validation import load
from schemas.connectivity import ConnectivitySchema


def make_server(**overrides: Any) -> dict[str, Any]:
    server: dict[str, Any] = {"name": "pbx", "auth": {"auth_method": "ip", "ip": "10.0.0.1"}}
    return {**server, **overrides}


def errors_of(data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(InvalidData) as caught:
        load(ConnectivitySchema, data)
    errors: dict[str, Any] = caught.value.data
    return errors


def test_empty_document_gets_no_servers() -> None:
    assert load(ConnectivitySchema, {}) == {"servers": []}


def test_server_defaults_fill_auth_options_and_dids() -> None:
    server = make_server(auth={}, options={}, DIDs={"+14155551234": {}})
    assert load(ConnectivitySchema, {"servers": [server]}) == {
        "servers": [
            {
                "name": "pbx",
                "auth": {"auth_method": "password"},
                "options": {
                    "delay": 0,
                    "enabled": True,
                    "force_outbound": False,
                    "hunt_non_reconcilable": False,
                    "inbound_format": "npan",
                    "media_handling": "bypass",
                },
                "DIDs": {"+14155551234": {"force_outbound": False}},
            }
        ]
    }


def test_unknown_keys_are_kept() -> None:
    data = {"account": {"trunks": 2, "inbound_trunks": 1}, "servers": [make_server(x=1)]}
    assert load(ConnectivitySchema, data) == data


def test_server_needs_auth() -> None:
    assert errors_of({"servers": [{"name": "pbx"}]}) == {
        "servers.0.auth": {
            "required": {"message": "Field is required but missing", "value": "auth"}
        }
    }


def test_auth_method_and_inbound_format_are_enums() -> None:
    server = make_server(auth={"auth_method": "token"}, options={"inbound_format": "sip"})
    errors = errors_of({"servers": [server]})
    assert set(errors) == {"servers.0.auth.auth_method", "servers.0.options.inbound_format"}
    assert errors["servers.0.auth.auth_method"]["enum"]["target"] == [
        "password",
        "Password",
        "IP",
        "ip",
    ]


def test_caller_ids_are_at_most_35_characters() -> None:
    data = {"account": {"caller_id": {"cid_name": "n" * 36}, "trunks": -1}}
    errors = errors_of(data)
    assert set(errors["account.caller_id.cid_name"]) == {"maxLength"}
    assert set(errors["account.trunks"]) == {"minimum"}


def test_did_errors_name_the_number() -> None:
    server = make_server(DIDs={"+14155551234": {"caller_id": {"cid_number": ""}}})
    errors = errors_of({"servers": [server]})
    assert set(errors) == {"servers.0.DIDs.+14155551234.caller_id.cid_number"}

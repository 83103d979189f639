"""Bounds on a request's path, query string and headers (checked before the pipeline)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request
from multidict import CIMultiDict, CIMultiDictProxy

from gateway.crossbar.bounds import (
    MAX_HEADER_VALUE,
    MAX_HEADERS,
    MAX_QUERY_LENGTH,
    MAX_QUERY_NAME,
    MAX_QUERY_PARAMS,
    MAX_QUERY_VALUE,
    MAX_SEGMENT_LENGTH,
    MAX_SEGMENTS,
    check_request,
)
from gateway.crossbar.errors import InvalidData

A = "a" * 32


Headers = CIMultiDict[str] | dict[str, str]


def request(path: str, headers: Headers | None = None) -> web.Request:
    return make_mocked_request("GET", path, headers=headers)


def decoded(headers: dict[str, str]) -> web.Request:
    """A request with header values as aiohttp decodes them: bytes that are not UTF-8 arrive
    as lone surrogates, which a mocked request cannot carry."""
    stand_in = SimpleNamespace(
        raw_path="/v2/accounts", headers=CIMultiDictProxy(CIMultiDict(headers))
    )
    return cast(web.Request, stand_in)


def check(path: str, headers: Headers | None = None) -> None:
    check_request(request(path, headers))


def refusal(path: str, headers: Headers | None = None) -> Any:
    return refusal_of(request(path, headers))


def refusal_of(req: web.Request) -> Any:
    with pytest.raises(InvalidData) as caught:
        check_request(req)
    assert caught.value.status == 400
    assert caught.value.message == "validation error"
    return caught.value.data


@pytest.mark.parametrize(
    "path",
    [
        "/v2/accounts/" + A + "/users",
        "/v2/accounts/" + A + "/vmboxes/" + A + "/messages/" + A + "/raw",
        "/v2/accounts/" + A + "/users/Zo%C3%AB%20%E6%97%A5%E6%9C%AC",
        "/v2/" + "/".join(["x"] * (MAX_SEGMENTS - 1)),
        "/v2/" + "/".join(["x"] * (MAX_SEGMENTS - 1)) + "////",
        "/v2/accounts/" + "b" * MAX_SEGMENT_LENGTH,
        "/v2/accounts/" + "%C3%AB" * MAX_SEGMENT_LENGTH,
        "/v2/accounts//users",
        "/v2/phone_numbers/%2B14155550100",
    ],
)
def test_paths_within_the_bounds_pass(path: str) -> None:
    check(path)


def test_more_segments_than_the_bound_are_refused() -> None:
    data = refusal("/v2/" + "/".join(["x"] * MAX_SEGMENTS))
    assert data == {
        "path": {
            "maxItems": {
                "message": f"The path must not have more than {MAX_SEGMENTS} segments",
                "target": MAX_SEGMENTS,
            }
        }
    }


@pytest.mark.parametrize(
    "segment", ["b" * (MAX_SEGMENT_LENGTH + 1), "%C3%AB" * (MAX_SEGMENT_LENGTH + 1)]
)
def test_a_segment_longer_than_the_bound_is_refused(segment: str) -> None:
    detail = refusal("/v2/accounts/" + segment)["path"]["maxLength"]
    assert detail["target"] == MAX_SEGMENT_LENGTH
    assert str(MAX_SEGMENT_LENGTH) in detail["message"]


@pytest.mark.parametrize("segment", ["%FF", "a%00b", "%C3%28", "%ED%A0%80", "x%E6%97"])
def test_a_segment_that_is_not_utf8_or_holds_nul_is_refused(segment: str) -> None:
    data = refusal(f"/v2/accounts/{A}/users/{segment}")
    assert list(data) == ["path"] and list(data["path"]) == ["invalid"]
    assert "UTF-8" in data["path"]["invalid"]["message"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "paginate=false&page_size=50",
        "&".join(f"filter_field{n}=value{n}" for n in range(50)),
        "&".join(["filter_x=1"] * MAX_QUERY_PARAMS),
        "name=Zo%C3%AB+%E6%97%A5%E6%9C%AC",
        "k" * MAX_QUERY_NAME + "=" + "v" * MAX_QUERY_VALUE,
        "flag&other=&&",
    ],
)
def test_query_strings_within_the_bounds_pass(query: str) -> None:
    check(f"/v2/accounts/{A}/users?{query}")


def test_a_query_string_longer_than_the_bound_is_refused() -> None:
    data = refusal("/v2/accounts?" + "x=" + "v" * (MAX_QUERY_LENGTH - 1))
    assert data["query"]["maxLength"]["target"] == MAX_QUERY_LENGTH
    assert "query string" in data["query"]["maxLength"]["message"]


def test_more_parameters_than_the_bound_are_refused_counting_repeats() -> None:
    data = refusal("/v2/accounts?" + "&".join(["filter_x=1"] * (MAX_QUERY_PARAMS + 1)))
    assert data == {
        "query": {
            "maxItems": {
                "message": f"The query string must not have more than {MAX_QUERY_PARAMS} "
                "parameters",
                "target": MAX_QUERY_PARAMS,
            }
        }
    }


def test_a_parameter_name_longer_than_the_bound_is_refused() -> None:
    detail = refusal("/v2/accounts?" + "k" * (MAX_QUERY_NAME + 1) + "=1")["query"]["maxLength"]
    assert detail["target"] == MAX_QUERY_NAME
    assert detail["message"].startswith("Parameter names")


def test_a_parameter_value_longer_than_the_bound_is_refused_naming_it() -> None:
    detail = refusal("/v2/accounts?filter_name=" + "v" * (MAX_QUERY_VALUE + 1))["query"]
    assert detail["maxLength"]["target"] == MAX_QUERY_VALUE
    assert detail["maxLength"]["cause"] == "filter_name"


@pytest.mark.parametrize("value", ["%FF", "a%00b", "%C3%28", "%ED%A0%80"])
def test_a_parameter_value_that_is_not_utf8_or_holds_nul_is_refused(value: str) -> None:
    detail = refusal(f"/v2/accounts?filter_name={value}")["query"]["invalid"]
    assert detail["cause"] == "filter_name"
    assert "UTF-8 without NUL" in detail["message"]


@pytest.mark.parametrize("name", ["%FF", "a%00", "filter_%C3"])
def test_a_parameter_name_that_is_not_utf8_or_holds_nul_is_refused(name: str) -> None:
    detail = refusal(f"/v2/accounts?{name}=1")["query"]["invalid"]
    assert "cause" not in detail
    assert detail["message"].startswith("Parameter names")


def test_headers_within_the_bounds_pass() -> None:
    headers = CIMultiDict({f"X-Extra-{n}": "1" for n in range(MAX_HEADERS - 4)})
    headers.update(
        {
            "X-Auth-Token": "t" * MAX_HEADER_VALUE,
            "X-File-Name": "Zoë 日本.csv",
            "Cookie": "c" * (MAX_HEADER_VALUE * 2),
            "Authorization": "Bearer\tabc",
        }
    )
    check("/v2/accounts", headers)


def test_more_headers_than_the_bound_are_refused_counting_repeats() -> None:
    headers: CIMultiDict[str] = CIMultiDict()
    for _ in range(MAX_HEADERS + 1):
        headers.add("X-Same", "1")
    data = refusal("/v2/accounts", headers)
    assert data["headers"]["maxItems"]["target"] == MAX_HEADERS


def test_a_header_value_longer_than_the_bound_is_refused_naming_it() -> None:
    data = refusal("/v2/accounts", {"X-Custom": "v" * (MAX_HEADER_VALUE + 1)})
    assert data["headers"]["maxLength"] == {
        "message": f"Header values must not be more than {MAX_HEADER_VALUE} characters",
        "target": MAX_HEADER_VALUE,
        "cause": "X-Custom",
    }


@pytest.mark.parametrize(
    "name", ["X-Auth-Token", "Authorization", "Idempotency-Key", "X-File-Name"]
)
@pytest.mark.parametrize("value", ["a\x00b", "a\x01b", "a\nb", "a\x7fb", "a\udcffb"])
def test_control_characters_or_non_utf8_in_a_header_we_read_are_refused(
    name: str, value: str
) -> None:
    detail = refusal_of(decoded({name: value}))["headers"]["invalid"]
    assert detail["cause"] == name
    assert detail["message"] == f"{name} must be UTF-8 without control characters"


def test_control_characters_in_a_header_we_do_not_read_pass() -> None:
    check_request(decoded({"X-Unread": "a\udcffb", "X-File-Name": "Zoë"}))

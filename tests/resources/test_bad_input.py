"""Bad input (bodies, query strings, headers, paths) is a 400 before anything reads it, and
changes nothing."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from gateway.crossbar.body import MAX_DEPTH
from gateway.crossbar.bounds import (
    MAX_HEADER_VALUE,
    MAX_HEADERS,
    MAX_QUERY_LENGTH,
    MAX_QUERY_NAME,
    MAX_QUERY_PARAMS,
    MAX_QUERY_VALUE,
    MAX_SEGMENT_LENGTH,
    MAX_SEGMENTS,
)
from gateway.settings import Settings
from tests.conftest import Tree
from tests.resources.clients import INTAKE_KEY, Api, at, make_user, send_events


def nested(depth: int) -> str:
    """A JSON envelope whose data nests `depth` objects deep in total."""
    return '{"data": {"name": "x", "n": ' + '{"a": ' * (depth - 3) + "1" + "}" * (depth - 3) + "}}"


async def test_a_body_nested_thousands_deep_is_a_400_and_stores_nothing(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = {**await auth_headers("customer"), "Content-Type": "application/json"}
    for depth in (MAX_DEPTH + 1, 5000, 50_000):
        response = await client.put(
            at(tree.customer, "/groups"), data=nested(depth), headers=headers
        )
        body = await response.json()
        assert response.status == 400, (depth, body)
        assert "maxDepth" in body["data"]["json"]
    listed = await client.get(at(tree.customer, "/groups"), headers=headers)
    assert (await listed.json())["data"] == []


async def test_a_body_at_the_depth_bound_is_accepted(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = {**await auth_headers("customer"), "Content-Type": "application/json"}
    response = await client.put(
        at(tree.customer, "/groups"), data=nested(MAX_DEPTH), headers=headers
    )
    assert response.status == 201, await response.text()


async def test_a_deep_callflow_within_the_bound_validates(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    flow: dict[str, Any] = {"module": "hangup", "data": {}}
    for _ in range(MAX_DEPTH // 2 - 3):
        flow = {"module": "sleep", "data": {"duration": 1}, "children": {"_": flow}}
    response = await client.put(
        at(tree.customer, "/callflows"),
        json={"data": {"numbers": ["5550"], "flow": flow}},
        headers=headers,
    )
    assert response.status == 201, await response.text()


async def test_a_body_with_too_many_values_is_a_400(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = {**await auth_headers("customer"), "Content-Type": "application/json"}
    many = '{"data": {"name": "x", "list": [' + ",".join(["1"] * 100_001) + "]}}"
    response = await client.put(at(tree.customer, "/groups"), data=many, headers=headers)
    assert response.status == 400
    assert "maxItems" in (await response.json())["data"]["json"]


# What bad input looks like past the shape bounds: each class is a 400 naming its bound, before
# any handler runs, and nothing is stored.


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, intake_keys=frozenset({INTAKE_KEY}))


def refusal(body: dict[str, Any], field: str, rule: str) -> dict[str, Any]:
    """The detail of a validation error naming `field` and `rule`."""
    assert body["error"] == "400" and body["message"] == "validation error", body
    assert body["status"] == "error"
    assert list(body["data"]) == [field], body["data"]
    detail: dict[str, Any] = body["data"][field][rule]
    return detail


async def raw_request(
    client: TestClient[Any, Any], head: bytes, body: bytes = b""
) -> tuple[int, bytes]:
    """Send bytes no client would (headers that are not UTF-8); (status, body)."""
    reader, writer = await asyncio.open_connection(client.server.host, client.server.port)
    length = b"Content-Length: %d\r\n" % len(body) if body else b""
    writer.write(head + length + b"Host: test\r\nConnection: close\r\n\r\n" + body)
    answer = await reader.read()
    writer.close()
    await writer.wait_closed()
    status_line, _, rest = answer.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


@pytest.mark.parametrize("first_name", ["Zo\x00ë", "\ud800", "a\udfffb"])
async def test_a_user_with_nul_or_a_lone_surrogate_is_a_400_and_creates_no_user(
    api: Api, first_name: str
) -> None:
    status, body = await api.call(
        "PUT", api.users(), json={"data": make_user(first_name=first_name)}
    )
    assert status == 400
    assert "Strings must not contain" in refusal(body, "first_name", "invalid")["message"]
    assert await api.user_ids() == sorted([api.tree.users["customer"]["id"]])


@pytest.mark.parametrize(
    ("number", "rule"),
    [(str(2**70), "maximum"), (str(-(2**64)), "minimum")],
)
async def test_a_post_with_an_integer_past_64_bits_leaves_the_user_as_it_was(
    api: Api, number: str, rule: str
) -> None:
    user_id = (await api.create_user(first_name="Zoë 日本"))["data"]["id"]
    before = await api.call("GET", api.users(user_id))
    raw = '{"data": {"first_name": "Bob", "last_name": "Smith", "score": ' + number + "}}"
    status, body = await api.call(
        "POST", api.users(user_id), data=raw, headers={"Content-Type": "application/json"}
    )
    assert status == 400
    detail = refusal(body, "score", rule)
    assert "64-bit" in detail["message"] and str(detail["value"]) == number
    after = await api.call("GET", api.users(user_id))
    assert after[1]["data"] == before[1]["data"] and after[1]["revision"] == before[1]["revision"]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
async def test_a_number_that_is_not_finite_is_a_400_and_creates_no_user(
    api: Api, literal: str
) -> None:
    raw = '{"data": {"first_name": "Bob", "last_name": "Smith", "caller_id": {"x": ' + literal
    raw += "}}}"
    status, body = await api.call(
        "PUT", api.users(), data=raw, headers={"Content-Type": "application/json"}
    )
    assert status == 400
    assert "finite" in refusal(body, "caller_id.x", "invalid")["message"]
    assert len(await api.user_ids()) == 1


async def test_legitimate_unicode_big_integers_and_floats_are_stored(api: Api) -> None:
    created = await api.create_user(
        first_name="Zoë 日本", last_name="😀 Smith", big=2**63 - 1, small=-(2**63), ratio=0.25
    )
    status, body = await api.call("GET", api.users(created["data"]["id"]))
    assert status == 200
    data = body["data"]
    assert (data["first_name"], data["last_name"]) == ("Zoë 日本", "😀 Smith")
    assert (data["big"], data["small"], data["ratio"]) == (2**63 - 1, -(2**63), 0.25)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"data": {"first_name": "Zo\xeb", "last_name": "S"}}', "Body must be UTF-8"),
        (b"first_name=Zo%EB&last_name=S", "Form fields must be UTF-8"),
    ],
)
async def test_a_body_that_is_not_utf8_is_a_400_and_creates_no_user(
    api: Api, body: bytes, message: str
) -> None:
    content_type = "application/x-www-form-urlencoded" if b"=" in body[:12] else "application/json"
    status, answer = await api.call(
        "PUT", api.users(), data=body, headers={"Content-Type": content_type}
    )
    assert status == 400
    assert refusal(answer, "json", "invalid")["message"].startswith(message)
    assert len(await api.user_ids()) == 1


@pytest.mark.parametrize(
    ("query", "rule", "bound"),
    [
        ("&".join(["filter_x=1"] * (MAX_QUERY_PARAMS + 1)), "maxItems", MAX_QUERY_PARAMS),
        ("k" * (MAX_QUERY_NAME + 1) + "=1", "maxLength", MAX_QUERY_NAME),
        ("filter_name=" + "v" * (MAX_QUERY_VALUE + 1), "maxLength", MAX_QUERY_VALUE),
        ("x=" + "v" * MAX_QUERY_LENGTH, "maxLength", MAX_QUERY_LENGTH),
    ],
)
async def test_a_query_string_past_a_bound_is_a_400_naming_it(
    api: Api, query: str, rule: str, bound: int
) -> None:
    status, body = await api.call("GET", api.users() + "?" + query)
    assert status == 400
    detail = refusal(body, "query", rule)
    assert detail["target"] == bound and str(bound) in detail["message"]


@pytest.mark.parametrize("query", ["first_name=%FF", "name=a%00b", "%00=1", "x=%ED%A0%80"])
async def test_a_query_that_is_not_utf8_or_holds_nul_is_a_400_and_creates_no_user(
    api: Api, query: str
) -> None:
    status, body = await api.call("PUT", api.users() + "?" + query, json={"data": make_user()})
    assert status == 400
    assert "UTF-8 without NUL" in refusal(body, "query", "invalid")["message"]
    assert len(await api.user_ids()) == 1


async def test_a_listing_with_50_filters_and_unicode_values_passes(api: Api) -> None:
    await api.create_user(first_name="Zoë 日本")
    filters = "&".join(f"filter_custom_{n}=v{n}" for n in range(49))
    query = "?filter_first_name=Zo%C3%AB+%E6%97%A5%E6%9C%AC&" + filters + "&paginate=true"
    status, body = await api.call("GET", api.users() + query)
    assert status == 200, body
    assert body["data"] == []
    first_only = await api.call(
        "GET", api.users() + "?filter_first_name=Zo%C3%AB+%E6%97%A5%E6%9C%AC"
    )
    assert [row["first_name"] for row in first_only[1]["data"]] == ["Zoë 日本"]


async def test_more_headers_than_the_bound_is_a_400(api: Api) -> None:
    extra = {f"X-Extra-{n}": "1" for n in range(MAX_HEADERS)}
    status, body = await api.call("PUT", api.users(), json={"data": make_user()}, headers=extra)
    assert status == 400
    assert refusal(body, "headers", "maxItems")["target"] == MAX_HEADERS
    assert len(await api.user_ids()) == 1


async def test_a_header_value_past_the_bound_is_a_400_naming_the_header(api: Api) -> None:
    status, body = await api.call(
        "GET", api.users(), headers={"X-File-Name": "f" * (MAX_HEADER_VALUE + 1)}
    )
    assert status == 400
    detail = refusal(body, "headers", "maxLength")
    assert (detail["target"], detail["cause"]) == (MAX_HEADER_VALUE, "X-File-Name")


async def test_a_header_we_read_that_is_not_utf8_is_a_400_and_creates_no_user(api: Api) -> None:
    user = json.dumps({"data": make_user()}).encode()
    head = (
        f"PUT {api.users()} HTTP/1.1\r\nX-Auth-Token: {api.headers['X-Auth-Token']}\r\n"
        "Content-Type: application/json\r\nIdempotency-Key: key-\xff\r\n"
    ).encode("latin-1")
    status, body = await raw_request(api.client, head, user)
    assert status == 400
    detail = refusal(json.loads(body), "headers", "invalid")
    assert detail == {
        "message": "Idempotency-Key must be UTF-8 without control characters",
        "cause": "Idempotency-Key",
    }
    assert len(await api.user_ids()) == 1


async def test_aiohttp_itself_refuses_nul_and_control_characters_in_headers(api: Api) -> None:
    for value in (b"a\x00b", b"a\x01b", b"a\x7fb"):
        head = b"GET " + api.users().encode() + b" HTTP/1.1\r\nX-File-Name: " + value + b"\r\n"
        status, _ = await raw_request(api.client, head)
        assert status == 400


async def test_more_path_segments_than_the_bound_is_a_400(api: Api) -> None:
    path = api.users() + "/x" * (MAX_SEGMENTS - 3)
    assert len(path.strip("/").split("/")) == MAX_SEGMENTS + 1
    status, body = await api.call("GET", path)
    assert status == 400
    assert refusal(body, "path", "maxItems")["target"] == MAX_SEGMENTS


async def test_a_path_segment_past_the_bound_is_a_400(api: Api) -> None:
    status, body = await api.call("GET", api.users("u" * (MAX_SEGMENT_LENGTH + 1)))
    assert status == 400
    assert refusal(body, "path", "maxLength")["target"] == MAX_SEGMENT_LENGTH


@pytest.mark.parametrize("segment", ["%FF", "a%00b", "%C3%28"])
async def test_a_path_segment_that_is_not_utf8_or_holds_nul_is_a_400_and_deletes_nothing(
    api: Api, segment: str
) -> None:
    user_id = (await api.create_user())["data"]["id"]
    status, body = await api.call("DELETE", api.users(user_id) + segment)
    assert status == 400
    assert "UTF-8 without NUL" in refusal(body, "path", "invalid")["message"]
    assert user_id in await api.user_ids()


@pytest.mark.parametrize(
    ("tail", "message"),
    [
        ("/users/Zo%C3%AB", "bad_identifier"),
        ("/users/" + "u" * MAX_SEGMENT_LENGTH, "bad_identifier"),
        ("/users/a/b" + "/x" * (MAX_SEGMENTS - 6), "not_found"),
    ],
)
async def test_well_formed_unknown_paths_stay_kazoos_404(
    api: Api, tail: str, message: str
) -> None:
    status, body = await api.call("GET", at(api.tree.customer, tail))
    assert (status, body["message"]) == (404, message), body


async def test_an_intake_batch_with_a_nul_is_a_400_and_takes_no_event(
    client: TestClient[Any, Any], tree: Tree
) -> None:
    event = {
        "event_id": "e1",
        "type": "registration",
        "account_id": tree.customer["id"],
        "action": "register",
        "username": "user\x001001",
        "realm": tree.customer["realm"],
        "contact": "sip:user_1001@192.0.2.10:5060",
        "expires": 300,
    }
    status, body = await send_events(client, [event])
    assert status == 400
    assert "NUL" in refusal(body, "0.username", "invalid")["message"]
    status, body = await send_events(client, [{**event, "username": "user_1001"}])
    assert (status, body["data"]["accepted"]) == (200, ["e1"])


async def test_the_intake_checks_the_query_string_too(client: TestClient[Any, Any]) -> None:
    response = await client.post(
        "/v2/intake?x=%FF", json={"data": []}, headers={"X-Auth-Token": INTAKE_KEY}
    )
    assert response.status == 400
    assert "invalid" in (await response.json())["data"]["query"]


async def test_a_multipart_part_with_a_malformed_header_is_a_400_and_stores_nothing(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("reseller")
    branding = {"data": {"domain": "portal.multipart.test"}}
    created = await client.put(at(tree.reseller, "/whitelabel"), json=branding, headers=headers)
    assert created.status == 201, await created.text()
    path = at(tree.reseller, "/whitelabel/logo")
    boundary = b"b0undary"
    body = (
        b'--b0undary\r\nContent-Disposition: form-data; name="x\x0cy"; filename="a.png"\r\n'
        b"Content-Type: image/png\r\n\r\npng\r\n--b0undary--\r\n"
    )
    content_type = {"Content-Type": "multipart/form-data; boundary=" + boundary.decode()}
    response = await client.post(path, data=body, headers={**headers, **content_type})
    assert response.status == 400, await response.text()
    assert refusal(await response.json(), "file", "invalid")["message"].startswith("The multipart")
    assert (await client.get(path, headers=headers)).status == 404


async def test_query_integers_past_64_bits_are_a_400_or_match_nothing(api: Api) -> None:
    await api.create_user(username="in-range", password="pw-in-range")
    status, body = await api.call("GET", api.users() + f"?created_to={2**70}")
    assert status == 400
    assert refusal(body, "created_to", "maximum")["target"] == 2**63 - 1
    status, body = await api.call("GET", api.users() + f"?filter_priority={2**70}")
    assert (status, body["data"]) == (200, [])


async def test_a_csv_of_plain_values_has_one_value_column(client: TestClient[Any, Any]) -> None:
    response = await client.get("/v2/schemas?accept=csv")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/csv"
    lines = (await response.text()).splitlines()
    assert lines[0] == '"value"'
    assert '"users"' in lines


async def test_a_vcard_of_a_name_with_line_breaks_gets_a_safe_file_name(api: Api) -> None:
    user = (await api.create_user(first_name='Ann\r\nX-Evil: 1"', last_name="Smith"))["data"]
    response = await api.send("GET", api.users(user["id"]) + "/vcard")
    assert response.status == 200
    assert (
        response.headers["Content-Disposition"] == "attachment; filename=Ann__X-Evil: 1__Smith.vcf"
    )
    assert "X-Evil" not in response.headers


async def test_a_newline_in_a_path_gets_a_kazoo_envelope(api: Api) -> None:
    status, body = await api.call("GET", api.users("a%0Ab"))
    assert status == 404
    assert body["status"] == "error" and body["request_id"]

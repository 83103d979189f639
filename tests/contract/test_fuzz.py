"""Property-based HTTP fuzzing of every documented operation against a live gateway."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
import schemathesis
from aiohttp.test_utils import TestClient
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from yarl import URL

from gateway.openapi import CONTRACT_PATH
from gateway.settings import Settings
from tests.conftest import Tree, md5_credentials
from tests.contract.live import LiveGateway
from tests.resources.clients import create_device

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
# Examples per operation and mode: every operation gets a few rather than a few get many
# (about 280 operations; the whole of tests/contract stays within 45 s on two cores). The
# first example of a mode is its simplest; writes get one random body on top.
EXAMPLES = {GenerationMode.POSITIVE: 1, GenerationMode.NEGATIVE: 1}
BODY_EXAMPLES = {GenerationMode.POSITIVE: 2, GenerationMode.NEGATIVE: 1}
BODY_VERBS = frozenset({"PUT", "POST", "PATCH"})
SEED = 20_260_001
REQUEST_SECONDS = 10
_PLACEHOLDER = re.compile(r"\{([^}]+)\}")


@dataclass
class Target:
    """The live gateway, a session, a reseller admin's token and real ids to aim at."""

    live: LiveGateway
    session: requests.Session
    token: str
    ids: dict[str, str]

    def create(self, path: str, data: dict[str, Any]) -> str:
        """Create a document through the API; its id."""
        response = self.session.put(
            self.live.base_url + path,
            json={"data": data},
            headers={"X-Auth-Token": self.token},
            timeout=REQUEST_SECONDS,
        )
        assert response.status_code == 201, response.text
        return str(response.json()["data"]["id"])


@pytest.fixture
def target(settings: Settings, mongo_url: str) -> Iterator[Target]:
    """A customer account under a reseller, with a user, device, vmbox and callflow."""
    with LiveGateway(settings, mongo_url) as live, requests.Session() as session:
        login = session.put(
            live.base_url + "/v2/user_auth",
            json={
                "data": {
                    "credentials": md5_credentials("reseller-admin", "reseller-secret"),
                    "account_name": "Reseller",
                }
            },
            timeout=REQUEST_SECONDS,
        )
        assert login.status_code == 201, login.text
        account = live.tree.customer["id"]
        found = Target(live, session, login.json()["auth_token"], {"account_id": account})
        base = f"/v2/accounts/{account}"
        user = found.ids["user_id"] = live.tree.users["customer"]["id"]
        found.ids["device_id"] = found.create(f"{base}/devices", {"name": "D", "owner_id": user})
        found.ids["vmbox_id"] = found.create(f"{base}/vmboxes", {"name": "B", "mailbox": "3001"})
        found.ids["callflow_id"] = found.create(
            f"{base}/callflows", {"numbers": ["3001"], "flow": {"module": "voicemail"}}
        )
        yield found


def fuzz_order(path: str, verb: str) -> tuple[int, str]:
    """Reads and writes first, then deletes in reverse path order (what hangs below a document
    goes before it), and last what ends the token's reach: revoking the token, and changing or
    deleting the account itself."""
    verb = verb.upper()
    ends_reach = (path == "/v2/token_auth" and verb == "DELETE") or (
        path == "/v2/accounts/{account_id}" and verb in ("POST", "PATCH", "DELETE")
    )
    if ends_reach:
        return 3, f"{path} {verb}"
    if verb == "DELETE":
        return 2, "".join(chr(0x10FFFF - ord(char)) for char in path)
    return 1, f"{path} {verb}"


def _fuzz(target: Target, operation: Any, mode: GenerationMode) -> list[str]:
    """The distinct failures of a few generated requests to one operation."""
    fixed = {
        name: target.ids[name]
        for name in _PLACEHOLDER.findall(operation.path)
        if name in target.ids
    }
    strategy = operation.as_strategy(
        generation_mode=mode, path_parameters=fixed, headers={"X-Auth-Token": target.token}
    )
    failures: dict[str, str] = {}
    examples = BODY_EXAMPLES if operation.method.upper() in BODY_VERBS else EXAMPLES

    @given(case=strategy)
    @settings(
        max_examples=examples[mode],
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @seed(SEED)
    def run(case: Any) -> None:
        try:
            response = case.call(
                base_url=target.live.base_url, session=target.session, timeout=REQUEST_SECONDS
            )
        except requests.RequestException as dropped:
            command = case.as_curl_command()
            failures.setdefault(type(dropped).__name__, f"{operation.label}: no reply: {command}")
            return
        try:
            case.validate_response(response, checks=CHECKS)
        except (AssertionError, FailureGroup) as failure:
            title = str(failure).split("\n", 1)[0]
            failures.setdefault(title, f"{operation.label} [{mode.value}]: {failure}")

    try:
        run()
    except Unsatisfiable:
        # Nothing of this operation can be made invalid (every parameter is fixed).
        assert mode is GenerationMode.NEGATIVE
    return list(failures.values())


def test_no_operation_breaks_the_contract(target: Target) -> None:
    schema = schemathesis.openapi.from_url(target.live.base_url + CONTRACT_PATH)
    operations = [result.ok() for result in schema.get_all_operations()]
    operations.sort(key=lambda operation: fuzz_order(operation.path, operation.method))
    assert len(operations) > 250
    failures = [
        failure
        for operation in operations
        for mode in MODES
        for failure in _fuzz(target, operation, mode)
    ]
    assert not failures, "\n\n".join(failures)


# Point 5's bad shapes, each put in a body that is otherwise valid for its operation, so only
# the bounds stand between them and the handler.
BAD_VALUES: dict[str, bytes] = {
    "nested 1,000 levels": b"[" * 1000 + b"]" * 1000,
    "200,000 values": b"[" + b",".join([b"0"] * 200_000) + b"]",
    "NUL in a string": b'"a\\u0000b"',
    "NUL in a key": b'{"a\\u0000b": 1}',
    "invalid UTF-8": b'"\xff\xfe"',
    "integer past 64 bits": str(2**70).encode(),
    "NaN": b"NaN",
    "Infinity": b"Infinity",
    "-Infinity": b"-Infinity",
}
_SLOT = '"@@bad@@"'


@dataclass
class Sample:
    """A few operations of different kinds, with real ids, to aim bad requests at."""

    headers: dict[str, str]
    writes: list[tuple[str, str, dict[str, Any]]]
    reads: list[str]  # the first is a listing


@pytest.fixture
async def sample(client: TestClient[Any, Any], tree: Tree, auth_headers: Any) -> Sample:
    """Writes and reads of the customer account, as its admin."""
    headers = await auth_headers("customer")
    base = f"/v2/accounts/{tree.customer['id']}"
    device = await create_device(client, tree.customer, headers)
    made = await client.put(
        f"{base}/callflows",
        json={"data": {"numbers": ["4001"], "flow": {"module": "voicemail"}}},
        headers=headers,
    )
    callflow = (await made.json())["data"]["id"]
    login = {"credentials": md5_credentials("customer-admin", "x"), "account_name": "Nobody"}
    return Sample(
        headers,
        [
            ("PUT", f"{base}/users", {"first_name": "A", "last_name": "B"}),
            ("POST", f"{base}/devices/{device}", {"name": "Desk"}),
            ("PATCH", f"{base}/callflows/{callflow}", {"name": "Main"}),
            ("PUT", "/v2/user_auth", login),
        ],
        [f"{base}/users", f"{base}/devices/{device}", "/v2/schemas"],
    )


def _envelope(data: dict[str, Any], bad: bytes) -> bytes:
    return json.dumps({"data": {**data, "extra": "@@bad@@"}}).encode().replace(_SLOT.encode(), bad)


async def test_bad_bodies_get_a_4xx(client: TestClient[Any, Any], sample: Sample) -> None:
    headers = {**sample.headers, "Content-Type": "application/json"}
    answered = []
    for name, bad in BAD_VALUES.items():
        for verb, path, data in sample.writes:
            body = _envelope(data, bad)
            response = await client.request(verb, path, data=body, headers=headers)
            answered.append((response.status, name, verb, path))
    refused_badly = [answer for answer in answered if not 400 <= answer[0] < 500]
    assert not refused_badly, "\n".join(map(str, refused_badly))


def _bad_requests(path: str, listing: bool) -> dict[str, tuple[str, dict[str, str]]]:
    """Bad query strings, headers and path segments for one path: (url, extra headers)."""
    segments = path.split("/")
    bad = {
        "500 query parameters": (path + "?" + "&".join(f"p{i}=1" for i in range(500)), {}),
        "10 KB query value": (f"{path}?filter_name={'a' * 10_240}", {}),
        "NUL in a query value": (f"{path}?filter_name=a%00b", {}),
        "200 headers": (path, {f"X-Fuzz-{i}": "1" for i in range(200)}),
        "%FF in a path segment": ("/".join([*segments[:-1], "%FF"]), {}),
        "%00 in a path segment": ("/".join([*segments[:-1], "a%00b"]), {}),
    }
    if listing:
        # Only a listing reads `created_to`; elsewhere an unknown parameter is ignored.
        bad["integer past 64 bits in the query"] = (f"{path}?created_to={2**70}", {})
    return bad


async def test_bad_query_strings_headers_and_paths_get_a_4xx(
    client: TestClient[Any, Any], sample: Sample
) -> None:
    answered = []
    aimed = [("GET", path) for path in sample.reads] + [(v, p) for v, p, _ in sample.writes]
    for verb, path in aimed:
        listing = verb == "GET" and path == sample.reads[0]
        for name, (url, extra) in _bad_requests(path, listing).items():
            target = URL(str(client.make_url("")).rstrip("/") + url, encoded=True)
            response = await client.session.request(
                verb, target, headers={**sample.headers, **extra}
            )
            answered.append((response.status, name, verb, path))
    refused_badly = [answer for answer in answered if not 400 <= answer[0] < 500]
    assert not refused_badly, "\n".join(map(str, refused_badly))

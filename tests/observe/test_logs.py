"""The JSON access log of real requests: one object a line, the request's facts, no secret;
and the JSON formatter itself."""

from __future__ import annotations

import io
import json
import logging
import secrets
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from yarl import URL

from gateway.observe.access import JsonAccessLogger, TextAccessLogger, access_log_class
from gateway.observe.logs import JsonFormatter
from gateway.observe.redact import REDACTED
from gateway.settings import Settings
from tests.conftest import Tree, login, make_tree, md5_credentials

Client = TestClient[Any, Any]
FIELDS = ("request_id", "account", "module", "verb", "status", "duration_ms")
NEW_PASSWORD = "rotated-Pa55word-xyz"
QUERY_SECRET = "SECRETVALUE-in-the-query"


@dataclass
class Logged:
    """A client of the app whose access log goes, as JSON lines, into `output`."""

    client: Client
    output: io.StringIO

    def lines(self) -> list[dict[str, Any]]:
        """Every line written so far, each parsed as one JSON object."""
        parsed = [json.loads(line) for line in self.output.getvalue().splitlines()]
        assert all(isinstance(line, dict) for line in parsed)
        return parsed

    def line_of(self, request_id: str) -> dict[str, Any]:
        """The one line of a request."""
        found = [line for line in self.lines() if line["request_id"] == request_id]
        assert len(found) == 1, self.output.getvalue()
        return found[0]


def json_logger(output: io.StringIO) -> logging.Logger:
    """A logger of its own at INFO writing JSON lines into `output`."""
    logger = logging.getLogger(f"tests.access.{secrets.token_hex(4)}")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    handler = logging.StreamHandler(output)
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    return logger


@pytest.fixture
async def logged(app: web.Application) -> AsyncIterator[Logged]:
    """The app served with the JSON access logger (TestServer passes no kwargs to the runner,
    so the server is started here with them)."""
    output = io.StringIO()
    server = TestServer(app)
    await server.start_server(access_log_class=JsonAccessLogger, access_log=json_logger(output))
    client: Client = TestClient(server)
    await client.start_server()
    yield Logged(client, output)
    await client.close()


async def send(
    logged: Logged, method: str, path: str | URL, expected: int, **kwargs: Any
) -> tuple[str, Any]:
    """A request with a request id of its own; (that id, the reply's JSON)."""
    request_id = f"req-{secrets.token_hex(8)}"
    headers = {"X-Request-ID": request_id, **kwargs.pop("headers", {})}
    response = await logged.client.request(method, path, headers=headers, **kwargs)
    body = await response.json()
    assert response.status == expected, body
    assert response.headers["X-Request-ID"] == request_id
    return request_id, body


async def login_and_browse(logged: Logged, tree: Tree) -> tuple[str, dict[str, str]]:
    """A login, reads with the token in the query and in the path, a password change, and a
    login-shaped POST; the token and the request ids by step."""
    account = tree.customer["id"]
    credentials = md5_credentials("customer-admin", "customer-secret")
    ids: dict[str, str] = {}
    ids["login"], reply = await send(
        logged,
        "PUT",
        "/v2/user_auth",
        201,
        json={"data": {"credentials": credentials, "account_name": "Customer One"}},
    )
    token = str(reply["auth_token"])
    ids["query"], _ = await send(
        logged, "GET", f"/v2/accounts/{account}/users?paginate=false&auth_token={token}", 200
    )
    ids["path"], _ = await send(
        logged, "GET", f"/v2/user_auth/{token}", 200, headers={"X-Auth-Token": token}
    )
    ids["api_key"], _ = await send(
        logged, "GET", f"/v2/accounts/{account}/devices?api_key={QUERY_SECRET}", 401
    )
    ids["password"], _ = await send(
        logged,
        "PATCH",
        f"/v2/accounts/{account}/users/{tree.users['customer']['id']}",
        200,
        json={"data": {"password": NEW_PASSWORD}},
        headers={"X-Auth-Token": token},
    )
    ids["post_login"], _ = await send(
        logged,
        "POST",
        "/v2/user_auth",
        405,
        json={"data": {"username": "customer-admin", "password": "customer-secret"}},
    )
    return token, ids


async def test_each_request_logs_one_json_object_with_its_facts(
    logged: Logged, tree: Tree
) -> None:
    _, ids = await login_and_browse(logged, tree)
    await logged.client.close()  # the server has written every line once it stopped
    lines = logged.lines()
    assert len(lines) == len(ids)
    for line in lines:
        assert set(FIELDS) <= set(line), line
        assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
        assert line["logger"].startswith("tests.access.")
    account = tree.customer["id"]
    facts = {
        step: {key: logged.line_of(request_id)[key] for key in FIELDS[1:5]}
        for step, request_id in ids.items()
    }
    assert facts == {
        "login": {"account": None, "module": "user_auth", "verb": "PUT", "status": 201},
        "query": {"account": account, "module": "users", "verb": "GET", "status": 200},
        "path": {"account": None, "module": "user_auth", "verb": "GET", "status": 200},
        "api_key": {"account": account, "module": "devices", "verb": "GET", "status": 401},
        "password": {"account": account, "module": "users", "verb": "PATCH", "status": 200},
        "post_login": {"account": None, "module": "user_auth", "verb": "POST", "status": 405},
    }


async def test_access_log_shows_no_password_token_or_query_secret(
    logged: Logged, tree: Tree
) -> None:
    token, ids = await login_and_browse(logged, tree)
    await logged.client.close()
    text = logged.output.getvalue()
    secrets_sent = (
        token,
        md5_credentials("customer-admin", "customer-secret"),
        "customer-secret",
        NEW_PASSWORD,
        QUERY_SECRET,
    )
    assert [secret for secret in secrets_sent if secret in text] == []
    query_line = logged.line_of(ids["query"])
    assert query_line["path"].endswith(f"?paginate=false&auth_token={REDACTED}")
    assert query_line["message"] == f"GET {query_line['path']} 200"
    assert logged.line_of(ids["path"])["path"] == f"/v2/user_auth/{REDACTED}"
    assert logged.line_of(ids["api_key"])["path"].endswith(f"?api_key={REDACTED}")


async def test_a_percent_encoded_user_auth_path_logs_no_token(logged: Logged, tree: Tree) -> None:
    token = await login(logged.client, "customer-admin", "customer-secret", "Customer One")
    # encoded=True: yarl would otherwise send %74 as the `t` it stands for.
    path = URL(f"/v2/user_au%74h/{token}", encoded=True)
    request_id, _ = await send(logged, "GET", path, 200, headers={"X-Auth-Token": token})
    await logged.client.close()
    assert token not in logged.line_of(request_id)["path"]


@pytest.fixture
async def tree(logged: Logged, app: web.Application) -> Tree:
    """The account tree, made in the app the logged client serves."""
    return await make_tree(app)


# The formatter


def record_of(message: str, *args: Any, **kwargs: Any) -> logging.LogRecord:
    """A record as `logging` makes one."""
    return logging.getLogger("tests.formatter").makeRecord(
        "tests.formatter", logging.ERROR, __file__, 1, message, args, None, **kwargs
    )


def test_formatter_writes_one_line_with_the_exception_under_exc() -> None:
    try:
        raise RuntimeError("boom\nsecond line")
    except RuntimeError:
        record = logging.getLogger("tests.formatter").makeRecord(
            "tests.formatter", logging.ERROR, __file__, 1, "failed %s", ("here",), sys.exc_info()
        )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["message"] == "failed here"
    assert parsed["level"] == "ERROR"
    assert parsed["logger"] == "tests.formatter"
    assert parsed["exc"].startswith("Traceback (most recent call last):")
    assert parsed["exc"].endswith("RuntimeError: boom\nsecond line")


def test_formatter_writes_the_fields_but_never_over_its_own_keys() -> None:
    record = record_of("GET / 200", extra={"fields": {"status": 200, "level": "forged"}})
    parsed = json.loads(JsonFormatter().format(record))
    assert parsed["status"] == 200
    assert parsed["level"] == "ERROR"
    assert set(parsed) == {"time", "level", "logger", "message", "process", "status"}
    assert parsed["time"].endswith("+00:00")


def test_log_format_setting_chooses_the_access_logger() -> None:
    assert access_log_class(Settings(log_format="json")) is JsonAccessLogger
    assert access_log_class(Settings(log_format="text")) is TextAccessLogger

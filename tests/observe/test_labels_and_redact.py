"""Request labels of bounded cardinality, and paths with their secrets redacted (pure)."""

from __future__ import annotations

import secrets

import pytest

from gateway.crossbar.resource import Registry
from gateway.observe.labels import account_of, classify, verb_of
from gateway.observe.redact import REDACTED, redact
from gateway.resources import RESOURCES

NOUNS = frozenset(Registry.of(RESOURCES).resources)
ACCOUNT = "0123456789abcdef0123456789abcdef"


# classify


@pytest.mark.parametrize(
    ("path", "labels"),
    [
        (f"/v2/accounts/{ACCOUNT}/users", ("v2", "users")),
        (f"/v2/accounts/{ACCOUNT}/users/{'a' * 32}", ("v2", "users")),
        (f"/v2/accounts/{ACCOUNT}/users?paginate=false&auth_token=x", ("v2", "users")),
        (f"/v2/accounts/{ACCOUNT}/vmboxes/{'b' * 32}/messages", ("v2", "vmboxes")),
        (f"/v2/accounts/{ACCOUNT}", ("v2", "accounts")),
        (f"/v2/accounts/{ACCOUNT}/children", ("v2", "accounts")),
        ("/v2/accounts", ("v2", "accounts")),
        ("/v2/account/devices", ("v2", "devices")),
        ("/v2/account", ("v2", "accounts")),
        ("/v2/user_auth", ("v2", "user_auth")),
        ("/v2/intake", ("v2", "intake")),
        ("/v1/pbx/phones", ("pbx", "phones")),
        ("/v1/pbx/call-flows/42", ("pbx", "call-flows")),
        ("/api/tenants/7/extensions", ("api", "tenants")),
        ("/metrics", ("other", "metrics")),
        ("/healthz", ("other", "healthz")),
    ],
)
def test_classify_names_the_dialect_and_module(path: str, labels: tuple[str, str]) -> None:
    assert classify(path, NOUNS) == labels


@pytest.mark.parametrize(
    ("path", "labels"),
    [
        ("/v2/nothing-here", ("v2", "unknown")),
        ("/v2/", ("v2", "unknown")),
        ("/v2", ("v2", "unknown")),
        ("/v1/pbx/not-a-route", ("pbx", "unknown")),
        ("/v1/pbx", ("pbx", "unknown")),
        ("/api/nothing", ("api", "unknown")),
        ("/api", ("api", "unknown")),
        ("/favicon.ico", ("other", "unknown")),
        ("/", ("other", "unknown")),
        ("", ("other", "unknown")),
    ],
)
def test_classify_gives_unknown_for_unrouted_paths(path: str, labels: tuple[str, str]) -> None:
    assert classify(path, NOUNS) == labels


@pytest.mark.parametrize(
    "template",
    [
        "/v2/{hex}",
        "/v2/accounts/{account}/{hex}",
        "/v2/account/{hex}",
        "/v1/pbx/{hex}",
        "/api/{hex}",
        "/{hex}",
        "/v9/{hex}",
    ],
)
def test_random_ids_never_become_labels(template: str) -> None:
    for _ in range(20):
        hex_id = secrets.token_hex(16)
        dialect, module = classify(template.format(hex=hex_id, account=ACCOUNT), NOUNS)
        assert hex_id not in (dialect, module)
        assert module in NOUNS | {"unknown", "accounts"}


def test_classify_takes_its_modules_from_the_resources_given() -> None:
    path = f"/v2/accounts/{ACCOUNT}/users"
    assert classify(path, {"users"}) == ("v2", "users")
    assert classify(path, ()) == ("v2", "accounts")
    assert classify("/v2/users", ()) == ("v2", "unknown")


# verb_of


@pytest.mark.parametrize("method", ["GET", "PUT", "POST", "PATCH", "DELETE", "OPTIONS", "HEAD"])
def test_verb_of_keeps_served_methods(method: str) -> None:
    assert verb_of(method) == method


@pytest.mark.parametrize("method", ["TRACE", "PROPFIND", "get", "BREW", "X9F3A7C1D2E4B6A8"])
def test_verb_of_folds_other_methods_into_one_label(method: str) -> None:
    assert verb_of(method) == "OTHER"


# account_of


@pytest.mark.parametrize(
    "path",
    [
        f"/v2/accounts/{ACCOUNT}",
        f"/v2/accounts/{ACCOUNT}/users",
        f"/v2/accounts/{ACCOUNT}?auth_token=x",
        f"/v2/accounts/{ACCOUNT}/users/{'c' * 32}",
    ],
)
def test_account_of_reads_the_account_id(path: str) -> None:
    assert account_of(path) == ACCOUNT


@pytest.mark.parametrize(
    "path",
    [
        "/v2/accounts",
        "/v2/accounts/",
        "/v2/accounts/not-an-id/users",
        f"/v2/accounts/{ACCOUNT.upper()}/users",
        f"/v2/accounts/{ACCOUNT}0/users",
        f"/v2/accounts/{ACCOUNT[:-1]}g/users",
        f"/v1/accounts/{ACCOUNT}/users",
        f"/v2/users/{ACCOUNT}",
        f"/v1/pbx/phones/{ACCOUNT}",
        "/",
    ],
)
def test_account_of_is_none_without_a_v2_account_id(path: str) -> None:
    assert account_of(path) is None


# redact


@pytest.mark.parametrize(
    "name",
    ["auth_token", "AUTH_TOKEN", "Auth_Token", "api_key", "API_KEY", "password", "Password"],
)
def test_secret_query_params_are_redacted_whatever_their_case(name: str) -> None:
    redacted = redact(f"/v2/accounts/{ACCOUNT}/users?{name}=SECRETVALUE")
    assert redacted == f"/v2/accounts/{ACCOUNT}/users?{name}={REDACTED}"


def test_other_query_params_and_their_order_are_kept() -> None:
    path = "/v2/accounts/x/users?paginate=false&auth_token=SECRETVALUE&filter_name=ann&page_size=5"
    assert redact(path) == (
        f"/v2/accounts/x/users?paginate=false&auth_token={REDACTED}&filter_name=ann&page_size=5"
    )


def test_every_secret_param_of_a_query_is_redacted() -> None:
    redacted = redact("/v2/x?auth_token=ONE&api_key=TWO&password=THREE&token=FOUR&name=keep")
    for secret in ("ONE", "TWO", "THREE", "FOUR"):
        assert secret not in redacted
    assert redacted.endswith("&name=keep")
    assert redacted.count(REDACTED) == 4


def test_a_percent_encoded_secret_name_is_redacted() -> None:
    assert redact("/v2/x?auth%5Ftoken=SECRETVALUE") == f"/v2/x?auth%5Ftoken={REDACTED}"


def test_a_repeated_secret_param_is_redacted_each_time() -> None:
    assert redact("/v2/x?auth_token=A1&auth_token=B2") == (
        f"/v2/x?auth_token={REDACTED}&auth_token={REDACTED}"
    )


def test_an_empty_secret_value_is_left_as_it_was() -> None:
    assert redact("/v2/x?auth_token=&paginate=false") == "/v2/x?auth_token=&paginate=false"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/v2/user_auth/TOKENVALUE", f"/v2/user_auth/{REDACTED}"),
        ("/v2/user_auth/TOKENVALUE?x=1", f"/v2/user_auth/{REDACTED}?x=1"),
        ("/v2/user%5Fauth/TOKENVALUE", f"/v2/user%5Fauth/{REDACTED}"),
        (
            f"/v2/accounts/{ACCOUNT}/user_auth/TOKENVALUE",
            f"/v2/accounts/{ACCOUNT}/user_auth/{REDACTED}",
        ),
        ("/v2/user_auth/TOKENVALUE/more", f"/v2/user_auth/{REDACTED}/more"),
    ],
)
def test_the_token_after_user_auth_in_the_path_is_redacted(path: str, expected: str) -> None:
    assert redact(path) == expected


@pytest.mark.parametrize(
    "path",
    [
        "/v2/user_auth",
        "/v2/user_auth/",
        f"/v2/accounts/{ACCOUNT}/users",
        f"/v2/accounts/{ACCOUNT}/users/{'d' * 32}",
        "/v2/api_auth",
        "/metrics",
        "/",
    ],
)
def test_paths_without_secrets_or_a_query_are_untouched(path: str) -> None:
    assert redact(path) == path


def test_a_query_without_secrets_is_untouched() -> None:
    path = "/v2/accounts/x/users?paginate=false&filter_key=token&q"
    assert redact(path) == path


def test_a_percent_encoded_user_auth_segment_is_redacted() -> None:
    assert redact("/v2/user_au%74h/TOKENVALUE") == f"/v2/user_au%74h/{REDACTED}"

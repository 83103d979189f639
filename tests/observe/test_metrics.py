"""GET /metrics: Prometheus text whose counters move with requests, store commands and cache
look-ups; who may scrape it (off, loopback, token); the settings that choose."""

from __future__ import annotations

import dataclasses
import math
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, make_mocked_request
from prometheus_client.parser import text_string_to_metric_families

from gateway.app import create_app
from gateway.keys import METRICS
from gateway.observe.endpoint import refusal
from gateway.settings import Settings, SettingsError
from gateway.store import Store
from tests.conftest import Tree

Client = TestClient[Any, Any]
AuthHeaders = Callable[[str], Awaitable[dict[str, str]]]
MakeClient = Callable[..., Awaitable[Client]]
# Prometheus' text format: 0.0.4, or 1.0.0 as prometheus_client >= 0.22 names it.
TEXT_FORMAT_VERSIONS = ("0.0.4", "1.0.0")
METRICS_TOKEN = "metrics-token-0123456789abcdef"
FAMILIES = (
    "gateway_requests",
    "gateway_request_duration_seconds",
    "gateway_intake_events",
    "gateway_outbox_oldest_age_seconds",
    "gateway_store_commands",
    "gateway_store_command_duration_seconds",
    "gateway_cache_hits",
    "gateway_cache_misses",
    "gateway_events_published",
    "gateway_events_dropped",
    "gateway_webhook_deliveries",
)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The shared settings with caches that outlive a slow test."""
    return dataclasses.replace(settings, cache_ttl_ms=60_000)


@pytest.fixture
def make_client(
    settings: Settings, store: Store, aiohttp_client: Callable[..., Awaitable[Client]]
) -> MakeClient:
    """`await make_client(metrics="token", ...)` -> a client of an app with those settings."""

    async def make(**changes: Any) -> Client:
        return await aiohttp_client(create_app(dataclasses.replace(settings, **changes), store))

    return make


async def scrape(client: Client, **kwargs: Any) -> str:
    """The /metrics text, checked to be Prometheus' text format."""
    response = await client.get("/metrics", **kwargs)
    text = await response.text()
    assert response.status == 200, text
    media, _, version = response.headers["Content-Type"].partition("; version=")
    assert media == "text/plain"
    assert version.split(";")[0] in TEXT_FORMAT_VERSIONS
    return text


def sample(text: str, name: str, **labels: str) -> float:
    """The value of the sample `name` with exactly `labels`; 0 when it is not there yet."""
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and found.labels == labels:
                return float(found.value)
    return 0.0


def samples(text: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    """Every sample called `name`, by its sorted labels."""
    return {
        tuple(sorted(found.labels.items())): float(found.value)
        for family in text_string_to_metric_families(text)
        for found in family.samples
        if found.name == name
    }


def users_path(tree: Tree) -> str:
    return f"/v2/accounts/{tree.customer['id']}/users"


def users_label(status: str) -> dict[str, str]:
    return {"dialect": "v2", "module": "users", "verb": "GET", "status": status}


# The exposition


async def test_metrics_serve_prometheus_text_with_every_family(client: Client) -> None:
    text = await scrape(client)
    names = {family.name for family in text_string_to_metric_families(text)}
    assert set(FAMILIES) <= names, sorted(set(FAMILIES) - names)


async def test_process_and_background_counters_have_their_samples(client: Client) -> None:
    text = await scrape(client)
    results = {
        dict(labels)["result"] for labels in samples(text, "gateway_webhook_deliveries_total")
    }
    assert results == {"success", "failure", "disabled"}
    assert sample(text, "gateway_events_dropped_total") >= 0
    age = sample(text, "gateway_outbox_oldest_age_seconds")
    assert not math.isnan(age) and age >= 0
    assert sample(text, "process_resident_memory_bytes") > 0


# Counters that move


async def test_requests_counter_grows_by_the_requests_made_between_scrapes(
    client: Client, tree: Tree, auth_headers: AuthHeaders
) -> None:
    headers = await auth_headers("customer")
    before = await scrape(client)
    for _ in range(2):
        response = await client.get(users_path(tree), headers=headers)
        assert response.status == 200, await response.text()
    refused = await client.get(users_path(tree))
    assert refused.status == 401
    after = await scrape(client)
    grown = {
        status: sample(after, "gateway_requests_total", **users_label(status))
        - sample(before, "gateway_requests_total", **users_label(status))
        for status in ("200", "401")
    }
    assert grown == {"200": 2, "401": 1}


async def test_request_durations_are_observed_per_module(
    client: Client, tree: Tree, auth_headers: AuthHeaders
) -> None:
    headers = await auth_headers("customer")
    labels = {"dialect": "v2", "module": "users", "verb": "GET"}
    name = "gateway_request_duration_seconds_count"
    before = sample(await scrape(client), name, **labels)
    response = await client.get(users_path(tree), headers=headers)
    assert response.status == 200
    assert sample(await scrape(client), name, **labels) == before + 1


async def test_unrouted_paths_are_counted_under_unknown(client: Client) -> None:
    path = f"/v2/{secrets.token_hex(16)}"
    await client.get(path)
    text = await scrape(client)
    modules = {dict(labels)["module"] for labels in samples(text, "gateway_requests_total")}
    assert "unknown" in modules
    assert path.rsplit("/", 1)[1] not in text


async def test_store_commands_counter_grows_after_a_request(
    client: Client, tree: Tree, auth_headers: AuthHeaders
) -> None:
    headers = await auth_headers("customer")
    ok = {"command": "find", "outcome": "ok"}
    before = sample(await scrape(client), "gateway_store_commands_total", **ok)
    response = await client.get(f"{users_path(tree)}?paginate=false", headers=headers)
    assert response.status == 200
    after = await scrape(client)
    assert sample(after, "gateway_store_commands_total", **ok) > before
    assert sample(after, "gateway_store_command_duration_seconds_count", command="find") > 0


async def test_second_request_with_a_token_is_a_token_cache_hit(
    client: Client, tree: Tree, auth_headers: AuthHeaders
) -> None:
    headers = await auth_headers("customer")
    first = await client.get(f"/v2/accounts/{tree.customer['id']}", headers=headers)
    assert first.status == 200
    before = await scrape(client)
    second = await client.get(f"/v2/accounts/{tree.customer['id']}", headers=headers)
    assert second.status == 200
    after = await scrape(client)
    hits = "gateway_cache_hits_total"
    assert sample(after, hits, cache="tokens") == sample(before, hits, cache="tokens") + 1
    assert sample(after, hits, cache="accounts") > sample(before, hits, cache="accounts")
    misses = "gateway_cache_misses_total"
    assert sample(after, misses, cache="tokens") == sample(before, misses, cache="tokens")


# Who may scrape


async def test_metrics_off_answers_404_and_counts_nothing(
    make_client: MakeClient, app: web.Application
) -> None:
    client = await make_client(metrics="off")
    response = await client.get("/metrics")
    assert response.status == 404
    assert "gateway_" not in await response.text()
    assert client.app is not None and METRICS not in client.app
    assert METRICS in app  # the same settings in loopback mode have them


@pytest.mark.parametrize("header", ["X-Forwarded-For", "X-Real-IP", "Forwarded"])
async def test_loopback_mode_refuses_a_forwarded_scrape_with_403(
    client: Client, header: str
) -> None:
    value = "for=203.0.113.9" if header == "Forwarded" else "203.0.113.9"
    response = await client.get("/metrics", headers={header: value})
    assert response.status == 403
    assert "gateway_" not in await response.text()


def test_loopback_mode_refuses_a_remote_address(settings: Settings) -> None:
    local = make_mocked_request("GET", "/metrics")
    assert refusal(settings, local.clone(remote="127.0.0.1")) is None
    assert refusal(settings, local.clone(remote="::1")) is None
    assert refusal(settings, local.clone(remote="10.0.0.7")) == 403


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token-0123456789abcdef", f"Basic {METRICS_TOKEN}", METRICS_TOKEN],
)
async def test_token_mode_refuses_a_missing_or_wrong_bearer_with_401(
    make_client: MakeClient, authorization: str | None
) -> None:
    client = await make_client(metrics="token", metrics_token=METRICS_TOKEN)
    headers = {} if authorization is None else {"Authorization": authorization}
    response = await client.get("/metrics", headers=headers)
    assert response.status == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert "gateway_" not in await response.text()


@pytest.mark.parametrize("scheme", ["Bearer", "bearer"])
async def test_token_mode_serves_the_right_bearer(make_client: MakeClient, scheme: str) -> None:
    client = await make_client(metrics="token", metrics_token=METRICS_TOKEN)
    text = await scrape(client, headers={"Authorization": f"{scheme} {METRICS_TOKEN}"})
    assert "gateway_requests" in {family.name for family in text_string_to_metric_families(text)}


def _metrics_label(status: str) -> dict[str, str]:
    return {"dialect": "other", "module": "metrics", "verb": "GET", "status": status}


async def test_token_mode_counts_refused_scrapes(make_client: MakeClient) -> None:
    client = await make_client(metrics="token", metrics_token=METRICS_TOKEN)
    assert (await client.get("/metrics")).status == 401
    text = await scrape(client, headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert sample(text, "gateway_requests_total", **_metrics_label("401")) == 1


# Settings


def test_metrics_settings_default_to_loopback_and_text_logs() -> None:
    settings = Settings.from_env({})
    assert (settings.metrics, settings.metrics_token, settings.log_format) == (
        "loopback",
        None,
        "text",
    )


def test_token_mode_reads_its_token() -> None:
    settings = Settings.from_env(
        {
            "GATEWAY_METRICS": "token",
            "GATEWAY_METRICS_TOKEN": "t" * 16,
            "GATEWAY_LOG_FORMAT": "json",
        }
    )
    assert (settings.metrics, settings.metrics_token, settings.log_format) == (
        "token",
        "t" * 16,
        "json",
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"GATEWAY_METRICS": "token"}, "GATEWAY_METRICS_TOKEN"),
        ({"GATEWAY_METRICS": "TOKEN "}, "GATEWAY_METRICS_TOKEN"),
        ({"GATEWAY_METRICS": "token", "GATEWAY_METRICS_TOKEN": "t" * 15}, "16 characters"),
        ({"GATEWAY_METRICS_TOKEN": "short"}, "16 characters"),
        ({"GATEWAY_METRICS": "public"}, "GATEWAY_METRICS must be one of"),
        ({"GATEWAY_LOG_FORMAT": "xml"}, "GATEWAY_LOG_FORMAT must be one of"),
    ],
)
def test_bad_metrics_settings_raise_settings_error(env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        Settings.from_env(env)

"""Webhook addresses: only public http(s) hosts, refused again when the connection is made."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.test_utils import TestServer

from gateway.webhooks.addresses import (
    Resolve,
    SafeResolver,
    UnsafeAddress,
    address_allowed,
    check_url,
    safe_connector,
)

PUBLIC = ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8", "::ffff:8.8.8.8"]
FORBIDDEN = [
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "100.100.100.200",
    "192.0.0.192",
    "0.0.0.0",
    "::",
    "::1",
    "fe80::1",
    "fc00::1",
    "fd00:ec2::254",
    "fec0::1",
    "::ffff:127.0.0.1",
    "::127.0.0.1",
    "64:ff9b::a01:203",
    "2002:7f00:1::",
    "224.0.0.1",
    "ff02::1",
    "255.255.255.255",
    "240.0.0.1",
    "not an address",
]


def resolving_to(*addresses: str) -> Resolve:
    """A resolver that answers every name with addresses."""

    async def resolve(host: str, port: int) -> list[str]:
        return list(addresses)

    return resolve


async def not_resolving(host: str, port: int) -> list[str]:
    """A resolver for which no name exists."""
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


async def reason_for(url: str, *, allow_private: bool, resolve: Resolve | None = None) -> str:
    """The reason check_url refuses url."""
    with pytest.raises(UnsafeAddress) as refused:
        await check_url(url, allow_private=allow_private, resolve=resolve)
    return refused.value.reason


@pytest.mark.parametrize("ip", PUBLIC)
def test_public_addresses_are_allowed(ip: str) -> None:
    assert address_allowed(ip)


@pytest.mark.parametrize("ip", FORBIDDEN)
def test_private_and_special_addresses_are_refused(ip: str) -> None:
    assert not address_allowed(ip)


async def test_a_scheme_other_than_http_or_https_is_refused() -> None:
    reason = await reason_for("ftp://example.com/", allow_private=False)
    assert reason == "only http and https URLs are allowed"


async def test_a_url_without_host_is_refused() -> None:
    assert await reason_for("http:///hooks", allow_private=False) == "the URL has no host"


async def test_a_url_that_does_not_parse_is_refused() -> None:
    assert await reason_for("http://[::1/", allow_private=False) == "the URL is not valid"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.1/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://[::1]/",
        "https://169.254.169.254/latest/meta-data/",
    ],
)
async def test_ip_literals_in_any_form_are_refused_without_resolving(url: str) -> None:
    reason = await reason_for(url, allow_private=False, resolve=resolving_to("8.8.8.8"))
    assert reason == "the host is a private address"


async def test_a_name_with_one_private_address_among_public_ones_is_refused() -> None:
    resolve = resolving_to("93.184.216.34", "10.0.0.5", "8.8.8.8")
    reason = await reason_for("https://hooks.example.com/", allow_private=False, resolve=resolve)
    assert reason == "the host resolves to a private address"


async def test_a_name_that_does_not_resolve_is_refused() -> None:
    reason = await reason_for(
        "https://nowhere.invalid/", allow_private=False, resolve=not_resolving
    )
    assert reason == "the host does not resolve"


async def test_a_name_resolving_to_nothing_is_refused() -> None:
    reason = await reason_for(
        "https://empty.example/", allow_private=False, resolve=resolving_to()
    )
    assert reason == "the host does not resolve"


async def test_a_public_name_and_a_public_literal_are_allowed() -> None:
    resolve = resolving_to("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946")
    await check_url("https://hooks.example.com:8443/in", allow_private=False, resolve=resolve)
    await check_url("http://8.8.8.8/", allow_private=False)


async def test_localhost_is_refused_through_the_system_resolver() -> None:
    reason = await reason_for("http://localhost:8080/", allow_private=False)
    assert reason == "the host resolves to a private address"


async def test_allow_private_lets_loopback_through_but_not_other_schemes() -> None:
    await check_url("http://127.0.0.1:8080/", allow_private=True)
    await check_url("http://internal.example/", allow_private=True, resolve=not_resolving)
    reason = await reason_for("ftp://127.0.0.1/", allow_private=True)
    assert reason == "only http and https URLs are allowed"
    assert await reason_for("http:///x", allow_private=True) == "the URL has no host"


class FixedResolver(AbstractResolver):
    """Answers every name with the same addresses."""

    def __init__(self, *addresses: str) -> None:
        self.addresses = addresses

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        return [
            ResolveResult(hostname=host, host=a, port=port, family=family, proto=0, flags=0)
            for a in self.addresses
        ]

    async def close(self) -> None:
        pass


async def test_safe_resolver_refuses_a_rebound_name_with_a_private_address() -> None:
    resolver = SafeResolver(allow_private=False, inner=FixedResolver("8.8.8.8", "127.0.0.1"))
    with pytest.raises(OSError, match="private address"):
        await resolver.resolve("rebound.example", 443)


async def test_safe_resolver_passes_public_addresses_and_private_when_allowed() -> None:
    public = SafeResolver(allow_private=False, inner=FixedResolver("8.8.8.8"))
    assert [r["host"] for r in await public.resolve("hooks.example", 443)] == ["8.8.8.8"]
    private = SafeResolver(allow_private=True, inner=FixedResolver("10.0.0.1"))
    assert [r["host"] for r in await private.resolve("hooks.example", 443)] == ["10.0.0.1"]


@pytest.fixture
async def local_server() -> AsyncIterator[tuple[TestServer, list[str]]]:
    """A server on 127.0.0.1 recording the paths it was asked for."""
    calls: list[str] = []

    async def hello(request: web.Request) -> web.Response:
        calls.append(request.path)
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/{tail:.*}", hello)
    server = TestServer(app, host="127.0.0.1")
    async with server:
        yield server, calls


async def test_the_safe_connector_refuses_a_loopback_literal_before_connecting(
    local_server: tuple[TestServer, list[str]],
) -> None:
    server, calls = local_server
    async with aiohttp.ClientSession(connector=safe_connector(False, 10)) as session:
        with pytest.raises(aiohttp.ClientConnectorError) as refused:
            await session.get(server.make_url("/hook"))
    assert type(refused.value) is aiohttp.ClientConnectorError
    assert "private address" in str(refused.value.os_error)
    assert calls == []


async def test_the_safe_connector_refuses_a_name_resolving_to_loopback(
    local_server: tuple[TestServer, list[str]],
) -> None:
    server, calls = local_server
    url = f"http://localhost:{server.port}/hook"
    async with aiohttp.ClientSession(connector=safe_connector(False, 10)) as session:
        with pytest.raises(aiohttp.ClientConnectorDNSError) as refused:
            await session.get(url)
    assert "private address" in str(refused.value.os_error)
    assert calls == []


async def test_the_connector_allowing_private_reaches_the_local_server(
    local_server: tuple[TestServer, list[str]],
) -> None:
    server, calls = local_server
    async with aiohttp.ClientSession(connector=safe_connector(True, 10)) as session:
        async with session.get(server.make_url("/hook")) as response:
            assert response.status == 200 and await response.text() == "ok"
    assert calls == ["/hook"]

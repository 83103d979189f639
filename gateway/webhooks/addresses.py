"""Where a webhook may be delivered: public http(s) addresses only, checked again at connect."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

Resolve = Callable[[str, int], Awaitable[list[str]]]

_SCHEMES = frozenset({"http", "https"})
_CGNAT = ip_network("100.64.0.0/10")
_IPV4_COMPATIBLE = ip_network("::/96")
_NAT64 = ip_network("64:ff9b::/96")
# Cloud metadata and host-platform endpoints, some of which ipaddress counts as global.
_METADATA = frozenset(
    ip_address(address)
    for address in (
        "169.254.169.254",
        "169.254.170.2",
        "100.100.100.200",
        "192.0.0.192",
        "168.63.129.16",
        "fd00:ec2::254",
    )
)


UNRESOLVED = "the host does not resolve"


class UnsafeAddress(Exception):
    """A webhook URL that may not be delivered to; `reason` is safe to show the client."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def address_allowed(ip: str) -> bool:
    """Whether a webhook may connect to this IP address."""
    try:
        address = ip_address(ip)
    except ValueError:
        return False
    if isinstance(address, IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return _public(embedded)
        if address.sixtofour is not None and not _public(address.sixtofour):
            return False
    return _public(address)


def _embedded_ipv4(address: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv4-mapped, IPv4-compatible or NAT64 address stands for."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _IPV4_COMPATIBLE or address in _NAT64:
        return IPv4Address(int(address) & 0xFFFF_FFFF)
    return None


def _public(address: IPv4Address | IPv6Address) -> bool:
    """Whether an address is global and in none of the forbidden classes."""
    forbidden = (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or (isinstance(address, IPv6Address) and address.is_site_local)
        or address in _CGNAT
        or address in _METADATA
    )
    return address.is_global and not forbidden


async def check_url(url: str, *, allow_private: bool, resolve: Resolve | None = None) -> None:
    """Raise UnsafeAddress unless a webhook may be delivered to url."""
    try:
        parsed = URL(url)
        host, port = parsed.raw_host, parsed.port or 0
    except (TypeError, ValueError):
        raise UnsafeAddress("the URL is not valid") from None
    if parsed.scheme not in _SCHEMES:
        raise UnsafeAddress("only http and https URLs are allowed")
    if not host:
        raise UnsafeAddress("the URL has no host")
    if allow_private:
        return
    literal = await _numeric_addresses(host, port)
    if literal:
        if not all(address_allowed(address) for address in literal):
            raise UnsafeAddress("the host is a private address")
        return
    try:
        addresses = await (resolve or _system_addresses)(host, port)
    except OSError:
        raise UnsafeAddress(UNRESOLVED) from None
    if not addresses:
        raise UnsafeAddress(UNRESOLVED)
    if not all(address_allowed(address) for address in addresses):
        raise UnsafeAddress("the host resolves to a private address")


async def _numeric_addresses(host: str, port: int) -> list[str]:
    """The addresses host denotes as an IP literal in any form (127.1, 0x7f.1); [] for a name."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST
        )
    except socket.gaierror:
        return []
    return [str(info[4][0]) for info in infos]


async def _system_addresses(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives for host."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


class SafeResolver(AbstractResolver):
    """Resolves like aiohttp and refuses, at connect time, a name reaching a forbidden address."""

    def __init__(self, *, allow_private: bool, inner: AbstractResolver | None = None) -> None:
        self._allow_private = allow_private
        self._inner = inner or aiohttp.ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """The inner resolver's addresses for host, or OSError if any is forbidden."""
        results = await self._inner.resolve(host, port, family)
        if not self._allow_private and not all(address_allowed(r["host"]) for r in results):
            raise OSError(f"refused: {host} resolves to a private address")
        return results

    async def close(self) -> None:
        """Close the inner resolver."""
        await self._inner.close()


def _public_socket(addr_info: aiohttp.AddrInfoType) -> socket.socket:
    """A socket to a permitted peer; aiohttp never asks the resolver about IP literals."""
    family, type_, proto, _, address = addr_info
    if not address_allowed(str(address[0])):
        raise OSError(f"refused: {address[0]} is a private address")
    return socket.socket(family=family, type=type_, proto=proto)


def safe_connector(allow_private: bool, limit: int) -> aiohttp.TCPConnector:
    """A connector for webhook delivery that refuses forbidden addresses unless allowed."""
    return aiohttp.TCPConnector(
        limit=limit,
        resolver=SafeResolver(allow_private=allow_private),
        socket_factory=None if allow_private else _public_socket,
    )

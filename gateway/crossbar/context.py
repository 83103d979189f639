"""Per-request context handed to resource handlers, and what they return."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from gateway.crossbar.tokenizer import Noun
from gateway.keys import SETTINGS, STORE
from gateway.settings import Settings
from gateway.store import Store

if TYPE_CHECKING:
    from gateway.auth.identity import Identity
    from gateway.ratelimit import Verdict


@dataclass
class Page:
    """Pagination keys of a listing reply."""

    page_size: int
    start_key: str | None = None
    next_start_key: str | None = None


@dataclass
class Reply:
    """A handler's answer: JSON `data` (or raw `body`) plus envelope extras."""

    data: Any = None
    status: int = 200
    revision: str | None = None
    page: Page | None = None
    headers: dict[str, str] = field(default_factory=dict)
    auth_token: str | None = None
    body: bytes | None = None
    stream: AsyncIterator[bytes] | None = None
    content_type: str | None = None


@dataclass
class Context:
    """What the pipeline knows about one request."""

    app: web.Application
    request_id: str
    verb: str
    request: web.Request | None = None
    nouns: tuple[Noun, ...] = ()
    envelope: dict[str, Any] = field(default_factory=dict)
    data: Any = field(default_factory=dict)
    raw_body: bytes = b""
    content_type: str = ""
    token: str | None = None
    identity: Identity | None = None
    account_id: str | None = None
    account: dict[str, Any] | None = None
    parents: dict[str, tuple[str, ...]] = field(default_factory=dict)
    accept: str = "application/json"
    allowed: list[str] = field(default_factory=list)
    timings: list[tuple[str, float]] | None = None
    rates: list[Verdict] = field(default_factory=list)

    @property
    def settings(self) -> Settings:
        """The application's settings."""
        return self.app[SETTINGS]

    @property
    def store(self) -> Store:
        """The application's store."""
        return self.app[STORE]

    @property
    def path_account_id(self) -> str:
        """The account of an `/accounts/{A}/...` request (resolved before any handler runs)."""
        assert self.account_id is not None
        return self.account_id

    @property
    def args(self) -> tuple[str, ...]:
        """Path arguments of the handling (last) noun."""
        return self.nouns[-1].args if self.nouns else ()

    @property
    def query(self) -> Mapping[str, str]:
        """The query string ({} outside a request)."""
        return self.request.query if self.request is not None else {}

    def header(self, name: str) -> str | None:
        """A request header (None outside a request)."""
        return self.request.headers.get(name) if self.request is not None else None

    def param(self, name: str) -> Any:
        """A generic parameter: inside `data`, then the query string, then the envelope."""
        if isinstance(self.data, dict) and name in self.data:
            return self.data[name]
        if name in self.query:
            return self.query[name]
        return self.envelope.get(name)

    def flag(self, name: str) -> bool:
        """Kazoo booleans: only the literal `true` counts."""
        value = self.param(name)
        return value is True or value == "true"

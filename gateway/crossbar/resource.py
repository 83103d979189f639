"""The declarative resource unit: routes by path shape, verbs, hooks, indexes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from marshmallow import Schema

from gateway.crossbar.context import Context, Reply
from gateway.crossbar.documents import Documents
from gateway.store import Index

Handler = Callable[[Context], Awaitable[Reply]]
ArgsCheck = Callable[[Context, tuple[str, ...]], Awaitable[None]]
Authorize = Callable[[Context], Awaitable[None]]
OwnerCheck = Callable[[Context], Awaitable[bool]]

ID = "{id}"
JSON_TYPES = frozenset({"application/json", "application/x-json"})


@dataclass(frozen=True)
class Route:
    """One path shape after the noun (literals or ID) and a handler per verb."""

    pattern: tuple[str, ...]
    handlers: Mapping[str, Handler]
    # Verbs this route serves without a login (Kazoo: an app's icon, a domain's logo).
    public: frozenset[str] = frozenset()

    def matches(self, args: tuple[str, ...]) -> bool:
        """True when `args` fit the pattern; IDs take any non-empty segment."""
        if len(args) != len(self.pattern):
            return False
        return all(
            (part == ID and arg != "") or part == arg
            for part, arg in zip(self.pattern, args, strict=True)
        )

    @property
    def literal_count(self) -> int:
        """How many literal segments the pattern has (more wins)."""
        return sum(part != ID for part in self.pattern)


@dataclass(frozen=True)
class Resource:
    """A crossbar module: its routes and how it takes part in the pipeline.

    `parents` names the scoped modules it may follow (`users/{U}/devices`); each such parent's
    `check_args` validates its id before the handler runs. A `priv_level: user` caller may only
    read a scoped resource, unless `user_may_write` says the target is its own. `sub_documents`
    are kinds the resource keeps besides its own (vmboxes' messages).
    """

    name: str
    routes: tuple[Route, ...]
    scoped: bool = True
    public: frozenset[str] = frozenset()
    parents: frozenset[str] = frozenset()
    greedy: bool = False
    check_args: ArgsCheck | None = None
    authorize: Authorize | None = None
    indexes: tuple[Index, ...] = ()
    content_types: frozenset[str] = JSON_TYPES
    schema: type[Schema] | None = None
    documents: Documents | None = None
    user_may_write: OwnerCheck | None = None
    sub_documents: tuple[Documents, ...] = ()
    # Served at `/v2/<name>/...`, with no account and no login (Kazoo's `GET /v2/webhooks`,
    # `GET /v2/whitelabel/{domain}`).
    unscoped: tuple[Route, ...] = ()

    def route(self, args: tuple[str, ...]) -> Route | None:
        """The most specific route matching `args`."""
        return _most_specific(self.routes, args)

    def unscoped_route(self, args: tuple[str, ...]) -> Route | None:
        """The most specific account-less route matching `args`."""
        return _most_specific(self.unscoped, args)


def _most_specific(routes: tuple[Route, ...], args: tuple[str, ...]) -> Route | None:
    found = [route for route in routes if route.matches(args)]
    return max(found, key=lambda route: route.literal_count) if found else None


@dataclass
class Registry:
    """Every loaded resource, by module name."""

    resources: dict[str, Resource] = field(default_factory=dict)

    @classmethod
    def of(cls, resources: Iterable[Resource]) -> Registry:
        """A registry of the given resources."""
        return cls({resource.name: resource for resource in resources})

    @cached_property
    def greedy(self) -> frozenset[str]:
        """Modules that swallow every following segment."""
        return frozenset(name for name, res in self.resources.items() if res.greedy)

    def schemas(self) -> dict[str, type[Schema]]:
        """Every resource schema, by module name."""
        return {name: res.schema for name, res in self.resources.items() if res.schema}

    def documents(self) -> dict[str, Documents]:
        """Every document unit, by kind."""
        return {
            docs.kind: docs
            for res in self.resources.values()
            for docs in (res.documents, *res.sub_documents)
            if docs is not None
        }

    def kinds(self) -> set[str]:
        """Every collection the resources keep documents in."""
        return {index.kind for index in self.indexes()}

    def indexes(self) -> list[Index]:
        """All indexes every resource declares."""
        return [index for resource in self.resources.values() for index in resource.indexes]

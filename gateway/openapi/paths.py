"""Every (path, verb) the registry serves, as the dispatcher would route it (pure)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from gateway.crossbar.dispatch import SUBTREE
from gateway.crossbar.resource import ID, Registry, Resource, Route

PREFIX = "/v2"
# Kazoo: every scoped module follows `accounts/{account_id}`.
ACCOUNTS = "accounts"
ACCOUNT_ID = "account_id"


@dataclass(frozen=True)
class Operation:
    """One verb of one route at one concrete path shape."""

    path: str
    verb: str
    resource: Resource
    route: Route
    ids: tuple[str, ...]
    public: bool

    @property
    def collection(self) -> bool:
        """True when the path does not end in an id (listings, sub-collections, actions)."""
        return not self.route.pattern or self.route.pattern[-1] != ID

    @property
    def document_route(self) -> bool:
        """True for a resource's collection and document routes (`.` and `{id}`)."""
        return self.route.pattern in ((), (ID,))

    @property
    def document_body(self) -> bool:
        """True when the body is the resource's own document."""
        return self.resource.schema is not None and self.document_route


def singular(word: str) -> str:
    """`vmboxes` -> `vmbox`, `directories` -> `directory`, `users` -> `user`."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("xes", "sses", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


class _PathBuilder:
    """Segments of one path; each id is named after the literal before it."""

    def __init__(self) -> None:
        self.segments: list[str] = [PREFIX]
        self.ids: list[str] = []
        self._last = ""

    def literal(self, segment: str) -> None:
        self.segments.append(segment)
        self._last = segment

    def placeholder(self) -> None:
        base = f"{singular(self._last)}_id"
        name, number = base, 1
        while name in self.ids:
            number += 1
            name = f"{base}{number}"
        self.ids.append(name)
        self.segments.append("{" + name + "}")

    def extend(self, pattern: tuple[str, ...]) -> None:
        for part in pattern:
            if part == ID:
                self.placeholder()
            else:
                self.literal(part)

    def copy(self) -> _PathBuilder:
        other = _PathBuilder()
        other.segments, other.ids, other._last = list(self.segments), list(self.ids), self._last
        return other

    @property
    def path(self) -> str:
        return "/".join(self.segments)


def _account() -> _PathBuilder:
    builder = _PathBuilder()
    builder.literal(ACCOUNTS)
    builder.placeholder()
    assert builder.ids == [ACCOUNT_ID]
    return builder


def _is_public(verb: str, resource: Resource, route: Route, unscoped: bool) -> bool:
    """The dispatcher's rule: public verbs of the resource or route, and account-less routes."""
    return unscoped or verb in resource.public or verb in route.public


def _operations(
    base: _PathBuilder, resource: Resource, routes: tuple[Route, ...], unscoped: bool = False
) -> Iterator[Operation]:
    for route in routes:
        builder = base.copy()
        builder.literal(resource.name)
        builder.extend(route.pattern)
        for verb in sorted(route.handlers):
            public = _is_public(verb, resource, route, unscoped)
            yield Operation(builder.path, verb, resource, route, tuple(builder.ids), public)


def _chains(registry: Registry, resource: Resource) -> Iterator[_PathBuilder]:
    """Where a scoped resource's routes hang: the account, then each real parent."""
    yield _account()
    for parent in sorted(resource.parents):
        served = registry.resources.get(parent)
        if served is not None and served.scoped:
            builder = _account()
            builder.literal(parent)
            builder.placeholder()
            yield builder


def operations(registry: Registry) -> list[Operation]:
    """Every operation, in path order; the chains `dispatch._route` accepts and no others."""
    found: list[Operation] = []
    for name in sorted(registry.resources):
        resource = registry.resources[name]
        if not resource.scoped:
            found.extend(_operations(_PathBuilder(), resource, resource.routes))
            continue
        for chain in _chains(registry, resource):
            found.extend(_operations(chain, resource, resource.routes))
        if SUBTREE in resource.parents:
            # Kazoo: `accounts/{A}/descendants/<module>` widens a collection to the subtree.
            subtree = _account()
            subtree.literal(SUBTREE)
            collections = tuple(route for route in resource.routes if not route.pattern)
            found.extend(_operations(subtree, resource, collections))
        found.extend(_operations(_PathBuilder(), resource, resource.unscoped, unscoped=True))
    return sorted(found, key=lambda op: (op.path, op.verb))

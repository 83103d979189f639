"""The /v1/pbx endpoint table: every endpoint group's ENDPOINTS."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gateway.dialects.dodev.endpoint import Endpoint
from gateway.dialects.dodev.endpoints import (
    call_flows,
    call_queues,
    extensions,
    hold_music,
    ice_servers,
    inbound_numbers,
    phones,
    recordings,
    settings,
    voicemail,
)
from gateway.dialects.dodev.errors import method_not_allowed, not_found

TABLE: tuple[Endpoint, ...] = (
    *settings.ENDPOINTS,
    *extensions.ENDPOINTS,
    *inbound_numbers.ENDPOINTS,
    *call_queues.ENDPOINTS,
    *call_flows.ENDPOINTS,
    *phones.ENDPOINTS,
    *voicemail.ENDPOINTS,
    *recordings.ENDPOINTS,
    *ice_servers.ENDPOINTS,
    *hold_music.ENDPOINTS,
)


@dataclass(frozen=True)
class PathRoute:
    """One path pattern (`extensions/{id}`) and its endpoint per verb."""

    segments: tuple[str, ...]
    verbs: dict[str, Endpoint]

    def values(self, segments: tuple[str, ...]) -> dict[str, str] | None:
        """The `{name}` values when `segments` fit the pattern, else None."""
        if len(segments) != len(self.segments):
            return None
        found: dict[str, str] = {}
        for part, given in zip(self.segments, segments, strict=True):
            if part.startswith("{") and part.endswith("}"):
                if not given:
                    return None
                found[part[1:-1]] = given
            elif part != given:
                return None
        return found

    @property
    def literals(self) -> int:
        """How many literal segments it has: `extensions/stats` beats `extensions/{id}`."""
        return sum(not part.startswith("{") for part in self.segments)


def compile_table(table: Iterable[Endpoint]) -> tuple[PathRoute, ...]:
    """The table grouped by path; the same verb twice on one path is a mistake."""
    routes: dict[str, dict[str, Endpoint]] = {}
    for endpoint in table:
        verbs = routes.setdefault(endpoint.path.strip("/"), {})
        if endpoint.verb in verbs:
            raise ValueError(f"{endpoint.verb} /v1/pbx/{endpoint.path} is declared twice")
        verbs[endpoint.verb] = endpoint
    return tuple(PathRoute(tuple(path.split("/")), verbs) for path, verbs in routes.items())


ROUTES = compile_table(TABLE)


def match(
    path: str, verb: str, routes: tuple[PathRoute, ...] = ROUTES
) -> tuple[Endpoint, dict[str, str]]:
    """The endpoint for `verb` on `path` (below /v1/pbx) and its path values; 404 or 405."""
    segments = tuple(path.strip("/").split("/"))
    fitting = [
        (route, values) for route in routes if (values := route.values(segments)) is not None
    ]
    if not fitting:
        raise not_found("NOT_FOUND", "No such endpoint")
    route, values = max(fitting, key=lambda pair: pair[0].literals)
    endpoint = route.verbs.get(verb)
    if endpoint is None:
        raise method_not_allowed(route.verbs)
    return endpoint, values

"""The paths /api answers, each verb's handler, and which need no session."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.dialects.kazi.answer import Handler
from gateway.dialects.kazi.errors import method_not_allowed, not_found
from gateway.dialects.kazi.extension_listing import list_extensions
from gateway.dialects.kazi.extensions import (
    create_extension,
    delete_extension,
    read_extension,
    update_extension,
)
from gateway.dialects.kazi.login import login, logout
from gateway.dialects.kazi.tenants import list_tenants


@dataclass(frozen=True)
class Endpoint:
    """One verb on one path."""

    handler: Handler
    public: bool = False


ROUTES: dict[str, dict[str, Endpoint]] = {
    "/admin/login": {"POST": Endpoint(login, public=True)},
    "/admin/logout": {"POST": Endpoint(logout)},
    "/tenants": {"GET": Endpoint(list_tenants)},
    "/extensions": {"GET": Endpoint(list_extensions), "POST": Endpoint(create_extension)},
    "/extensions/{id}": {
        "GET": Endpoint(read_extension),
        "PUT": Endpoint(update_extension),
        "PATCH": Endpoint(update_extension),
        "DELETE": Endpoint(delete_extension),
    },
}


def _route(path: str) -> tuple[dict[str, Endpoint], dict[str, str]] | None:
    """The verbs of the route `path` takes and its path values; None when none takes it."""
    segments = (path.rstrip("/") or "/").split("/")
    for pattern, verbs in ROUTES.items():
        parts = pattern.split("/")
        if len(parts) != len(segments):
            continue
        values: dict[str, str] = {}
        for part, segment in zip(parts, segments, strict=True):
            if part.startswith("{"):
                if not segment:
                    break
                values[part[1:-1]] = segment
            elif part != segment:
                break
        else:
            return verbs, values
    return None


def match(path: str, verb: str) -> tuple[Endpoint, dict[str, str]]:
    """The endpoint of `verb` on `path` and its path values; 404 for an unknown path, 405 for
    another verb."""
    found = _route(path)
    if found is None:
        raise not_found()
    verbs, values = found
    endpoint = verbs.get(verb)
    if endpoint is None:
        raise method_not_allowed(verbs)
    return endpoint, values


def public_endpoint(path: str, verb: str) -> Endpoint | None:
    """The endpoint when `verb` on `path` needs no session; else None."""
    found = _route(path)
    endpoint = found[0].get(verb) if found else None
    return endpoint if endpoint is not None and endpoint.public else None

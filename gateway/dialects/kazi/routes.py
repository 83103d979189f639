"""The paths /api answers, each verb's handler, and which need no session."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.dialects.kazi.answer import Handler
from gateway.dialects.kazi.errors import method_not_allowed, not_found
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
}


def match(path: str, verb: str) -> Endpoint:
    """The endpoint of `verb` on `path`; 404 for an unknown path, 405 for another verb."""
    verbs = ROUTES.get(path.rstrip("/") or "/")
    if verbs is None:
        raise not_found()
    endpoint = verbs.get(verb)
    if endpoint is None:
        raise method_not_allowed(verbs)
    return endpoint


def public_endpoint(path: str, verb: str) -> Endpoint | None:
    """The endpoint when `verb` on `path` needs no session; else None."""
    endpoint = ROUTES.get(path.rstrip("/") or "/", {}).get(verb)
    return endpoint if endpoint is not None and endpoint.public else None

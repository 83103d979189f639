"""What a request is, in labels of bounded cardinality: dialect, module, verb (pure)."""

from __future__ import annotations

from collections.abc import Collection

from gateway.dialects.dodev.routes import ROUTES as PBX_ROUTES
from gateway.dialects.kazi.routes import ROUTES as API_ROUTES

UNKNOWN = "unknown"
VERBS = frozenset({"GET", "PUT", "POST", "PATCH", "DELETE", "OPTIONS", "HEAD"})
# Routes of /v2 the application adds besides the registry's resources.
V2_EXTRA = frozenset({"intake"})
PBX_MODULES = frozenset(route.segments[0] for route in PBX_ROUTES)
API_MODULES = frozenset(path.strip("/").split("/")[0] for path in API_ROUTES)
OTHER_MODULES = frozenset({"metrics", "healthz", "readyz"})
_HEX = frozenset("0123456789abcdef")


def classify(raw_path: str, resources: Collection[str]) -> tuple[str, str]:
    """(dialect, module): `v2`, `pbx`, `api` or `other`, and a module name or `unknown`."""
    segments = raw_path.split("?", 1)[0].split("/")
    first = segments[1] if len(segments) > 1 else ""
    if first == "v2":
        return "v2", _v2_module(segments[2:], resources)
    if first == "v1" and len(segments) > 2 and segments[2] == "pbx":
        module = segments[3] if len(segments) > 3 else ""
        return "pbx", module if module in PBX_MODULES else UNKNOWN
    if first == "api":
        module = segments[2] if len(segments) > 2 else ""
        return "api", module if module in API_MODULES else UNKNOWN
    return "other", first if first in OTHER_MODULES else UNKNOWN


def _v2_module(tokens: list[str], resources: Collection[str]) -> str:
    """The first resource noun after `accounts/{id}/`, else the top noun."""
    top = tokens[0] if tokens else ""
    if top == "account":  # Kazoo: the token's own account
        tokens, top = ["accounts", "", *tokens[1:]], "accounts"
    if top == "accounts":
        for token in tokens[2:]:
            if token in resources:
                return token
        return "accounts"
    if top in resources or top in V2_EXTRA:
        return top
    return UNKNOWN


def verb_of(method: str) -> str:
    """The HTTP method, or `OTHER` for one the gateway does not serve."""
    return method if method in VERBS else "OTHER"


def account_of(raw_path: str) -> str | None:
    """The account id a /v2 path names (`/v2/accounts/{32 hex}/...`), if any."""
    segments = raw_path.split("?", 1)[0].split("/", 4)
    if len(segments) < 4 or segments[1] != "v2" or segments[2] != "accounts":
        return None
    candidate = segments[3]
    return candidate if len(candidate) == 32 and _HEX.issuperset(candidate) else None

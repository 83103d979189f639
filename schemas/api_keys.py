"""API keys of the /v1/pbx dialect: a name, scopes, an optional expiry and a mode."""

from __future__ import annotations

from schemas.fields import Arr, Either, Int, OpenSchema, Str

# Endpoint groups and the access each offers; a scope is `pbx:<group>:<access>`.
SCOPE_GROUPS = {
    "extensions": ("read", "write"),
    "dids": ("read", "write"),
    "queues": ("read", "write"),
    "call-flows": ("read", "write"),
    "phones": ("read",),
    "voicemail": ("read", "write"),
    "recordings": ("read", "write"),
    "settings": ("read", "write"),
    "webrtc": ("read",),
}
# Wildcards: every group's reads, every group's writes, everything.
WILDCARDS = ("pbx:*:read", "pbx:*:write", "pbx:*")
SCOPES = (
    *(f"pbx:{group}:{access}" for group, accesses in SCOPE_GROUPS.items() for access in accesses),
    *WILDCARDS,
)
MODES = ("live", "test")
# Unix seconds, or an ISO 8601 time (a time without an offset is UTC).
ISO_TIME = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$"
LATEST = 253_402_300_799  # 9999-12-31T23:59:59Z


class ApiKeySchema(OpenSchema):
    """A key: `name` and at least one known scope required; `mode` live unless test."""

    name = Str(required=True, min_length=1, max_length=128)
    scopes = Arr(Str(enum=SCOPES), required=True, min_items=1, max_items=len(SCOPES), unique=True)
    expires_at = Either(Int(minimum=1, maximum=LATEST), Str(pattern=ISO_TIME), allow_none=True)
    mode = Str(enum=MODES, load_default="live")

"""An account's limits: flat-rate trunks and hard call caps."""

from __future__ import annotations

from schemas.fields import Arr, Bool, Int, Obj, OpenSchema, Str

# The /v1/pbx plans (requests a minute: 60, 300, 1,000).
PLAN_NAMES = ("starter", "professional", "enterprise")


class ApiRateLimitSchema(OpenSchema):
    """The account's own API request bucket (not a Kazoo key): burst size and refill."""

    capacity = Int(required=True, minimum=1, maximum=1_000_000_000)
    per_second = Int(required=True, minimum=1, maximum=1_000_000_000)


class LimitsSchema(OpenSchema):
    """Trunk counts and call caps (0 and up); per-minute calls allowed unless turned off."""

    allow_prepay = Bool(load_default=True)
    authz_resource_types = Arr(Str(), load_default=list)
    burst_trunks = Int(minimum=0)
    calls = Int(minimum=0)
    inbound_trunks = Int(minimum=0)
    outbound_trunks = Int(minimum=0)
    resource_consuming_calls = Int(minimum=0)
    twoway_trunks = Int(minimum=0)
    api_rate_limit = Obj(ApiRateLimitSchema)
    plan = Str(enum=PLAN_NAMES)

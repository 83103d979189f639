"""An account's limits: flat-rate trunks and hard call caps."""

from __future__ import annotations

from schemas.fields import Arr, Bool, Int, OpenSchema, Str


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

"""`/v1/pbx/inbound-numbers`."""

from __future__ import annotations

from gateway.dialects.dodev.endpoint import Endpoint

ENDPOINTS: tuple[Endpoint, ...] = ()

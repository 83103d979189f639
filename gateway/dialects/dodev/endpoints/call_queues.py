"""`/v1/pbx/call-queues`."""

from __future__ import annotations

from gateway.dialects.dodev.endpoint import Endpoint

ENDPOINTS: tuple[Endpoint, ...] = ()

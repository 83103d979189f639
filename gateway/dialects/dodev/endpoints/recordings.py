"""`/v1/pbx/recordings`."""

from __future__ import annotations

from gateway.dialects.dodev.endpoint import Endpoint

ENDPOINTS: tuple[Endpoint, ...] = ()

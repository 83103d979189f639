"""`/v1/pbx/extensions`."""

from __future__ import annotations

from gateway.dialects.dodev.endpoint import Endpoint

ENDPOINTS: tuple[Endpoint, ...] = ()

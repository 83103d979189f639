"""`/v1/pbx/phones`."""

from __future__ import annotations

from gateway.dialects.dodev.endpoint import Endpoint

ENDPOINTS: tuple[Endpoint, ...] = ()

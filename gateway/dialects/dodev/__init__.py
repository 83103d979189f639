"""The do.dev dialect: `/v1/pbx`, a flat REST API with scoped Bearer keys and plan rate limits
over the same accounts and documents as the Kazoo API (README: "The do.dev dialect")."""

from gateway.dialects.dodev.pipeline import handler

__all__ = ["handler"]

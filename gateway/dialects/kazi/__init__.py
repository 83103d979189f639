"""The Kazi dialect: `/api`, an admin API with Laravel-style answers over the same account tree
and documents as the Kazoo and do.dev APIs."""

from gateway.dialects.kazi.pipeline import handler

__all__ = ["handler"]

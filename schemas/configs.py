"""Per-account settings of one config category (Kazoo's `account_config.{id}`)."""

from __future__ import annotations

from schemas.fields import OpenSchema


class AccountConfigSchema(OpenSchema):
    """Any keys: what a category understands is the category's business."""

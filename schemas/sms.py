"""Text messages: what a client sends; the gateway adds where it is in its journey."""

from __future__ import annotations

from schemas.fields import OpenSchema, Str

SMS_STATUSES = ("queued", "sent", "delivered", "failed")


class SmsSchema(OpenSchema):
    """An SMS to send: `to` and `body` (Kazoo: 1..700), `from` defaulting to a caller id."""

    to = Str(required=True, min_length=1, max_length=64)
    body = Str(required=True, min_length=1, max_length=700)
    # Kazoo's key is `from`, a Python keyword.
    sender = Str(data_key="from", attribute="from", min_length=1, max_length=64)

"""External number documents: numbers held elsewhere that an account may show as caller id."""

from __future__ import annotations

from schemas.fields import OpenSchema, Str


class ExternalNumberSchema(OpenSchema):
    """An external caller id number: `number` required."""

    number = Str(required=True, max_length=35, pattern=r"^\+?[0-9]+$")

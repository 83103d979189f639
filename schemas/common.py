"""Pieces several schemas share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import Schema, ValidationError

from schemas.fields import Bool, Obj, OpenSchema, Str

CALL_RESTRICTION_ACTIONS = ("inherit", "deny")
PRIVACY = ("full", "name", "number", "none")


class CallerIdEntry(OpenSchema):
    """A caller id name and number."""

    name = Str(max_length=35)
    number = Str(max_length=35)


class CallerId(OpenSchema):
    """Caller ids by use."""

    internal = Obj(CallerIdEntry)
    external = Obj(CallerIdEntry)
    emergency = Obj(CallerIdEntry)
    asserted = Obj(CallerIdEntry)


class CallerIdOptions(OpenSchema):
    """Outbound privacy."""

    outbound_privacy = Str(enum=PRIVACY)


class MusicOnHold(OpenSchema):
    """Music on hold."""

    media_id = Str(max_length=2048)


class Ringtones(OpenSchema):
    """Alert-Info values."""

    internal = Str(max_length=256)
    external = Str(max_length=256)


class DoNotDisturb(OpenSchema):
    """Do not disturb."""

    enabled = Bool()


class ObjOf(Obj):
    """An object whose every value loads with one schema (Kazoo's `patternProperties`)."""

    def __init__(self, values: type[Schema] | Callable[[], type[Schema]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.values = values

    def _deserialize(
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> dict[str, Any]:
        raw = super()._deserialize(value, attr, data, **kwargs)
        item = Obj(self.values if isinstance(self.values, type) else self.values())
        out, errors = {}, {}
        for key, entry in raw.items():
            try:
                out[key] = item.deserialize(entry)
            except ValidationError as err:
                errors[key] = err.messages
        if errors:
            raise ValidationError(errors)
        return out


# Kazoo: `format: uri` fields the server later calls must be http(s) URLs.
HTTP_URL_PATTERN = r"^https?://[^\s/?#]+\S*$"

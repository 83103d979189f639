"""Pieces several schemas share."""

from __future__ import annotations

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

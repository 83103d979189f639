"""Group documents: a named set of users and devices."""

from __future__ import annotations

from schemas.common import MusicOnHold, ObjOf
from schemas.fields import Arr, Obj, OpenSchema, Str


class GroupEndpoint(OpenSchema):
    """A member, keyed by its user or device id."""

    # Kazoo's schema leaves the entry open; callflows read `type` ("user", "device", ...).
    type = Str()


class GroupMusicOnHold(MusicOnHold):
    """Music on hold; groups allow a shorter media id than devices."""

    media_id = Str(max_length=128)


class GroupSchema(OpenSchema):
    """A group: `name` and `endpoints` required."""

    name = Str(required=True, min_length=1, max_length=128)
    # Kazoo: `endpoints` is required but defaulted to {}, so a missing one never fails.
    endpoints = ObjOf(GroupEndpoint, load_default=dict)
    music_on_hold = Obj(GroupMusicOnHold, load_default=dict)
    flags = Arr(Str())

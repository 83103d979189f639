"""Blacklist documents."""

from __future__ import annotations

from schemas.fields import Arr, Bool, Obj, OpenSchema, Str


class BlacklistSchema(OpenSchema):
    """A blacklist: `name` required; `numbers` maps caller id numbers to `{}`."""

    name = Str(required=True, min_length=1, max_length=128)
    numbers = Obj(load_default=dict)
    should_block_anonymous = Bool()
    flags = Arr(Str())

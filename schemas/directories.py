"""Dial-by-name directory documents."""

from __future__ import annotations

from schemas.fields import Arr, Bool, Int, OpenSchema, Str

SORT_FIELDS = ("first_name", "last_name")
SEARCH_FIELDS = ("first_name", "last_name", "both")


class DirectorySchema(OpenSchema):
    """A directory: `name` required; `users` lists user ids."""

    name = Str(required=True, min_length=1)
    min_dtmf = Int(minimum=1, load_default=3)
    max_dtmf = Int(minimum=0, load_default=0)
    sort_by = Str(enum=SORT_FIELDS, load_default="last_name")
    search_fields = Str(enum=SEARCH_FIELDS)
    confirm_match = Bool(load_default=True)
    users = Arr(Str(), load_default=list)
    flags = Arr(Str())

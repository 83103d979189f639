"""IVR menu documents."""

from __future__ import annotations

from schemas.fields import Arr, Bool, Either, Int, Obj, OpenSchema, Str


def media_ref() -> Either:
    """A media id (3..2048 characters) or a boolean."""
    # Kazoo: oneOf boolean|string, so "true" is kept as a string, not coerced
    return Either(Str(min_length=3, max_length=2048), Bool())


class MenuMedia(OpenSchema):
    """Menu prompts."""

    greeting = Str(min_length=3, max_length=2048)
    exit_media = media_ref()
    invalid_media = media_ref()
    transfer_media = media_ref()


class MenuSchema(OpenSchema):
    """An IVR menu: `name` required; retries, extension length and hunting defaulted."""

    name = Str(required=True, min_length=1, max_length=128)
    retries = Int(minimum=1, maximum=10, load_default=3)
    timeout = Int(minimum=1, maximum=60000)
    interdigit_timeout = Int(minimum=1, maximum=10000)
    max_extension_length = Int(minimum=1, maximum=6, load_default=4)
    hunt = Bool(load_default=True)
    hunt_allow = Str(min_length=1, max_length=256)
    hunt_deny = Str(min_length=1, max_length=256)
    media = Obj(MenuMedia, load_default=dict)
    record_pin = Str(min_length=3, max_length=6)
    allow_record_from_offnet = Bool(load_default=False)
    suppress_media = Bool(load_default=False)
    flags = Arr(Str())

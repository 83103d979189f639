"""User documents."""

from __future__ import annotations

from schemas.common import CallerId, CallerIdOptions, DoNotDisturb, MusicOnHold, Ringtones
from schemas.fields import Arr, Bool, Obj, OpenSchema, Str

USERNAME_PATTERN = r"^([+@.\w_-]+)$"


class CallForward(OpenSchema):
    """Call forwarding."""

    enabled = Bool(load_default=False)
    number = Str(max_length=35)
    substitute = Bool(load_default=True)
    require_keypress = Bool(load_default=True)
    keep_caller_id = Bool(load_default=True)
    direct_calls_only = Bool(load_default=False)
    failover = Bool(load_default=False)
    ignore_early_media = Bool(load_default=True)


class Hotdesk(OpenSchema):
    """Hot desking."""

    enabled = Bool(load_default=False)
    id = Str(max_length=15)
    pin = Str(min_length=4, max_length=15)
    require_pin = Bool(load_default=False)
    keep_logged_in_elsewhere = Bool(load_default=False)


class Encryption(OpenSchema):
    """Media encryption."""

    enforce_security = Bool(load_default=False)
    methods = Arr(Str(enum=("zrtp", "srtp")), load_default=list)


class Codecs(OpenSchema):
    """Video codecs."""

    codecs = Arr(Str(enum=("H261", "H263", "H264", "VP8")), unique=True, load_default=list)


class Media(OpenSchema):
    """Media parameters."""

    encryption = Obj(Encryption, load_default=lambda: {"enforce_security": False, "methods": []})
    video = Obj(Codecs, load_default=lambda: {"codecs": []})
    audio = Obj(load_default=dict)


class UserSchema(OpenSchema):
    """A user: first and last name required; `password` is write-only."""

    first_name = Str(required=True, min_length=1, max_length=128)
    last_name = Str(required=True, min_length=1, max_length=128)
    username = Str(min_length=1, max_length=256, pattern=USERNAME_PATTERN)
    password = Str(min_length=1, max_length=256, load_only=True)
    email = Str(min_length=3, max_length=254, fmt="email")
    priv_level = Str(enum=("user", "admin"), load_default="user")
    enabled = Bool(load_default=True)
    vm_to_email_enabled = Bool(load_default=True)
    verified = Bool(load_default=False)
    require_password_update = Bool(load_default=False)
    presence_id = Str(max_length=128)
    timezone = Str(min_length=5, max_length=32)
    language = Str()
    caller_id = Obj(CallerId, load_default=dict)
    caller_id_options = Obj(CallerIdOptions)
    call_forward = Obj(CallForward)
    hotdesk = Obj(
        Hotdesk,
        load_default=lambda: {
            "enabled": False,
            "keep_logged_in_elsewhere": False,
            "require_pin": False,
        },
    )
    do_not_disturb = Obj(DoNotDisturb)
    music_on_hold = Obj(MusicOnHold, load_default=dict)
    call_restriction = Obj(load_default=dict)
    contact_list = Obj(load_default=dict)
    dial_plan = Obj(load_default=dict)
    media = Obj(
        Media,
        load_default=lambda: {
            "encryption": {"enforce_security": False, "methods": []},
            "video": {"codecs": []},
            "audio": {},
        },
    )
    ringtones = Obj(Ringtones, load_default=dict)
    flags = Arr(Str())

"""Account documents."""

from __future__ import annotations

from schemas.common import CallerId, CallerIdOptions, DoNotDisturb, MusicOnHold, Ringtones
from schemas.fields import Arr, Bool, Obj, OpenSchema, Str

REALM_PATTERN = r"^[.\w_-]+$"


class Preflow(OpenSchema):
    """A callflow run before every other."""

    always = Str()


class AccountSchema(OpenSchema):
    """An account (tenant): `name` required, realm unique."""

    name = Str(required=True, min_length=1, max_length=128)
    realm = Str(min_length=4, max_length=253, pattern=REALM_PATTERN)
    timezone = Str(min_length=5, max_length=32)
    language = Str()
    enabled = Bool()
    org = Str()
    caller_id = Obj(CallerId, load_default=dict)
    caller_id_options = Obj(CallerIdOptions)
    call_restriction = Obj(load_default=dict)
    dial_plan = Obj(load_default=dict)
    music_on_hold = Obj(MusicOnHold, load_default=dict)
    preflow = Obj(Preflow, load_default=dict)
    ringtones = Obj(Ringtones, load_default=dict)
    do_not_disturb = Obj(DoNotDisturb)
    flags = Arr(Str())

"""Conference documents."""

from __future__ import annotations

from typing import Any

from schemas.fields import Arr, Bool, Either, Int, Obj, OpenSchema, Str, fail

DIGITS = r"^[0-9]+$"
SAMPLE_RATES = (8000, 12000, 16000, 24000, 32000, 44100, 48000)


class SampleRate(Int):
    """An integer from Kazoo's list of conference sample rates."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        rate = super()._deserialize(value, attr, data, **kwargs)
        if rate not in SAMPLE_RATES:
            raise fail(
                "enum",
                "Value not found in enumerated list of values",
                target=list(SAMPLE_RATES),
                value=rate,
            )
        return rate


# FreeSWITCH profile parameters keep their dashed names, so the schema is built from a dict.
ConferenceProfile = OpenSchema.from_dict(
    {
        "alone-sound": Str(),
        "announce-count": Int(),
        "caller-controls": Str(),
        "comfort-noise": Int(minimum=0, maximum=10000),
        "energy-level": Int(minimum=0, maximum=1800),
        "enter-sound": Str(),
        "exit-sound": Str(),
        "interval": Int(minimum=10, maximum=120),
        "locked-sound": Str(),
        "max-members": Int(minimum=2),
        "max-members-sound": Str(),
        "moderator-controls": Str(),
        "moh-sound": Str(),
        "muted-sound": Str(),
        "rate": SampleRate(),
        "unmuted-sound": Str(),
    },
    name="ConferenceProfile",
)


class CallIn(OpenSchema):
    """How a participant finds the conference: numbers and pins."""

    numbers = Arr(Str(pattern=DIGITS), min_items=0, unique=True, load_default=list)
    pins = Arr(Str(pattern=DIGITS), load_default=list)
    join_deaf = Bool(load_default=False)


class Member(CallIn):
    """Member call-in; members join muted by default."""

    join_muted = Bool(load_default=True)
    play_entry_prompt = Bool()


class Moderator(CallIn):
    """Moderator call-in."""

    join_muted = Bool(load_default=False)


class ConferenceSchema(OpenSchema):
    """A conference room."""

    name = Str(min_length=1, max_length=128)
    owner_id = Str(min_length=32, max_length=32)
    conference_numbers = Arr(Str(pattern=DIGITS), unique=True, load_default=list)
    member = Obj(
        Member,
        load_default=lambda: {"numbers": [], "pins": [], "join_deaf": False, "join_muted": True},
    )
    moderator = Obj(
        Moderator,
        load_default=lambda: {"numbers": [], "pins": [], "join_deaf": False, "join_muted": False},
    )
    play_name = Bool(load_default=False)
    play_welcome = Bool()
    # Kazoo: oneOf boolean|string (a media id); a string stays a string.
    play_entry_tone = Either(Str(), Bool())
    play_exit_tone = Either(Str(), Bool())
    require_moderator = Bool()
    wait_for_moderator = Bool()
    max_participants = Int()
    max_members_media = Str()
    profile = Obj(ConferenceProfile)
    profile_name = Str()
    caller_controls = Str()
    moderator_controls = Str()
    controls = Obj()
    language = Str()
    domain = Str()
    focus = Str()
    bridge_username = Str()
    bridge_password = Str()
    flags = Arr(Str())

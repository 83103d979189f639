"""Call recordings (Kazoo's `call_recording` documents): who called whom, when, how long."""

from __future__ import annotations

from schemas.fields import Int, OpenSchema, Str

ID_PATTERN = "^[0-9a-f]{32}$"
RECORDING_TYPES = ("audio/mpeg", "audio/mp3", "audio/wav", "audio/x-wav", "audio/ogg")


class RecordingSchema(OpenSchema):
    """A recording's metadata; its audio is an attachment written with it."""

    call_id = Str(required=True, min_length=1, max_length=256)
    owner_id = Str(pattern=ID_PATTERN)
    name = Str(min_length=1, max_length=256)
    description = Str(max_length=256)
    # Kazoo: recordings made by the switch are `recorded`
    media_source = Str(enum=("recorded", "upload"), load_default="recorded")
    media_type = Str(max_length=16)
    content_type = Str(enum=RECORDING_TYPES, load_default="audio/mpeg")
    source_type = Str(max_length=64)
    caller_id_number = Str(max_length=128)
    caller_id_name = Str(max_length=128)
    callee_id_number = Str(max_length=128)
    callee_id_name = Str(max_length=128)
    from_ = Str(data_key="from", attribute="from", max_length=512)  # a Python keyword
    to = Str(max_length=512)
    direction = Str(enum=("inbound", "outbound"))
    # Gregorian seconds
    start = Int(minimum=0)
    duration = Int(minimum=0)
    duration_ms = Int(minimum=0, load_default=0)

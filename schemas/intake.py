"""Events a switch adapter reports through the intake (shape only)."""

from __future__ import annotations

from schemas.fields import Int, Obj, OpenSchema, Str

ID_PATTERN = "^[0-9a-f]{32}$"
EVENT_TYPES = ("registration", "channel", "cdr", "voicemail", "sms_status", "recording")
# A day: longer than any SIP registrar grants; the registration expires on its own after it.
MAX_REGISTRATION_EXPIRES = 86_400


class IntakeEvent(OpenSchema):
    """What every event carries: its idempotency key, its type and its account."""

    event_id = Str(required=True, min_length=1, max_length=128)
    type = Str(required=True, enum=EVENT_TYPES)
    account_id = Str(required=True, pattern=ID_PATTERN)


class RegistrationEvent(IntakeEvent):
    """A phone registered (for `expires` seconds) or unregistered."""

    action = Str(required=True, enum=("register", "unregister"))
    username = Str(required=True, min_length=1, max_length=128)
    realm = Str(required=True, min_length=1, max_length=253)
    contact = Str(max_length=1024)
    user_agent = Str(max_length=512)
    expires = Int(minimum=0, maximum=MAX_REGISTRATION_EXPIRES, load_default=3600)
    authorizing_id = Str(max_length=64)
    authorizing_type = Str(max_length=64)
    owner_id = Str(max_length=64)
    call_id = Str(max_length=256)


class CallEvent(IntakeEvent):
    """What channel and CDR events share: who called whom."""

    caller_id_number = Str(max_length=128)
    caller_id_name = Str(max_length=128)
    callee_id_number = Str(max_length=128)
    callee_id_name = Str(max_length=128)


class ChannelEvent(CallEvent):
    """A call leg was created, answered, bridged to another leg, or destroyed."""

    action = Str(required=True, enum=("create", "answer", "bridge", "destroy"))
    call_id = Str(required=True, min_length=1, max_length=256)
    direction = Str(enum=("inbound", "outbound"))
    destination = Str(max_length=256)
    username = Str(max_length=128)
    presence_id = Str(max_length=256)
    owner_id = Str(max_length=64)
    authorizing_id = Str(max_length=64)
    authorizing_type = Str(max_length=64)
    other_leg = Str(max_length=256)


class ChannelVars(OpenSchema):
    """The custom channel variables a CDR carries (who the call belongs to)."""

    account_id = Str(pattern=ID_PATTERN)
    owner_id = Str(max_length=64)
    authorizing_id = Str(max_length=64)
    authorizing_type = Str(max_length=64)


class CdrEvent(CallEvent):
    """A finished call leg, with Kazoo's stored CDR fields."""

    call_id = Str(required=True, min_length=1, max_length=256)
    call_direction = Str(enum=("inbound", "outbound"))
    request = Str(max_length=512)
    to = Str(max_length=512)
    duration_seconds = Int(minimum=0)
    billing_seconds = Int(minimum=0)
    ringing_seconds = Int(minimum=0)
    hangup_cause = Str(max_length=128)
    timestamp = Int(minimum=0)
    other_leg_call_id = Str(max_length=256)
    interaction_id = Str(max_length=256)
    custom_channel_vars = Obj(ChannelVars)


class VoicemailEvent(IntakeEvent):
    """A message left in a voicemail box, its audio as base64."""

    vmbox_id = Str(required=True, pattern=ID_PATTERN)
    caller_id_number = Str(max_length=128)
    caller_id_name = Str(max_length=128)
    length = Int(minimum=0, load_default=0)
    audio = Str(required=True, min_length=1)
    content_type = Str(
        enum=("audio/mpeg", "audio/mp3", "audio/wav", "audio/x-wav", "audio/ogg"),
        load_default="audio/mpeg",
    )


class RecordingEvent(CallEvent):
    """A finished call recording, its audio as base64."""

    call_id = Str(required=True, min_length=1, max_length=256)
    owner_id = Str(pattern=ID_PATTERN)
    duration_ms = Int(minimum=0, load_default=0)
    from_ = Str(data_key="from", attribute="from", max_length=512)  # a Python keyword
    to = Str(max_length=512)
    direction = Str(enum=("inbound", "outbound"))
    # Gregorian seconds; default: when the event is taken
    start = Int(minimum=0)
    audio = Str(required=True, min_length=1)
    content_type = Str(
        enum=("audio/mpeg", "audio/mp3", "audio/wav", "audio/x-wav", "audio/ogg"),
        load_default="audio/mpeg",
    )


class SmsStatusEvent(IntakeEvent):
    """The carrier side took, delivered or failed a text message taken from the SMS feed."""

    message_id = Str(required=True, pattern=ID_PATTERN)
    status = Str(required=True, enum=("sent", "delivered", "failed"))
    reason = Str(max_length=512)
    carrier_message_id = Str(max_length=256)

"""Voicemail boxes and the metadata of their messages."""

from __future__ import annotations

from schemas.fields import Arr, Bool, Either, Int, Obj, OpenSchema, Str

MEDIA_EXTENSIONS = ("mp3", "mp4", "wav")
FOLDERS = ("deleted", "saved", "new")


class VmboxMedia(OpenSchema):
    """Greeting media."""

    unavailable = Str(min_length=32, max_length=32)


class NotifyCallback(OpenSchema):
    """Call a number back when a message is left."""

    attempts = Int()
    disabled = Bool()
    interval_s = Int()
    number = Str()
    schedule = Arr(Int())
    timeout_s = Int()


class Notify(OpenSchema):
    """New-message notifications."""

    callback = Obj(NotifyCallback)


class VmboxSchema(OpenSchema):
    """A voicemail box: `mailbox` and `name` required."""

    mailbox = Str(required=True, min_length=1, max_length=30)
    name = Str(required=True, min_length=1, max_length=128)
    pin = Str(min_length=4, max_length=6)
    owner_id = Str(min_length=32, max_length=32)
    timezone = Str(min_length=5, max_length=32)
    media = Obj(VmboxMedia, load_default=dict)
    media_extension = Str(enum=MEDIA_EXTENSIONS, load_default="mp3")
    notify = Obj(Notify)
    notify_email_addresses = Arr(Str(fmt="email"), load_default=list)
    # Kazoo: oneOf integer|string; a numeric string stays a string.
    operator_number = Either(Str(), Int())
    seek_duration_ms = Int(minimum=0, load_default=10000)
    announcement_only = Bool(load_default=False)
    check_if_owner = Bool(load_default=True)
    delete_after_notify = Bool(load_default=False)
    include_message_on_notify = Bool(load_default=True)
    include_transcription_on_notify = Bool(load_default=True)
    is_setup = Bool(load_default=False)
    is_voicemail_ff_rw_enabled = Bool(load_default=False)
    not_configurable = Bool(load_default=False)
    oldest_message_first = Bool(load_default=False)
    require_pin = Bool(load_default=False)
    save_after_notify = Bool(load_default=False)
    skip_envelope = Bool(load_default=False)
    skip_greeting = Bool(load_default=False)
    skip_instructions = Bool(load_default=False)
    transcribe = Bool(load_default=False)
    flags = Arr(Str())


class VoicemailMessageSchema(OpenSchema):
    """A message's metadata (Kazoo's `vm_message_metadata`)."""

    folder = Str(enum=FOLDERS)
    timestamp = Int()
    length = Int()
    call_id = Str()
    caller_id_name = Str(max_length=35)
    caller_id_number = Str(max_length=35)
    to = Str()
    from_ = Str(data_key="from", attribute="from")  # a Python keyword

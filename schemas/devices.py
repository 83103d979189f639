"""Device documents."""

from __future__ import annotations

from schemas.common import CallerId, CallerIdOptions, DoNotDisturb, MusicOnHold, Ringtones
from schemas.fields import Arr, Bool, Either, Int, Obj, OpenSchema, Str
from schemas.users import CallForward, Codecs, Encryption

REALM_PATTERN = r"^[.\w_-]+$"
SIP_METHODS = ("password", "ip")
INVITE_FORMATS = ("username", "npan", "1npan", "e164", "route", "strip_plus", "contact")
AUDIO_CODECS = (
    "OPUS",
    "CELT@32000h",
    "G7221@32000h",
    "G7221@16000h",
    "G722",
    "speex@32000h",
    "speex@16000h",
    "PCMU",
    "PCMA",
    "G729",
    "GSM",
    "CELT@48000h",
    "CELT@64000h",
    "G722_16",
    "G722_32",
    "CELT_48",
    "CELT_64",
    "Speex",
    "speex",
)
BYPASS_MEDIA = ("auto", "false", "true")


class Sip(OpenSchema):
    """SIP credentials and routing."""

    username = Str(min_length=2, max_length=32)
    password = Str(min_length=5, max_length=32)
    realm = Str(min_length=4, max_length=253, pattern=REALM_PATTERN)
    method = Str(enum=SIP_METHODS, load_default="password")
    ip = Str()
    invite_format = Str(enum=INVITE_FORMATS, load_default="contact")
    expire_seconds = Int(load_default=300)
    route = Str()
    static_route = Str()
    static_invite = Str()
    number = Str()
    forward = Str()
    proxy = Str()
    transport = Str()
    custom_sip_interface = Str()
    custom_sip_headers = Obj()
    ignore_completed_elsewhere = Bool()


class AudioOptions(OpenSchema):
    """Audio codecs."""

    codecs = Arr(Str(enum=AUDIO_CODECS), unique=True)


class DeviceMedia(OpenSchema):
    """Endpoint media parameters."""

    audio = Obj(AudioOptions, load_default=dict)
    video = Obj(Codecs, load_default=lambda: {"codecs": []})
    encryption = Obj(Encryption, load_default=lambda: {"enforce_security": False, "methods": []})
    # Kazoo: a boolean, or the deprecated strings "auto" / "false" / "true" kept as given
    bypass_media = Either(Str(enum=BYPASS_MEDIA), Bool())
    ignore_early_media = Bool()
    progress_timeout = Int()
    fax_option = Bool()


class OutboundFlags(OpenSchema):
    """Static and dynamic outbound flags."""

    static = Arr(Str())
    dynamic = Arr(Str())


class ContactList(OpenSchema):
    """Contact list presence."""

    # `exclude` would shadow Schema.exclude, so the field is declared under another name
    excluded = Bool(data_key="exclude", attribute="exclude")


class CallWaiting(OpenSchema):
    """Call waiting."""

    enabled = Bool()


class Hotdesk(OpenSchema):
    """Users hot-desked onto the device, keyed by user id."""

    users = Obj()


class Provision(OpenSchema):
    """Provisioner settings."""

    id = Str()
    endpoint_brand = Str()
    endpoint_family = Str()
    endpoint_model = Either(Str(), Arr(Str()))
    combo_keys = Obj()
    feature_keys = Obj()


class DeviceSchema(OpenSchema):
    """A device: `name` required; SIP credentials and media settings defaulted."""

    name = Str(required=True, min_length=1, max_length=128)
    device_type = Str()
    owner_id = Str(min_length=32, max_length=32)
    enabled = Bool(load_default=True)
    mac_address = Str()
    presence_id = Str()
    language = Str()
    timezone = Str()
    sip = Obj(
        Sip,
        load_default=lambda: {
            "method": "password",
            "invite_format": "contact",
            "expire_seconds": 300,
        },
    )
    caller_id = Obj(CallerId, load_default=dict)
    caller_id_options = Obj(CallerIdOptions)
    call_forward = Obj(CallForward)
    call_restriction = Obj(load_default=dict)
    call_recording = Obj()
    call_waiting = Obj(CallWaiting)
    contact_list = Obj(ContactList, load_default=dict)
    dial_plan = Obj(load_default=dict)
    do_not_disturb = Obj(DoNotDisturb)
    formatters = Obj()
    hotdesk = Obj(Hotdesk)
    media = Obj(
        DeviceMedia,
        load_default=lambda: {
            "audio": {},
            "video": {"codecs": []},
            "encryption": {"enforce_security": False, "methods": []},
        },
    )
    metaflows = Obj()
    music_on_hold = Obj(MusicOnHold, load_default=dict)
    ringtones = Obj(Ringtones, load_default=dict)
    outbound_flags = Either(Arr(Str()), Obj(OutboundFlags))
    provision = Obj(Provision)
    exclude_from_queues = Bool(load_default=False)
    mwi_unsolicited_updates = Bool(load_default=True)
    register_overwrite_notify = Bool(load_default=False)
    suppress_unregister_notifications = Bool(load_default=False)
    flags = Arr(Str())

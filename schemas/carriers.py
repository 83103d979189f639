"""Resource documents: the carriers (gateways and dial rules) an account routes calls to."""

from __future__ import annotations

from schemas.common import ObjOf
from schemas.fields import Arr, Bool, Int, Obj, OpenSchema, Str

CALLER_ID_TYPES = ("internal", "external", "emergency")
CODECS = (
    "G729",
    "PCMU",
    "PCMA",
    "G722_16",
    "G722_32",
    "CELT_48",
    "CELT_64",
    "Speex",
    "GSM",
    "OPUS",
    "H261",
    "H263",
    "H264",
    "VP8",
)
INVITE_FORMATS = ("route", "username", "e164", "npan", "1npan", "strip_plus")


class InviteParameters(OpenSchema):
    """Parameters added to the request URI."""

    dynamic = Arr()
    static = Arr()


class GatewayMedia(OpenSchema):
    """Media options of one gateway."""

    fax_option = Bool()
    rtcp_mux = Bool()


class Gateway(OpenSchema):
    """One SIP (or other) server of a carrier: `server` required."""

    bypass_media = Bool()
    caller_id_type = Str(enum=CALLER_ID_TYPES)
    channel_selection = Str(enum=("ascending", "descending"), load_default="ascending")
    codecs = Arr(Str(enum=CODECS), unique=True)
    custom_sip_headers = Obj()
    custom_sip_interface = Str()
    enabled = Bool(load_default=True)
    endpoint_type = Str(enum=("sip", "freetdm", "skype", "amqp"), load_default="sip")
    force_port = Bool(load_default=False)
    format_from_uri = Bool()
    from_uri_realm = Str()
    invite_format = Str(enum=INVITE_FORMATS, load_default="route")
    invite_parameters = Obj(InviteParameters)
    media = Obj(GatewayMedia)
    password = Str(max_length=32)
    port = Int(load_default=5060)
    prefix = Str(max_length=64)
    progress_timeout = Int()
    realm = Str(max_length=64)
    route = Str()
    server = Str(required=True, min_length=1, max_length=128)
    skype_interface = Str()
    skype_rr = Bool(load_default=True)
    span = Str()
    suffix = Str(max_length=64)
    username = Str(max_length=32)


class Classifier(OpenSchema):
    """How the carrier serves one number classifier."""

    emergency = Bool(load_default=False)
    enabled = Bool(load_default=True)
    prefix = Str(max_length=64)
    regex = Str()
    suffix = Str(max_length=64)
    weight_cost = Int(minimum=0, maximum=100, load_default=50)


class CallerIdOptions(OpenSchema):
    """Which caller id the carrier is sent."""

    type = Str(enum=CALLER_ID_TYPES)


class ResourceSchema(OpenSchema):
    """A carrier: `name` and `gateways` required."""

    caller_id_options = Obj(CallerIdOptions)
    cid_rules = Arr(Str())
    classifiers = ObjOf(Classifier)
    emergency = Bool(load_default=False)
    enabled = Bool(load_default=True)
    flags = Arr(Str(), load_default=list)
    flat_rate_blacklist = Str()
    flat_rate_whitelist = Str()
    format_from_uri = Bool()
    formatters = Obj()
    from_account_realm = Bool(load_default=False)
    from_uri_realm = Str()
    gateway_strategy = Str(enum=("sequential", "random"))
    gateways = Arr(Obj(Gateway), required=True)
    grace_period = Int(minimum=1, maximum=20, load_default=5)
    ignore_flags = Bool()
    media = Obj()
    name = Str(required=True, min_length=1, max_length=128)
    require_flags = Bool()
    rules = Arr(Str(), load_default=list)
    rules_test = Arr(Str(), load_default=list)
    weight_cost = Int(minimum=0, maximum=100, load_default=50)

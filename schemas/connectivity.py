"""Connectivity (trunkstore) documents."""

from __future__ import annotations

from schemas.common import ObjOf
from schemas.fields import Arr, Bool, Int, Obj, OpenSchema, Str

AUTH_METHODS = ("password", "Password", "IP", "ip")
INBOUND_FORMATS = ("e164", "npan", "1npan", "username", "strip_plus")
MEDIA_HANDLING = ("process", "bypass")


class TrunkCallerId(OpenSchema):
    """A caller id name and number, either may be empty."""

    cid_name = Str(max_length=35)
    cid_number = Str(max_length=35)


class ServerCallerId(OpenSchema):
    """A caller id name and number, neither empty."""

    cid_name = Str(min_length=1, max_length=35)
    cid_number = Str(min_length=1, max_length=35)


class Failover(OpenSchema):
    """Where an inbound call goes if the server fails it."""

    e164 = Str()
    sip = Str()


class TrunkAccount(OpenSchema):
    """Settings for the whole trunkstore account."""

    auth_realm = Str(min_length=1)
    caller_id = Obj(TrunkCallerId)
    emergency_caller_id = Obj(TrunkCallerId)
    trunks = Int(minimum=0)


class DidOptions(OpenSchema):
    """Per-DID routing options."""

    caller_id = Obj(ServerCallerId)
    failover = Obj(Failover)
    force_outbound = Bool(load_default=False)
    options = Arr(Str())


class ServerAuth(OpenSchema):
    """How a server authenticates: password or IP."""

    auth_method = Str(enum=AUTH_METHODS, load_default="password")
    auth_user = Str(min_length=1)
    auth_password = Str(min_length=1)
    ip = Str()
    port = Int()


class ServerOptions(OpenSchema):
    """Routing options for one server."""

    caller_id = Obj(ServerCallerId)
    emergency_caller_id = Obj(TrunkCallerId)
    delay = Int(load_default=0)
    enabled = Bool(load_default=True)
    failover = Obj(Failover)
    flags = Arr(Str())
    dynamic_flags = Arr(Str())
    force_outbound = Bool(load_default=False)
    hunt_account_id = Str()
    hunt_non_reconcilable = Bool(load_default=False)
    ignore_early_media = Bool()
    inbound_format = Str(enum=INBOUND_FORMATS, load_default="npan")
    media_handling = Str(enum=MEDIA_HANDLING, load_default="bypass")
    ip = Str()
    port = Int()
    progress_timeout = Int(minimum=1)
    timeout = Int()
    sip_headers = Arr(Obj())


class Server(OpenSchema):
    """A PBX allowed to make and receive calls; `auth` required."""

    name = Str(min_length=1)
    auth = Obj(ServerAuth, required=True)
    options = Obj(ServerOptions)
    DIDs = ObjOf(DidOptions)


class ConnectivitySchema(OpenSchema):
    """A trunkstore account: its servers and their DIDs."""

    name = Str()
    account = Obj(TrunkAccount)
    servers = Arr(Obj(Server), load_default=list)

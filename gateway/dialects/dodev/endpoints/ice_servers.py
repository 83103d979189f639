"""`/v1/pbx/ice-servers`: the STUN and TURN servers a WebRTC client uses, with TURN credentials
that expire, per the TURN REST API convention (coturn's `use-auth-secret`)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from gateway.crossbar.documents import Doc
from gateway.dialects.dodev.endpoint import Answer, Call, Endpoint
from gateway.dialects.dodev.ids import EXTENSION
from gateway.resources.users import USER_DOCS
from gateway.settings import Settings


def turn_credential(secret: str, username: str) -> str:
    """The password of `username`: base64 of HMAC-SHA1 under the shared secret, which the TURN
    server computes alike from its `static-auth-secret`."""
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def ice_servers(settings: Settings, user: str, now: float) -> Doc:
    """The servers, TURN with a user name `<expiry unix seconds>:<user>` valid for the TTL."""
    servers: list[Doc] = []
    if settings.stun_urls:
        servers.append({"urls": list(settings.stun_urls)})
    if settings.turn_urls and settings.turn_secret:
        username = f"{int(now) + settings.turn_ttl}:{user}"
        servers.append(
            {
                "urls": list(settings.turn_urls),
                "username": username,
                "credential": turn_credential(settings.turn_secret, username),
            }
        )
    return {"iceServers": servers, "ttl": settings.turn_ttl}


async def read_ice_servers(call: Call) -> Answer:
    """GET: credentials for `?extensionId=` (an extension of the account), else for the key."""
    wanted = call.query.get("extensionId")
    if wanted:
        user = EXTENSION.public((await EXTENSION.load(call, USER_DOCS, wanted))["id"])
    else:
        assert call.ctx.identity is not None
        user = str(call.ctx.identity.key_id)
    # Credentials: never kept by a cache on the way.
    headers = {"Cache-Control": "no-store"}
    return Answer(ice_servers(call.ctx.settings, user, time.time()), headers=headers)


ENDPOINTS = (Endpoint("GET", "ice-servers", "pbx:webrtc:read", read_ice_servers),)

"""`/v1/pbx/hold-music`: Kazoo `media` documents flagged `music_on_hold: true`, and signed
upload URLs that take one PUT of their audio without a key.

A hold music id is its media document's id, the one `/v2/accounts/{A}/media/{M}` and the
settings' `holdMusicId` name. `upload-url` creates the media and signs
`<media id>.<expiry>` with a key derived from the gateway's shared secret; the media keeps the
grant privately until the PUT that stores the audio removes it in the same conditional write
(a replace at the revision read), so one PUT succeeds however many instances receive one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from datetime import UTC, datetime

from gateway.auth.identity import Identity
from gateway.auth.tokens import shared_secret
from gateway.auth.tree import resolve_account
from gateway.crossbar.binary import BASE64_TYPES, MULTIPART, read_upload, store_upload, swap_file
from gateway.crossbar.clock import iso_time
from gateway.crossbar.context import Context
from gateway.crossbar.documents import BY_ACCOUNT, Doc, Listing
from gateway.crossbar.errors import DatastoreConflict
from gateway.crossbar.listing import key_range
from gateway.crossbar.pagination import encode_key
from gateway.crossbar.write import save
from gateway.dialects.dodev.body import StrictSchema, kazoo_fields, load_fields
from gateway.dialects.dodev.endpoint import Answer, Call, Endpoint
from gateway.dialects.dodev.endpoints.recordings import origin_of
from gateway.dialects.dodev.errors import PbxError, invalid_field, not_found, unauthorized
from gateway.dialects.dodev.pages import page_request
from gateway.keys import ACCOUNT_CACHE
from gateway.resources.media import ATTACHMENT, MEDIA, MEDIA_DOCS, uploaded
from schemas.fields import Int, Str
from schemas.media import CONTENT_TYPES

FLAG = "music_on_hold"
# The open upload: {expires_at (Unix seconds), key_id (the key that asked for it)}.
GRANT = "pvt_upload_grant"
UPLOAD_SECONDS = 900
AUDIO_TYPES = frozenset(kind for kind in CONTENT_TYPES if kind.startswith("audio/"))
UPLOAD_TYPES = AUDIO_TYPES | BASE64_TYPES | frozenset(MULTIPART)
METHOD = "upload_url"
_TOKEN = re.compile(
    r"(?P<media>[0-9a-f]{32})\.(?P<expires>[0-9]{1,12})\.(?P<sig>[A-Za-z0-9_-]{43})"
)
# The media schema's error paths, named as this dialect names them.
NAMES = {"duration": "durationSeconds", "content_type": "Content-Type"}


class UploadRequest(StrictSchema):
    """What `upload-url` takes."""

    name = Str(required=True, min_length=1, max_length=128)
    duration_seconds = Int(data_key="durationSeconds", minimum=1, maximum=86_400)


def hold_music_of(doc: Doc) -> Doc:
    """A hold music as this dialect shows it (no content type until its audio is stored)."""
    shown = {"id": doc["id"], "name": doc.get("name"), "contentType": doc.get("content_type")}
    if isinstance(doc.get("duration"), int):
        shown["durationSeconds"] = doc["duration"]
    return {**shown, "createdAt": iso_time(doc.get("pvt_created"))}


async def _upload_key(ctx: Context) -> bytes:
    secret = await shared_secret(ctx.store, ctx.settings.secret_key)
    return hashlib.sha256(b"hold_music_uploads:" + secret).digest()


def _signature(key: bytes, media_id: str, expires: int) -> str:
    digest = hmac.new(key, f"{media_id}.{expires}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


async def list_hold_music(call: Call) -> Answer:
    """GET: a page of the account's hold music (one range of its media, by id)."""
    limit, cursor = page_request(call)
    scope = call.account_id
    query = {BY_ACCOUNT.field: key_range(scope, cursor, False), FLAG: True}
    found = await call.ctx.store.find(MEDIA, query, sort=BY_ACCOUNT.field, limit=limit + 1)
    next_cursor = None
    if len(found) > limit:
        next_cursor = encode_key(found[limit][BY_ACCOUNT.field][len(Listing.prefix(scope)) :])
    return Answer(
        {"holdMusic": [hold_music_of(doc) for doc in found[:limit]], "nextCursor": next_cursor}
    )


async def create_upload_url(call: Call) -> Answer:
    """POST upload-url: a new hold music media and the signed URL its audio is PUT to; 201."""
    wanted = load_fields(UploadRequest, call.json_object())
    assert call.ctx.identity is not None
    expires = int(time.time()) + UPLOAD_SECONDS
    data: Doc = {"name": wanted["name"], "media_source": "upload", FLAG: True}
    if "duration_seconds" in wanted:
        data["duration"] = wanted["duration_seconds"]
    # The grant is private: no read shows it.
    data[GRANT] = {"expires_at": expires, "key_id": call.ctx.identity.key_id}
    with kazoo_fields(NAMES):
        media = await save(call.ctx, MEDIA_DOCS, data, None)
    token = (
        f"{media['id']}.{expires}.{_signature(await _upload_key(call.ctx), media['id'], expires)}"
    )
    body = {
        "uploadUrl": f"{origin_of(call)}/v1/pbx/hold-music/uploads/{token}",
        "expiresAt": datetime.fromtimestamp(expires, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "mediaId": media["id"],
    }
    return Answer(body, status=201)


def _gone(media_id: str) -> PbxError:
    return not_found("HOLD_MUSIC_NOT_FOUND", f"Hold music with ID {media_id} not found")


def _used() -> PbxError:
    return PbxError(403, "UPLOAD_URL_USED", "This upload URL was used already")


async def _granted(ctx: Context, token: str) -> Doc:
    """The media a token grants an upload to; 401 when forged, 403 when expired or used."""
    parts = _TOKEN.fullmatch(token)
    if parts is None:
        raise unauthorized("This upload URL is not one this gateway signed")
    media_id, expires = parts["media"], int(parts["expires"])
    wanted = _signature(await _upload_key(ctx), media_id, expires)
    if not hmac.compare_digest(wanted, parts["sig"]):
        raise unauthorized("This upload URL is not one this gateway signed")
    if expires < time.time():
        raise PbxError(403, "UPLOAD_URL_EXPIRED", "This upload URL has expired")
    media = await ctx.store.get(MEDIA, media_id)
    if media is None:
        raise _gone(media_id)
    if (media.get(GRANT) or {}).get("expires_at") != expires:
        raise _used()
    return media


async def upload_audio(call: Call) -> Answer:
    """PUT uploads/{token}: the audio streamed into the media's attachment (at most
    GATEWAY_MAX_UPLOAD_SIZE), as a /v2 `media/{M}/raw` upload stores it; once."""
    ctx = call.ctx
    media = await _granted(ctx, call.params["token"])
    ctx.content_type = (ctx.header("Content-Type") or "").split(";", 1)[0].strip().lower()
    if ctx.content_type not in UPLOAD_TYPES:
        raise PbxError(
            415, "UNSUPPORTED_MEDIA_TYPE", "Send the audio as audio/mpeg, audio/wav, ..."
        )
    account = await resolve_account(ctx.app[ACCOUNT_CACHE], str(media["pvt_account_id"]))
    if account.get("pvt_enabled") is False:
        raise unauthorized("The account of this upload URL is disabled")
    ctx.account, ctx.account_id = account, account["id"]
    key_id = media[GRANT].get("key_id")
    ctx.identity = Identity(account["id"], None, METHOD, "admin", False, key_id=key_id)
    stored = await store_upload(ctx, await read_upload(ctx, ctx.content_type, media["name"]))
    if stored.length == 0:
        await ctx.store.files.delete(stored.file_id)
        raise invalid_field("body", "required", "Send the audio as the body")
    data, attachment = uploaded(media, stored)
    # The grant goes in the write that stores the audio: a replace at the revision read.
    old = {**media, ATTACHMENT: attachment, GRANT: None}
    old_file = (media.get(ATTACHMENT) or {}).get("file_id")
    try:
        with kazoo_fields(NAMES):
            saved = await swap_file(
                ctx, stored, old_file, save(ctx, MEDIA_DOCS, data, old, before=media)
            )
    except DatastoreConflict:
        # Another PUT took the grant first, or the media changed or went meanwhile.
        again = await ctx.store.get(MEDIA, media["id"])
        if again is None:
            raise _gone(media["id"]) from None
        if not again.get(GRANT):
            raise _used() from None
        raise
    return Answer(hold_music_of(saved))


ENDPOINTS = (
    Endpoint("GET", "hold-music", "pbx:settings:read", list_hold_music),
    Endpoint("POST", "hold-music/upload-url", "pbx:settings:write", create_upload_url),
    # No key: the signed URL is the credential (minted under pbx:settings:write).
    Endpoint("PUT", "hold-music/uploads/{token}", "pbx:settings:write", upload_audio, public=True),
)

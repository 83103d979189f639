"""recordings: call recordings the switch reported, as Kazoo's cb_recordings serves them.

`recordings` lists them newest first; `recordings/{R}` reads one as JSON or, asked for audio
(`?accept=audio/mpeg`, or an Accept header preferring an audio type), its audio; DELETE removes
the document and its audio. `recordings/{R}/download` serves the audio without a login to a
link signed by the gateway (the /v1/pbx `downloadUrl`), until the link expires.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from collections.abc import Callable

from gateway.auth.tokens import shared_secret
from gateway.crossbar.binary import download
from gateway.crossbar.context import Context, Reply
from gateway.crossbar.documents import BY_ACCOUNT, Doc, Documents
from gateway.crossbar.errors import NotFound, Unauthorized
from gateway.crossbar.listing import list_page
from gateway.crossbar.resource import ID, JSON_TYPES, Resource, Route
from gateway.crossbar.write import check_if_match, load_scoped, remove
from gateway.resources.cdrs import time_window
from schemas.recordings import RECORDING_TYPES, RecordingSchema

RECORDINGS = "recordings"
# The stored audio: {file_id, name, content_type, length}.
ATTACHMENT = "pvt_attachment"
# What `?accept=` or Accept may name to get the audio rather than JSON (Kazoo's media types).
AUDIO_PROVIDERS = frozenset(
    {
        "audio/mpeg",
        "audio/mp3",
        "audio/wav",
        "audio/x-wav",
        "audio/ogg",
        "audio/*",
        "application/octet-stream",
    }
)
_JSON_PROVIDERS = frozenset({"application/json", "application/x-json", "*/*", "application/*"})
# How long a signed download link works.
LINK_SECONDS = 3600
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_ROW_KEYS = (
    "call_id",
    "owner_id",
    "name",
    "media_source",
    "content_type",
    "caller_id_number",
    "caller_id_name",
    "callee_id_number",
    "callee_id_name",
    "direction",
    "start",
    "duration_ms",
)


def recording_row(doc: Doc) -> Doc:
    """A row of the listing: the id and what says which call it was."""
    return {"id": doc["id"], **{key: doc[key] for key in _ROW_KEYS if key in doc}}


def start_of(doc: Doc) -> int:
    """When the recording started (Gregorian seconds)."""
    return int(doc.get("start") or doc.get("pvt_created") or 0)


async def drop_audio(ctx: Context, doc: Doc) -> None:
    """A deleted recording takes its audio with it."""
    if doc.get(ATTACHMENT):
        await ctx.store.files.delete(doc[ATTACHMENT]["file_id"])


RECORDING_DOCS = Documents(
    kind=RECORDINGS,
    schema=RecordingSchema,
    row=recording_row,
    # Listed by start time: newest first is Kazoo's default (descending) order.
    sort_value=lambda doc: f"{start_of(doc):013d}",
    after_delete=(drop_audio,),
)


def _prefers_audio(ctx: Context) -> bool:
    """True when `?accept=` names an audio type, or Accept ranks one above JSON."""
    override = ctx.param("accept")
    if isinstance(override, str) and override:
        return override.strip().lower() in AUDIO_PROVIDERS
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((ctx.header("Accept") or "").split(",")):
        media, *options = (piece.strip().lower() for piece in part.split(";"))
        quality = next((_quality(o[2:]) for o in options if o.startswith("q=")), 1.0)
        if media and quality > 0:
            ranked.append((-quality, position, media))
    for _, _, media in sorted(ranked):
        if media in AUDIO_PROVIDERS:
            return True
        if media in _JSON_PROVIDERS:
            return False
    return False


def _quality(raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        return 0.0


def file_name(doc: Doc) -> str:
    """The download's name: the recording's name, made safe for a header."""
    return _UNSAFE.sub("_", str(doc.get("name") or f"{doc['id']}.mp3"))[:128]


async def _audio(ctx: Context, doc: Doc) -> Reply:
    attachment = doc.get(ATTACHMENT)
    if not attachment:
        raise NotFound(doc["id"])
    return await download(ctx, attachment["file_id"], file_name(doc), attachment["content_type"])


async def list_recordings(ctx: Context) -> Reply:
    """The account's recordings, newest first; created_from/created_to bound their start."""
    window = None
    if "created_from" in ctx.query or "created_to" in ctx.query:
        low, high = time_window(ctx.query)
        window = (f"{low:013d}", f"{high:013d}\x20")
    return await list_page(
        ctx, RECORDINGS, BY_ACCOUNT, ctx.path_account_id, recording_row, window=window
    )


async def read_recording(ctx: Context) -> Reply:
    """One recording as JSON, or its audio (ranged) when audio is asked for."""
    doc = await load_scoped(ctx, RECORDING_DOCS, ctx.args[0])
    if _prefers_audio(ctx):
        return await _audio(ctx, doc)
    return Reply(RECORDING_DOCS.show(ctx, doc), revision=doc["_rev"])


async def delete_recording(ctx: Context) -> Reply:
    """Delete the recording and its audio."""
    doc = await load_scoped(ctx, RECORDING_DOCS, ctx.args[0])
    check_if_match(ctx, doc)
    await remove(ctx, RECORDING_DOCS, doc)
    return Reply({**RECORDING_DOCS.show(ctx, doc), "_read_only": {"deleted": True}})


async def _link_key(ctx: Context) -> bytes:
    secret = await shared_secret(ctx.store, ctx.settings.secret_key)
    return hashlib.sha256(b"recording_links:" + secret).digest()


def _signature(key: bytes, account_id: str, recording_id: str, expires: int) -> str:
    signed = f"{account_id}/{recording_id}/{expires}".encode()
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


async def download_paths(ctx: Context) -> Callable[[Doc], str]:
    """What signs each recording's download path (with its query), valid for LINK_SECONDS."""
    key = await _link_key(ctx)
    expires = int(time.time()) + LINK_SECONDS

    def path_of(doc: Doc) -> str:
        account_id, recording_id = str(doc["pvt_account_id"]), str(doc["id"])
        signature = _signature(key, account_id, recording_id, expires)
        return (
            f"/v2/accounts/{account_id}/{RECORDINGS}/{recording_id}/download"
            f"?expires={expires}&signature={signature}"
        )

    return path_of


async def signed_download(ctx: Context) -> Reply:
    """The audio for a link this gateway signed and that has not expired (no login)."""
    recording_id = ctx.args[0]
    raw_expires, given = ctx.query.get("expires", ""), ctx.query.get("signature", "")
    if not raw_expires.isdigit() or len(raw_expires) > 12 or not given:
        raise Unauthorized()
    expires = int(raw_expires)
    wanted = _signature(await _link_key(ctx), ctx.path_account_id, recording_id, expires)
    if not hmac.compare_digest(wanted.encode(), given.encode()) or expires < time.time():
        raise Unauthorized()
    return await _audio(ctx, await load_scoped(ctx, RECORDING_DOCS, recording_id))


RECORDINGS_RESOURCE = Resource(
    name=RECORDINGS,
    routes=(
        Route((), {"GET": list_recordings}),
        Route((ID,), {"GET": read_recording, "DELETE": delete_recording}),
        Route((ID, "download"), {"GET": signed_download}, public=frozenset({"GET"})),
    ),
    # Nothing is uploaded here: the types document what the downloads answer.
    content_types=JSON_TYPES | frozenset(RECORDING_TYPES),
    indexes=RECORDING_DOCS.indexes(),
    schema=RecordingSchema,
    documents=RECORDING_DOCS,
)

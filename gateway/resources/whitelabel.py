"""whitelabel: one branding per account, its logo, icon and welcome page, and the by-domain
lookups the login page makes before anyone has logged in."""

from __future__ import annotations

from gateway.crossbar.binary import UPLOAD_TYPES, download, read_upload, store_upload, swap_file
from gateway.crossbar.context import Context, Reply
from gateway.crossbar.documents import Doc, Documents, UniqueRule
from gateway.crossbar.errors import NotFound, invalid
from gateway.crossbar.merge import public
from gateway.crossbar.resource import ID, JSON_TYPES, Resource, Route
from gateway.crossbar.write import check_if_match, remove, request_data, save
from gateway.keys import ACCOUNT_CACHE
from schemas.whitelabel import WhitelabelSchema

WHITELABEL = "whitelabel"
BINARIES = ("logo", "icon", "welcome")
# The stored files: {logo|icon|welcome: {file_id, name, content_type, length}}.
FILES = "pvt_files"
BINARY_TYPES = frozenset(
    {"image/x-icon", "image/vnd.microsoft.icon", "image/svg+xml", "text/html"}
)


async def normalise(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """Domains compare case-insensitively (None removes the key when the domain goes)."""
    doc["pvt_domain"] = doc["domain"].lower() if "domain" in doc else None
    return doc


async def drop_files(ctx: Context, doc: Doc) -> None:
    """A deleted branding takes its logo, icon and welcome page with it."""
    for stored in (doc.get(FILES) or {}).values():
        await ctx.store.files.delete(stored["file_id"])


WHITELABEL_DOCS = Documents(
    kind=WHITELABEL,
    schema=WhitelabelSchema,
    row=lambda doc: {"id": doc["id"]},
    unique=(
        UniqueRule(
            "whitelabel_domain",
            "domain",
            "Domain already in use",
            ("pvt_domain",),
            scope=(),
            cause=lambda doc: doc.get("domain"),
        ),
    ),
    before_save=(normalise,),
    after_delete=(drop_files,),
)


async def _current(ctx: Context) -> Doc | None:
    return await ctx.store.get(WHITELABEL, ctx.path_account_id)


async def _by_domain(ctx: Context, domain: str) -> Doc:
    """The branding of an enabled account serving `domain`, else 404 with the domain."""
    doc = await ctx.store.find_one(WHITELABEL, {"pvt_domain": domain.lower()})
    account = await ctx.app[ACCOUNT_CACHE].get(doc["id"]) if doc else None
    if doc is None or account is None or account.get("pvt_enabled") is False:
        raise NotFound(domain)
    return doc


def _shown(ctx: Context, doc: Doc) -> Reply:
    shown = WHITELABEL_DOCS.show(ctx, doc)
    shown.pop("id", None)
    return Reply(shown, revision=doc["_rev"], headers={"ETag": f'"{doc["_rev"]}"'})


async def read_whitelabel(ctx: Context) -> Reply:
    """The branding, or 404 when none is set."""
    doc = await _current(ctx)
    if doc is None:
        raise NotFound(WHITELABEL)
    return _shown(ctx, doc)


async def create_whitelabel(ctx: Context) -> Reply:
    """Set the branding (once; POST changes it)."""
    if await _current(ctx) is not None:
        raise invalid("whitelabel", "unique", "Whitelabel already set; use POST to change it")
    saved = await save(ctx, WHITELABEL_DOCS, request_data(ctx), None, create_id=ctx.account_id)
    reply = _shown(ctx, saved)
    reply.status = 201
    return reply


async def replace_whitelabel(ctx: Context) -> Reply:
    """Replace the branding."""
    old = await _current(ctx)
    if old is None:
        raise NotFound(WHITELABEL)
    check_if_match(ctx, old)
    return _shown(ctx, await save(ctx, WHITELABEL_DOCS, request_data(ctx), old))


async def delete_whitelabel(ctx: Context) -> Reply:
    """Remove the branding."""
    old = await _current(ctx)
    if old is None:
        raise NotFound(WHITELABEL)
    await remove(ctx, WHITELABEL_DOCS, old)
    return Reply({**_shown(ctx, old).data, "_read_only": {"deleted": True}})


async def _send(ctx: Context, doc: Doc, which: str) -> Reply:
    stored = (doc.get(FILES) or {}).get(which)
    if stored is None:
        raise NotFound(which)
    return await download(ctx, stored["file_id"], stored["name"], stored["content_type"])


async def read_binary(ctx: Context) -> Reply:
    """GET whitelabel/{logo|icon|welcome} of the account."""
    doc = await _current(ctx)
    if doc is None:
        raise NotFound(WHITELABEL)
    return await _send(ctx, doc, ctx.args[0])


async def upload_binary(ctx: Context) -> Reply:
    """POST whitelabel/{logo|icon|welcome}: store the file, then point the branding at it."""
    which = ctx.args[0]
    doc = await _current(ctx)
    if doc is None:
        raise NotFound(WHITELABEL)
    upload = await read_upload(ctx, ctx.content_type, which)
    stored = await store_upload(ctx, upload)
    entry = {
        "file_id": stored.file_id,
        "name": stored.filename,
        "content_type": stored.content_type,
        "length": stored.length,
    }
    old_file = (doc.get(FILES) or {}).get(which, {}).get("file_id")
    files = {**(doc.get(FILES) or {}), which: entry}
    write = save(ctx, WHITELABEL_DOCS, public(doc), {**doc, FILES: files}, before=doc)
    return _shown(ctx, await swap_file(ctx, stored, old_file, write))


async def read_by_domain(ctx: Context) -> Reply:
    """GET /v2/whitelabel/{domain}: the branding the login page of that domain shows."""
    return _shown(ctx, await _by_domain(ctx, ctx.args[0]))


async def read_binary_by_domain(ctx: Context) -> Reply:
    """GET /v2/whitelabel/{domain}/{logo|icon|welcome}."""
    return await _send(ctx, await _by_domain(ctx, ctx.args[0]), ctx.args[1])


WHITELABEL_RESOURCE = Resource(
    name=WHITELABEL,
    routes=(
        Route(
            (),
            {
                "GET": read_whitelabel,
                "PUT": create_whitelabel,
                "POST": replace_whitelabel,
                "DELETE": delete_whitelabel,
            },
        ),
        *(Route((which,), {"GET": read_binary, "POST": upload_binary}) for which in BINARIES),
    ),
    unscoped=(
        Route((ID,), {"GET": read_by_domain}),
        *(Route((ID, which), {"GET": read_binary_by_domain}) for which in BINARIES),
    ),
    content_types=JSON_TYPES | UPLOAD_TYPES | BINARY_TYPES,
    indexes=WHITELABEL_DOCS.indexes(),
    schema=WhitelabelSchema,
    documents=WHITELABEL_DOCS,
)

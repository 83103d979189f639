"""apps_store (the apps an account may use) and whitelabel (one branding per account)."""

from __future__ import annotations

from gateway.crossbar.context import Context, Reply
from gateway.crossbar.documents import Doc, Documents, UniqueRule
from gateway.crossbar.errors import NotFound, invalid
from gateway.crossbar.resource import ID, Resource, Route
from gateway.crossbar.write import check_if_match, remove, request_data, save
from schemas.whitelabel import WhitelabelSchema

WHITELABEL = "whitelabel"


async def list_apps(ctx: Context) -> Reply:
    """No apps are published yet: an empty store, as Kazoo answers with none installed."""
    return Reply([])


async def read_app(ctx: Context) -> Reply:
    """Any app id is unknown until apps are published."""
    raise NotFound(ctx.args[0])


APPS_STORE = Resource(
    name="apps_store",
    routes=(Route((), {"GET": list_apps}), Route((ID,), {"GET": read_app})),
)


async def normalise(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """Domains compare case-insensitively (None removes the key when the domain goes)."""
    doc["pvt_domain"] = doc["domain"].lower() if "domain" in doc else None
    return doc


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
)


async def _current(ctx: Context) -> Doc | None:
    return await ctx.store.get(WHITELABEL, ctx.path_account_id)


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
    ),
    indexes=WHITELABEL_DOCS.indexes(),
    schema=WhitelabelSchema,
    documents=WHITELABEL_DOCS,
)

"""apps_store: the catalog apps an account may use, installs, icons and screenshots."""

from __future__ import annotations

import asyncio

from gateway.crossbar.binary import download
from gateway.crossbar.context import Context, Reply
from gateway.crossbar.documents import Doc, Documents
from gateway.crossbar.errors import BadRequest, Forbidden, NotFound
from gateway.crossbar.merge import public
from gateway.crossbar.resource import ID, Resource, Route
from gateway.crossbar.validation import load
from gateway.crossbar.write import request_data, save
from gateway.resources.app_rules import Viewer, allowed_apps, blacklist_of, store_row
from schemas.apps import AppSchema, AppsStoreSchema, BlacklistRequestSchema, InstalledAppSchema

APPS = "apps"
APPS_STORE = "apps_store"
# The stored images of an app: {file name: {file_id, content_type, length, sha256}}.
IMAGES = "pvt_images"

APP_DOCS = Documents(kind=APPS, schema=AppSchema, row=lambda doc: {"id": doc["id"]})
APPS_STORE_DOCS = Documents(
    kind=APPS_STORE, schema=AppsStoreSchema, row=lambda doc: {"id": doc["id"]}, listings=()
)


async def catalog(ctx: Context) -> list[Doc]:
    """Every registered app, by name (a handful of documents: read whole)."""
    apps = await ctx.store.find(APPS, {})
    return sorted(apps, key=lambda app: str(app.get("name")))


async def _stores(ctx: Context, account: Doc) -> tuple[Doc | None, list[Doc | None]]:
    """The account's app store document and its ancestors'."""
    ids = [account["id"], *account.get("pvt_tree", [])]
    found = await asyncio.gather(*(ctx.store.get(APPS_STORE, doc_id) for doc_id in ids))
    return found[0], list(found)


async def _views(
    ctx: Context, account: Doc, viewer: Viewer | None = None
) -> tuple[list[Doc], Doc | None]:
    """Every catalog app as `account` (and `viewer`) sees it, and the account's own app store
    document they were decided with."""
    apps = await catalog(ctx)
    if not apps:
        return [], None
    own, stores = await _stores(ctx, account)
    installed = (own or {}).get("apps") or {}
    is_master = bool(account.get("pvt_superduper_admin"))
    views = allowed_apps(apps, installed, blacklist_of(stores), is_master, viewer)
    for view in views:
        view["account_id"] = view.get("pvt_account_id")
    return views, own


async def account_apps(ctx: Context, account: Doc, viewer: Viewer | None = None) -> list[Doc]:
    """Every catalog app as `account` (and `viewer`) sees it, Kazoo's rules applied."""
    return (await _views(ctx, account, viewer))[0]


def _account(ctx: Context) -> Doc:
    assert ctx.account is not None
    return ctx.account


def _published(views: list[Doc], app_id: str) -> Doc | None:
    return next((v for v in views if v["id"] == app_id and v["published"]), None)


async def list_apps(ctx: Context) -> Reply:
    """GET apps_store: the apps the account may use."""
    views = await account_apps(ctx, _account(ctx))
    return Reply([store_row(view) for view in views if view["published"]])


async def read_app(ctx: Context) -> Reply:
    """GET apps_store/{app}: one app the account may use."""
    view = _published(await account_apps(ctx, _account(ctx)), ctx.args[0])
    if view is None:
        raise NotFound(ctx.args[0])
    return Reply({**public(view), "account_id": view.get("account_id")})


async def _store_doc(ctx: Context) -> Doc | None:
    return await ctx.store.get(APPS_STORE, ctx.path_account_id)


async def _save_store(ctx: Context, old: Doc | None, **changes: object) -> Doc:
    """Store the account's app store document with `changes` over what it held."""
    data = {**public(old or {}), **changes}
    data.pop("id", None)
    return await save(ctx, APPS_STORE_DOCS, data, old, create_id=ctx.path_account_id)


async def _install(ctx: Context, installed: bool) -> tuple[Doc, Doc | None, Doc]:
    """The app (403 unless the account may use it), the app store document and its installs;
    400 in Kazoo's words unless the app's install state is `installed`."""
    views, own = await _views(ctx, _account(ctx))
    app = _published(views, ctx.args[0])
    if app is None:
        raise Forbidden(ctx.args[0])
    apps = dict((own or {}).get("apps") or {})
    if (app["id"] in apps) != installed:
        wording = "Application is not installed" if installed else "Application already installed"
        raise BadRequest({}, message=wording)
    return app, own, apps


def _entry(ctx: Context, app: Doc) -> Doc:
    return {**load(InstalledAppSchema, request_data(ctx)), "name": app.get("name")}


async def install_app(ctx: Context) -> Reply:
    """PUT apps_store/{app}: install the app for the account."""
    app, old, apps = await _install(ctx, installed=False)
    saved = await _save_store(ctx, old, apps={**apps, app["id"]: _entry(ctx, app)})
    return Reply(saved["apps"][app["id"]], status=201)


async def update_app(ctx: Context) -> Reply:
    """POST apps_store/{app}: change who may use an installed app."""
    app, old, apps = await _install(ctx, installed=True)
    saved = await _save_store(ctx, old, apps={**apps, app["id"]: _entry(ctx, app)})
    return Reply(saved["apps"][app["id"]])


async def uninstall_app(ctx: Context) -> Reply:
    """DELETE apps_store/{app}: remove the app from the account."""
    app, old, apps = await _install(ctx, installed=True)
    del apps[app["id"]]
    await _save_store(ctx, old, apps=apps)
    return Reply({})


def _refuse_unless_ancestor(ctx: Context) -> None:
    """Kazoo: only an account above this one keeps apps from it."""
    assert ctx.identity is not None
    if not ctx.identity.is_above(_account(ctx)):
        raise Forbidden()


async def read_blacklist(ctx: Context) -> Reply:
    """GET apps_store/blacklist."""
    _refuse_unless_ancestor(ctx)
    return Reply({"blacklist": ((await _store_doc(ctx)) or {}).get("blacklist") or []})


async def set_blacklist(ctx: Context) -> Reply:
    """POST apps_store/blacklist: the apps the account (and its subtree) may not use."""
    _refuse_unless_ancestor(ctx)
    wanted = load(BlacklistRequestSchema, request_data(ctx))["blacklist"]
    saved = await _save_store(ctx, await _store_doc(ctx), blacklist=list(dict.fromkeys(wanted)))
    return Reply({"blacklist": saved["blacklist"]})


async def _image(ctx: Context, app: Doc | None, name: object) -> Reply:
    stored = (app or {}).get(IMAGES, {}).get(name) if isinstance(name, str) else None
    if stored is None:
        raise NotFound(ctx.args[0])
    return await download(ctx, stored["file_id"], str(name), stored["content_type"])


async def read_icon(ctx: Context) -> Reply:
    """GET apps_store/{app}/icon (no login, as in Kazoo)."""
    app = await ctx.store.get(APPS, ctx.args[0])
    return await _image(ctx, app, (app or {}).get("icon"))


async def read_screenshot(ctx: Context) -> Reply:
    """GET apps_store/{app}/screenshot/{n}: the n-th screenshot, counted from 0."""
    app = await ctx.store.get(APPS, ctx.args[0])
    shots = (app or {}).get("screenshots") or []
    number = ctx.args[2]
    if not number.isdigit() or int(number) >= len(shots):
        raise NotFound(number)
    return await _image(ctx, app, shots[int(number)])


APPS_STORE_RESOURCE = Resource(
    name=APPS_STORE,
    routes=(
        Route((), {"GET": list_apps}),
        Route(
            (ID,),
            {"GET": read_app, "PUT": install_app, "POST": update_app, "DELETE": uninstall_app},
        ),
        Route(("blacklist",), {"GET": read_blacklist, "POST": set_blacklist}),
        Route((ID, "icon"), {"GET": read_icon}, public=frozenset({"GET"})),
        Route((ID, "screenshot", ID), {"GET": read_screenshot}, public=frozenset({"GET"})),
    ),
    indexes=APPS_STORE_DOCS.indexes() + APP_DOCS.indexes(),
    schema=InstalledAppSchema,
    documents=APPS_STORE_DOCS,
    sub_documents=(APP_DOCS,),
)

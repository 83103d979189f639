"""Registering Monster apps from a folder in the master account's catalog (Kazoo's init_apps)."""

from __future__ import annotations

import hashlib
import json
import logging
import mimetypes
from pathlib import Path

from aiohttp import web

from gateway.auth.tree import ACCOUNTS
from gateway.crossbar.binary import one_chunk
from gateway.crossbar.context import Context
from gateway.crossbar.documents import Doc, Listing
from gateway.crossbar.errors import ApiError
from gateway.crossbar.merge import public
from gateway.crossbar.validation import load
from gateway.crossbar.write import save
from gateway.keys import SETTINGS, STORE
from gateway.provision import SYSTEM
from gateway.resources.accounts import BY_PARENT
from gateway.resources.apps_store import APP_DOCS, APPS, APPS_STORE, APPS_STORE_DOCS, IMAGES
from schemas.apps import AppSchema

log = logging.getLogger(__name__)
# Kazoo keeps these out of a registered app: the source is where the UI loads it from.
DROPPED = ("id", "_id", "_rev", "source_url", "pvt_type")


class CatalogError(Exception):
    """A folder that cannot be registered, with the reason."""


def app_folders(directory: Path) -> list[Path]:
    """The sub-folders holding `metadata/app.json`, in name order."""
    if not directory.is_dir():
        raise CatalogError(f"{directory} is not a folder")
    return sorted(p for p in directory.iterdir() if (p / "metadata" / "app.json").is_file())


def _metadata(folder: Path, api_url: str | None) -> Doc:
    try:
        data = json.loads((folder / "metadata" / "app.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise CatalogError(f"{folder.name}: unreadable app.json ({err})") from None
    if not isinstance(data, dict):
        raise CatalogError(f"{folder.name}: app.json is not an object")
    data = {k: v for k, v in data.items() if k not in DROPPED and not k.startswith("pvt_")}
    data.pop("api_url", None)
    if api_url:
        data["api_url"] = api_url
    return data


async def _images(ctx: Context, folder: Path, meta: Doc, old: Doc | None) -> tuple[Doc, list[str]]:
    """The icon and screenshots as stored files: unchanged ones kept, new ones written."""
    wanted = [("icon", meta.get("icon"))] + [
        ("screenshots", s) for s in meta.get("screenshots") or []
    ]
    kept = dict((old or {}).get(IMAGES) or {})
    images: Doc = {}
    for place, name in wanted:
        if not isinstance(name, str) or "/" in name or name.startswith("."):
            continue
        path = folder / "metadata" / place / name
        if not path.is_file():
            log.warning("app %s: %s/%s is missing", folder.name, place, name)
            continue
        content = path.read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        if kept.get(name, {}).get("sha256") == digest:
            images[name] = kept.pop(name)
            continue
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        limit = ctx.settings.max_upload_size
        stored = await ctx.store.files.save(one_chunk(content), content_type, name, limit)
        images[name] = {
            "file_id": stored.file_id,
            "content_type": content_type,
            "length": stored.length,
            "sha256": digest,
        }
    return images, [entry["file_id"] for entry in kept.values()]


def _unchanged(old: Doc, meta: Doc, images: Doc) -> bool:
    """True when registering again would store what is stored (each start re-registers)."""
    try:
        wanted = load(AppSchema, meta)
    except ApiError:
        return False
    kept = {k: v for k, v in public(old).items() if k != "id"}
    return kept == wanted and old.get(IMAGES) == images


async def register_app(
    app: web.Application, master_id: str, folder: Path, api_url: str | None
) -> Doc:
    """Add or refresh one app (matched by name) through the write path."""
    meta = _metadata(folder, api_url)
    ctx = Context(app=app, request_id="system", verb="PUT", identity=SYSTEM, data=meta)
    ctx.account_id = master_id
    old = await app[STORE].find_one(APPS, {"name": meta.get("name")})
    images, stale = await _images(ctx, folder, meta, old)
    if old is not None and not stale and _unchanged(old, meta, images):
        return old
    try:
        saved = await save(ctx, APP_DOCS, {**meta, IMAGES: images}, old)
    except ApiError as err:
        for entry in images.values():
            if entry not in ((old or {}).get(IMAGES) or {}).values():
                await app[STORE].files.delete(entry["file_id"])
        raise CatalogError(f"{folder.name}: {json.dumps(err.data)}") from None
    for file_id in stale:
        await app[STORE].files.delete(file_id)
    return saved


async def master_id(app: web.Application) -> str | None:
    """The master account's id (the first root of the tree), when there is one."""
    roots = await app[STORE].find(
        ACCOUNTS, {BY_PARENT.field: Listing.bounds("")}, sort=BY_PARENT.field, limit=1
    )
    return str(roots[0]["id"]) if roots else None


async def init_apps(
    app: web.Application, directory: Path, api_url: str | None = None
) -> list[Doc]:
    """Register every app of `directory`; an app that fails is logged and skipped."""
    master = await master_id(app)
    if master is None:
        raise CatalogError("no master account yet: create one first")
    return await _register_all(app, master, directory, api_url)


async def _register_all(
    app: web.Application, master: str, directory: Path, api_url: str | None
) -> list[Doc]:
    registered = []
    for folder in app_folders(directory):
        try:
            registered.append(await register_app(app, master, folder, api_url))
        except CatalogError as err:
            log.error("app not registered: %s", err)
    return registered


async def init_configured_apps(app: web.Application) -> list[Doc]:
    """On start: register GATEWAY_APPS_DIR's apps once a master account exists."""
    settings = app[SETTINGS]
    master = await master_id(app) if settings.apps_dir else None
    if not settings.apps_dir or master is None:
        return []
    found = await _register_all(app, master, Path(settings.apps_dir), settings.apps_api_url)
    log.info("registered %d apps from %s", len(found), settings.apps_dir)
    return found


async def install_fixture_apps(app: web.Application, directory: Path) -> None:
    """Install catalog apps for the demo accounts (`apps_store.json`: apps by name), once."""
    path = directory / "apps_store.json"
    if not path.exists():
        return
    by_name = {doc.get("name"): doc["id"] for doc in await app[STORE].find(APPS, {})}
    for entry in json.loads(path.read_text()):
        account_id = entry["account_id"]
        if await app[STORE].get(APPS_STORE, account_id) is not None:
            continue
        apps = {
            by_name[name]: {"name": name, "users": [], **settings}
            for name, settings in entry["apps"].items()
            if name in by_name
        }
        ctx = Context(app=app, request_id="system", verb="PUT", identity=SYSTEM, data={})
        ctx.account_id = account_id
        await save(ctx, APPS_STORE_DOCS, {"apps": apps}, None, create_id=account_id)

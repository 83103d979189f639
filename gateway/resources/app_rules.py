"""Which apps an account (and one of its users) may use: Kazoo's app store rules (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

Doc = dict[str, Any]
ROW_FIELDS = (
    "id",
    "name",
    "i18n",
    "tags",
    "api_url",
    "source_url",
    "account_id",
    "users",
    "allowed_users",
    "masqueradable",
    "phase",
    "extends",
)


@dataclass(frozen=True)
class Viewer:
    """The user apps are decided for."""

    user_id: str
    is_admin: bool


def is_authorized(entry: Doc, viewer: Viewer | None) -> bool:
    """May `viewer` open an app installed as `entry` (no viewer: the account as a whole)."""
    if viewer is None:
        return True
    allowed = entry.get("allowed_users", "specific")
    if allowed == "all":
        return True
    if allowed == "admins":
        return viewer.is_admin
    if allowed == "specific":
        return viewer.user_id in {user.get("id") for user in entry.get("users") or []}
    return False


def blacklist_of(stores: Iterable[Doc | None]) -> set[str]:
    """The apps kept from an account: its own blacklist and every ancestor's."""
    return {app_id for store in stores if store for app_id in store.get("blacklist") or []}


def allowed_apps(
    catalog: Iterable[Doc],
    installed: Doc,
    blacklist: set[str],
    is_master: bool,
    viewer: Viewer | None = None,
) -> list[Doc]:
    """Every catalog app as the account sees it, `published` saying whether it may use it.

    In Kazoo's order: the catalog's own `published` (default true), then the blacklist, then
    the install's permissions (merged into the app), then the master account sees everything.
    """
    views = []
    for app in catalog:
        view = {**app, "published": app.get("published", True)}
        entry = installed.get(app["id"])
        if app["id"] in blacklist:
            view["published"] = False
        elif entry is not None:
            view = {**view, **entry, "published": view["published"]}
            if not is_authorized(entry, viewer):
                view["published"] = False
        if is_master:
            view["published"] = True
        views.append(view)
    return views


def store_row(view: Doc) -> Doc:
    """An app as `GET apps_store` lists it."""
    return {key: view[key] for key in ROW_FIELDS if view.get(key) is not None}


def label(view: Doc, language: str) -> str | None:
    """The app's label in `language`, else in en-US (languages compare case-insensitively)."""
    texts = {code.lower(): text for code, text in (view.get("i18n") or {}).items()}
    for code in (language.lower(), "en-us"):
        found = (texts.get(code) or {}).get("label")
        if found:
            return str(found)
    return None


def login_app(view: Doc, language: str) -> Doc:
    """An app as a login reply lists it (Kazoo leaves out what is not set)."""
    shown = {
        "id": view["id"],
        "name": view.get("name"),
        "api_url": view.get("api_url"),
        "source_url": view.get("source_url"),
        "label": label(view, language),
    }
    return {key: value for key, value in shown.items() if value is not None}

"""Kazoo's app store rules, as pure functions."""

from __future__ import annotations

from gateway.resources.app_rules import Viewer, allowed_apps, is_authorized, label

ADMIN, STAFF = Viewer("a" * 32, True), Viewer("b" * 32, False)


def test_who_may_open_an_installed_app() -> None:
    assert is_authorized({"allowed_users": "all"}, STAFF)
    assert is_authorized({"allowed_users": "admins"}, ADMIN)
    assert not is_authorized({"allowed_users": "admins"}, STAFF)
    specific = {"allowed_users": "specific", "users": [{"id": "b" * 32}]}
    assert is_authorized(specific, STAFF) and not is_authorized(specific, ADMIN)
    assert not is_authorized({}, ADMIN)
    assert is_authorized({"allowed_users": "specific"}, None)


def test_blacklist_and_permissions_then_master_sees_all() -> None:
    catalog = [{"id": "x", "name": "x"}, {"id": "y", "name": "y", "published": False}]
    installed = {"x": {"allowed_users": "admins", "users": []}}
    views = allowed_apps(catalog, installed, set(), False, STAFF)
    assert [(v["id"], v["published"]) for v in views] == [("x", False), ("y", False)]
    assert views[0]["allowed_users"] == "admins"
    kept = allowed_apps(catalog, installed, {"x"}, False, ADMIN)
    assert [v["published"] for v in kept] == [False, False]
    master = allowed_apps(catalog, {}, {"x"}, True)
    assert [v["published"] for v in master] == [True, True]


def test_label_falls_back_to_en_us_and_ignores_case() -> None:
    view = {"i18n": {"en-US": {"label": "SmartPBX"}, "de-DE": {"label": "Einstellungen"}}}
    assert label(view, "de-de") == "Einstellungen"
    assert label(view, "fr-FR") == "SmartPBX"
    assert label({}, "en-us") is None

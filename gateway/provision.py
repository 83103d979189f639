"""Creating accounts and users outside a request: the master account and demo fixtures."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from aiohttp import web

from gateway.auth.identity import Identity
from gateway.auth.tree import ACCOUNTS
from gateway.crossbar.context import Context
from gateway.crossbar.documents import Doc
from gateway.crossbar.write import save
from gateway.keys import RESOURCES, SETTINGS, STORE
from gateway.resources.accounts import ACCOUNT_DOCS, public_fields
from gateway.resources.users import USER_DOCS

log = logging.getLogger(__name__)
SYSTEM = Identity(
    account_id="", owner_id=None, method="system", priv_level="admin", superduper=True
)


def _context(app: web.Application, data: dict[str, Any]) -> Context:
    return Context(app=app, request_id="system", verb="PUT", identity=SYSTEM, data=data)


async def create_account(
    app: web.Application, data: dict[str, Any], parent_id: str | None = None
) -> Doc:
    """A new account under `parent_id` (none: a master account), through the write path."""
    ctx = _context(app, data)
    if parent_id is not None:
        ctx.account = await app[STORE].get(ACCOUNTS, parent_id)
        if ctx.account is None:
            raise ValueError(f"no account {parent_id}")
    fields = {k: v for k, v in data.items() if k not in ("id", "reseller", "parent_id")}
    saved = await save(ctx, ACCOUNT_DOCS, fields, None)
    if data.get("reseller") and not saved.get("pvt_reseller"):
        saved = await save(
            ctx, ACCOUNT_DOCS, public_fields(saved), {**saved, "pvt_reseller": True}, before=saved
        )
    return saved


async def create_user(app: web.Application, account_id: str, data: dict[str, Any]) -> Doc:
    """A new user in `account_id`, through the write path."""
    ctx = _context(app, data)
    ctx.account_id = account_id
    fields = {k: v for k, v in data.items() if k not in ("id", "account_id")}
    return await save(ctx, USER_DOCS, fields, None)


async def has_accounts(app: web.Application) -> bool:
    """True once any account exists."""
    return await app[STORE].find_one(ACCOUNTS, {}) is not None


async def create_master(
    app: web.Application, name: str, username: str, password: str
) -> tuple[Doc, Doc]:
    """The master (super-duper admin) account and its admin user."""
    account = await create_account(app, {"name": name})
    user = await create_user(
        app,
        account["id"],
        {
            "first_name": "Account",
            "last_name": "Admin",
            "username": username,
            "password": password,
            "priv_level": "admin",
        },
    )
    return account, user


async def bootstrap_master(app: web.Application) -> None:
    """On start: create the master account from GATEWAY_ADMIN_* when the store has none."""
    settings = app[SETTINGS]
    if not (settings.admin_username and settings.admin_password) or await has_accounts(app):
        return
    account, _ = await create_master(
        app, settings.admin_account, settings.admin_username, settings.admin_password
    )
    log.info("created master account %s (%s)", account["name"], account["id"])


# Load order: a document's references exist before it.
FIXTURE_KINDS = (
    "devices",
    "vmboxes",
    "media",
    "temporal_rules",
    "temporal_rules_sets",
    "menus",
    "groups",
    "queues",
    "conferences",
    "callflows",
    "phone_numbers",
)


async def create_document(app: web.Application, kind: str, data: dict[str, Any]) -> Doc:
    """A new document of `kind` in `data["account_id"]`, through the write path."""
    docs = app[RESOURCES].documents()[kind]
    ctx = _context(app, data)
    ctx.account_id = data["account_id"]
    ctx.account = await app[STORE].get(ACCOUNTS, ctx.account_id)
    fields = {k: v for k, v in data.items() if k not in ("id", "account_id")}
    return await save(ctx, docs, fields, None, create_id=data.get("id"))


def _read(directory: Path, kind: str) -> list[dict[str, Any]]:
    path = directory / f"{kind}.json"
    return json.loads(path.read_text()) if path.exists() else []


async def load_fixtures(app: web.Application, directory: Path) -> list[dict[str, str]]:
    """Load the fixture files into an empty store; return the demo logins."""
    accounts = _read(directory, "accounts")
    users = _read(directory, "users")
    names = {account["id"]: account["name"] for account in accounts}
    if not await has_accounts(app):
        for account in accounts:
            await create_account(app, account, account.get("parent_id"))
        for user in users:
            await create_user(app, user["account_id"], user)
        for kind in FIXTURE_KINDS:
            for document in _read(directory, kind):
                await create_document(app, kind, document)
    elif await app[STORE].get(ACCOUNTS, accounts[0]["id"]) is None:
        log.warning("fixtures skipped: the store already holds other accounts")
        return []
    return [
        {
            "account_name": names[user["account_id"]],
            "username": user["username"],
            "password": user["password"],
        }
        for user in users
        if user.get("password")
    ]

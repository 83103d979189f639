"""Accounts: the tenant tree (create under a parent, read, change, delete)."""

from __future__ import annotations

import re
import secrets
from typing import Any

from gateway.auth.tree import ACCOUNTS
from gateway.crossbar.context import Context, Reply
from gateway.crossbar.crud import document_handlers
from gateway.crossbar.documents import Doc, Documents, Listing, UniqueRule
from gateway.crossbar.errors import (
    AccountHasDescendants,
    Forbidden,
    MethodNotAllowed,
    NotFound,
    invalid,
)
from gateway.crossbar.write import request_data, save
from gateway.keys import ACCOUNT_CACHE, RESOURCES, TOKENS
from schemas.accounts import AccountSchema

DERIVED = (
    "created",
    "superduper_admin",
    "wnm_allow_additions",
    "billing_mode",
    "is_reseller",
    "reseller_id",
    "descendants_count",
    "api_key",
)
DEFAULT_TIMEZONE = "America/Los_Angeles"
# Each level of the tree has its own descendants listing field and index (see ANCESTOR_AT).
MAX_TREE_DEPTH = 10


def name_key(name: str) -> str:
    """Kazoo compares account names lower-cased without non-alphanumerics."""
    key = re.sub(r"[^a-z0-9]", "", name.lower())
    return key or name.lower()


def new_api_key() -> str:
    """A 64-character account API key."""
    return secrets.token_hex(32)


def reseller_of(parent: Doc) -> str:
    """The reseller a new child of `parent` belongs to."""
    return str(parent["id"] if parent.get("pvt_reseller") else parent.get("pvt_reseller_id"))


def _ancestor(depth: int) -> Listing:
    def scope_of(doc: Doc) -> str | None:
        tree = doc.get("pvt_tree") or []
        return str(tree[depth]) if len(tree) > depth else None

    return Listing(f"pvt_by_ancestor_{depth}", scope_of)


BY_PARENT = Listing("pvt_by_parent", lambda doc: doc.get("pvt_parent_id") or "")
# The descendants of an account at depth d (len of its pvt_tree) are listed by ANCESTOR_AT[d].
ANCESTOR_AT = tuple(_ancestor(depth) for depth in range(MAX_TREE_DEPTH))


def descendants_query(account: Doc) -> dict[str, Any]:
    """The flat, indexed query for every account below `account`."""
    by_ancestor = ANCESTOR_AT[len(account.get("pvt_tree", []))]
    return {by_ancestor.field: Listing.bounds(account["id"])}


def check_depth(tree_length: int) -> None:
    """Refuse a place in the tree with more than MAX_TREE_DEPTH - 1 ancestors."""
    if tree_length >= MAX_TREE_DEPTH:
        raise invalid(
            "tree", "maxItems", f"Account trees are at most {MAX_TREE_DEPTH} levels deep"
        )


async def account_fields(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """Realm, normalised keys, `enabled`, and (on create) the place in the tree."""
    for key in DERIVED:
        doc.pop(key, None)
    enabled = doc.pop("enabled", None)
    realm = doc.get("realm") or (old or {}).get("realm")
    if not realm:
        realm = f"{secrets.token_hex(3)}.{ctx.settings.realm_suffix}"
    doc["realm"] = realm.replace(" ", "")
    doc["pvt_realm_key"] = doc["realm"].lower()
    doc["pvt_name_key"] = name_key(doc["name"])
    if old is not None:
        is_self = ctx.identity is not None and ctx.identity.account_id == old["id"]
        if enabled is not None and not is_self:
            doc["pvt_enabled"] = enabled
        return doc
    parent = ctx.account
    doc["pvt_enabled"] = True if enabled is None else enabled
    doc["pvt_account_id"] = doc["id"]
    doc["pvt_superduper_admin"] = parent is None
    doc["pvt_reseller"] = parent is None
    doc["pvt_api_key"] = new_api_key()
    doc["pvt_descendants_count"] = 0
    if parent is None:
        doc.update(pvt_tree=[], pvt_parent_id=None, pvt_reseller_id=doc["id"])
    else:
        check_depth(len(parent.get("pvt_tree", [])) + 1)
        doc.update(
            pvt_tree=[*parent.get("pvt_tree", []), parent["id"]],
            pvt_parent_id=parent["id"],
            pvt_reseller_id=reseller_of(parent),
        )
        doc.setdefault("timezone", parent.get("timezone", DEFAULT_TIMEZONE))
    doc.setdefault("timezone", DEFAULT_TIMEZONE)
    return doc


def forget_cached(ctx: Context, account_ids: list[str]) -> None:
    """These accounts changed: this instance reads them afresh from now on."""
    ctx.app[ACCOUNT_CACHE].forget(account_ids)


async def forget_saved(ctx: Context, saved: Doc, old: Doc | None) -> None:
    """The saved account and its ancestors (their counts) are stale in this instance's cache."""
    forget_cached(ctx, [saved["id"], *saved.get("pvt_tree", [])])


async def count_descendant(ctx: Context, saved: Doc, old: Doc | None) -> None:
    """Every ancestor counts one more descendant."""
    if old is None and saved.get("pvt_tree"):
        await ctx.store.update_many(
            ACCOUNTS, {"id": {"$in": saved["pvt_tree"]}}, {"$inc": {"pvt_descendants_count": 1}}
        )


async def refuse_with_children(ctx: Context, doc: Doc) -> None:
    """Kazoo refuses to delete an account that has children; the master has no DELETE."""
    if doc.get("pvt_superduper_admin") and not doc.get("pvt_tree"):
        raise MethodNotAllowed(["GET", "PUT", "POST", "PATCH"])
    if await ctx.store.find_one(ACCOUNTS, {BY_PARENT.field: Listing.bounds(doc["id"])}):
        raise AccountHasDescendants()


async def drop_account_data(ctx: Context, doc: Doc) -> None:
    """Ancestors count one less; the account's documents, files and sessions go with it."""
    forget_cached(ctx, [doc["id"], *doc.get("pvt_tree", [])])
    if doc.get("pvt_tree"):
        await ctx.store.update_many(
            ACCOUNTS, {"id": {"$in": doc["pvt_tree"]}}, {"$inc": {"pvt_descendants_count": -1}}
        )
    for kind in ctx.app[RESOURCES].kinds():
        if kind != ACCOUNTS:
            await ctx.store.delete_many(kind, {"pvt_account_id": doc["id"]})
    await ctx.store.files.delete_for_account(doc["id"])
    await ctx.app[TOKENS].revoke_account(doc["id"])


def billing_mode(ctx: Context, stored: Doc) -> str:
    """`limits_only` for the reseller itself, `normal` under the master, else `manual`."""
    caller = ctx.identity.account_id if ctx.identity else None
    reseller = stored.get("pvt_reseller_id")
    if caller is not None and caller == reseller:
        return "limits_only"
    tree = stored.get("pvt_tree") or [stored["id"]]
    return "normal" if reseller == tree[0] else "manual"


def present(ctx: Context, shown: Doc, stored: Doc) -> Doc:
    """Kazoo shows a few private account fields under plain names."""
    shown.update(
        created=stored.get("pvt_created"),
        enabled=stored.get("pvt_enabled", True),
        superduper_admin=bool(stored.get("pvt_superduper_admin")),
        wnm_allow_additions=bool(stored.get("pvt_wnm_allow_additions")),
        is_reseller=bool(stored.get("pvt_reseller")),
        reseller_id=stored.get("pvt_reseller_id"),
        billing_mode=billing_mode(ctx, stored),
    )
    if ctx.flag("include_api_key"):
        shown["api_key"] = stored.get("pvt_api_key")
    return shown


def children_row(doc: Doc) -> Doc:
    """A row of children and siblings listings."""
    return {
        "id": doc["id"],
        "name": doc.get("name"),
        "realm": doc.get("realm"),
        "descendants_count": doc.get("pvt_descendants_count", 0),
        "flags": doc.get("flags", []),
    }


ACCOUNT_DOCS = Documents(
    kind=ACCOUNTS,
    schema=AccountSchema,
    row=children_row,
    sort_value=lambda doc: str(doc.get("name", "")),
    unique=(
        UniqueRule(
            "accounts_name",
            "name",
            "Account name already in use",
            ("pvt_name_key",),
            scope=(),
            cause=lambda doc: doc.get("name"),
        ),
        UniqueRule(
            "accounts_realm",
            "realm",
            "Account realm already in use",
            ("pvt_realm_key",),
            scope=(),
            cause=lambda doc: doc.get("realm"),
        ),
        UniqueRule(
            "accounts_api_key", "api_key", "API key already in use", ("pvt_api_key",), scope=()
        ),
    ),
    before_save=(account_fields,),
    after_save=(count_descendant, forget_saved),
    before_delete=(refuse_with_children,),
    after_delete=(drop_account_data,),
    present=present,
    listings=(BY_PARENT, *ANCESTOR_AT),
)

_crud = document_handlers(ACCOUNT_DOCS)


async def fresh_account(ctx: Context, account_id: str) -> Doc:
    """The account as stored now: a change to it must not start from a cached copy."""
    account = await ctx.store.get(ACCOUNTS, account_id)
    if account is None:
        raise NotFound(account_id)
    return account


async def create_child(ctx: Context) -> Reply:
    """PUT /accounts[/{parent}]: a child of the path's account, else of the caller's."""
    assert ctx.identity is not None
    parent = await ctx.store.get(ACCOUNTS, ctx.account_id or ctx.identity.account_id)
    if parent is None:
        raise Forbidden() if ctx.account_id is None else NotFound(ctx.account_id)
    ctx.account = parent
    saved = await save(ctx, ACCOUNT_DOCS, request_data(ctx), None)
    return Reply(ACCOUNT_DOCS.show(ctx, saved), status=201, revision=saved["_rev"])


read_account = _crud["1:GET"]
replace_account = _crud["1:POST"]
patch_account = _crud["1:PATCH"]
delete_account = _crud["1:DELETE"]


def public_fields(doc: Doc) -> dict[str, Any]:
    """What a client may resend of an account."""
    return {k: v for k, v in doc.items() if not k.startswith(("_", "pvt_")) and k != "id"}

"""The accounts module: CRUD plus tree views, API key, move and reseller status."""

from __future__ import annotations

from gateway.auth.tree import ACCOUNTS
from gateway.crossbar.context import Context, Reply
from gateway.crossbar.documents import Doc
from gateway.crossbar.errors import AccountHasDescendants, BadAccountId, Forbidden, invalid
from gateway.crossbar.listing import list_page
from gateway.crossbar.merge import public
from gateway.crossbar.resource import ID, Resource, Route
from gateway.crossbar.write import save
from gateway.resources.accounts import (
    ACCOUNT_DOCS,
    ANCESTOR_AT,
    BY_PARENT,
    check_depth,
    children_row,
    create_child,
    delete_account,
    descendants_query,
    forget_cached,
    fresh_account,
    new_api_key,
    patch_account,
    read_account,
    replace_account,
    reseller_of,
)


def _account(ctx: Context) -> Doc:
    assert ctx.account is not None
    return ctx.account


async def _account_to_change(ctx: Context) -> Doc:
    return await fresh_account(ctx, ctx.path_account_id)


def descendants_row(doc: Doc) -> Doc:
    """A row of the descendants listing."""
    return {
        "id": doc["id"],
        "name": doc.get("name"),
        "realm": doc.get("realm"),
        "tree": doc.get("pvt_tree", []),
        "flags": doc.get("flags", []),
    }


async def children(ctx: Context) -> Reply:
    """Direct children."""
    return await list_page(ctx, ACCOUNTS, BY_PARENT, ctx.path_account_id, children_row)


async def descendants(ctx: Context) -> Reply:
    """The whole subtree."""
    account = _account(ctx)
    by_ancestor = ANCESTOR_AT[len(account.get("pvt_tree", []))]
    return await list_page(ctx, ACCOUNTS, by_ancestor, account["id"], descendants_row)


async def siblings(ctx: Context) -> Reply:
    """Children of the account's parent (not one's own siblings, unless master)."""
    account, identity = _account(ctx), ctx.identity
    assert identity is not None
    if not identity.superduper and identity.account_id not in account.get("pvt_tree", []):
        raise Forbidden()
    # The master's siblings are the roots: itself.
    return await list_page(
        ctx, ACCOUNTS, BY_PARENT, account.get("pvt_parent_id") or "", children_row
    )


async def ancestors(ctx: Context) -> Reply:
    """Ancestors from the caller's account down to the account's parent, as {id, name}."""
    account, identity = _account(ctx), ctx.identity
    assert identity is not None
    tree: list[str] = account.get("pvt_tree", [])
    if identity.account_id in tree:
        tree = tree[tree.index(identity.account_id) :]
    elif not identity.superduper:
        tree = []
    found = {doc["id"]: doc for doc in await ctx.store.find(ACCOUNTS, {"id": {"$in": tree}})}
    return Reply([{"id": i, "name": found[i].get("name")} for i in tree if i in found])


def _require_admin(ctx: Context) -> None:
    if ctx.identity is None or ctx.identity.priv_level != "admin":
        raise Forbidden()


async def read_api_key(ctx: Context) -> Reply:
    """The account's API key (admins only)."""
    _require_admin(ctx)
    return Reply({"api_key": _account(ctx).get("pvt_api_key")})


async def regenerate_api_key(ctx: Context) -> Reply:
    """A new API key; the old one stops working."""
    _require_admin(ctx)
    account = await _account_to_change(ctx)
    changed = {**account, "pvt_api_key": new_api_key()}
    saved = await save(ctx, ACCOUNT_DOCS, public(account), changed, before=account)
    return Reply({"api_key": saved["pvt_api_key"]}, status=201)


async def move(ctx: Context) -> Reply:
    """Re-parent the account and its subtree (master only)."""
    account = await _account_to_change(ctx)
    target_id = ctx.data.get("to") if isinstance(ctx.data, dict) else None
    if not isinstance(target_id, str) or not target_id:
        raise invalid("to", "required", "Field is required but missing", value="to")
    if len(target_id) != 32:
        raise BadAccountId(target_id)
    target = await fresh_account(ctx, target_id)
    if target["id"] == account["id"] or account["id"] in target.get("pvt_tree", []):
        raise invalid("to", "invalid", "Cannot move an account under itself", cause=target_id)
    old_tree: list[str] = account.get("pvt_tree", [])
    new_tree = [*target.get("pvt_tree", []), target["id"]]
    subtree = [account, *await ctx.store.find(ACCOUNTS, descendants_query(account))]
    deepest = max(len(doc.get("pvt_tree", [])) for doc in subtree)
    check_depth(len(new_tree) + deepest - len(old_tree))
    weight = 1 + int(account.get("pvt_descendants_count", 0))
    resellers = {account["id"]: reseller_of(target)}
    for doc in sorted(subtree, key=lambda d: len(d.get("pvt_tree", []))):
        tree = new_tree + doc.get("pvt_tree", [])[len(old_tree) :]
        parent_id = tree[-1]
        if doc["id"] != account["id"]:
            parent = next(d for d in subtree if d["id"] == parent_id)
            resellers[doc["id"]] = (
                parent_id if parent.get("pvt_reseller") else resellers[parent_id]
            )
        moved = {
            **doc,
            "pvt_tree": tree,
            "pvt_parent_id": parent_id,
            "pvt_reseller_id": resellers[doc["id"]],
        }
        saved = await save(ctx, ACCOUNT_DOCS, public(doc), moved, before=doc)
        if doc["id"] == account["id"]:
            result = saved
    forget_cached(ctx, [*old_tree, *new_tree])
    await ctx.store.update_many(
        ACCOUNTS, {"id": {"$in": old_tree}}, {"$inc": {"pvt_descendants_count": -weight}}
    )
    await ctx.store.update_many(
        ACCOUNTS, {"id": {"$in": new_tree}}, {"$inc": {"pvt_descendants_count": weight}}
    )
    return Reply(ACCOUNT_DOCS.show(ctx, result), revision=result["_rev"])


async def _set_reseller(ctx: Context, status: bool) -> Reply:
    account = await _account_to_change(ctx)
    if account.get("pvt_descendants_count", 0):
        raise AccountHasDescendants()
    changed = {**account, "pvt_reseller": status}
    saved = await save(ctx, ACCOUNT_DOCS, public(account), changed, before=account)
    return Reply(
        ACCOUNT_DOCS.show(ctx, saved), revision=saved["_rev"], status=201 if status else 200
    )


async def promote(ctx: Context) -> Reply:
    """Make the account a reseller (master only)."""
    return await _set_reseller(ctx, True)


async def demote(ctx: Context) -> Reply:
    """Make the account an ordinary customer (master only)."""
    return await _set_reseller(ctx, False)


MASTER_ONLY = {("move", "POST"), ("reseller", "PUT"), ("reseller", "DELETE")}


async def authorize(ctx: Context) -> None:
    """Users may read; changes need an admin; move and reseller need the master account."""
    identity = ctx.identity
    assert identity is not None
    action = ctx.args[1] if len(ctx.args) > 1 else None
    if (action, ctx.verb) in MASTER_ONLY and not identity.superduper:
        raise Forbidden()
    if ctx.verb != "GET" and identity.priv_level != "admin":
        raise Forbidden()


ACCOUNTS_RESOURCE = Resource(
    name=ACCOUNTS,
    scoped=False,
    authorize=authorize,
    indexes=ACCOUNT_DOCS.indexes(),
    schema=ACCOUNT_DOCS.schema,
    documents=ACCOUNT_DOCS,
    routes=(
        Route((), {"PUT": create_child}),
        Route(
            (ID,),
            {
                "GET": read_account,
                "PUT": create_child,
                "POST": replace_account,
                "PATCH": patch_account,
                "DELETE": delete_account,
            },
        ),
        Route((ID, "children"), {"GET": children}),
        Route((ID, "descendants"), {"GET": descendants}),
        Route((ID, "siblings"), {"GET": siblings}),
        Route((ID, "parents"), {"GET": ancestors}),
        Route((ID, "tree"), {"GET": ancestors}),
        Route((ID, "api_key"), {"GET": read_api_key, "PUT": regenerate_api_key}),
        Route((ID, "move"), {"POST": move}),
        Route((ID, "reseller"), {"PUT": promote, "DELETE": demote}),
    ),
)

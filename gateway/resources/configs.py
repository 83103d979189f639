"""configs/{category}: per-account settings, merged over the reseller's (Kazoo's cb_configs)."""

from __future__ import annotations

import re

from gateway.crossbar.context import Context, Reply
from gateway.crossbar.documents import Doc, Documents
from gateway.crossbar.errors import NotFound
from gateway.crossbar.merge import deep_merge, public
from gateway.crossbar.resource import ID, Resource, Route
from gateway.crossbar.write import remove, request_data, save
from schemas.configs import AccountConfigSchema

CONFIGS = "configs"
_CATEGORY = re.compile(r"^[a-z0-9_.]{1,64}$")

CONFIG_DOCS = Documents(
    kind=CONFIGS, schema=AccountConfigSchema, row=lambda doc: {"id": doc["id"]}, listings=()
)


def _doc_id(account_id: str, category: str) -> str:
    return f"{account_id}.configs_{category}"


def _category(ctx: Context) -> str:
    category = ctx.args[0]
    if not _CATEGORY.match(category):
        raise NotFound(category)
    return category


async def _merged(ctx: Context, category: str) -> Doc:
    """The reseller's settings with the account's own over them (the gateway has no system
    defaults per category, so a category nobody set reads as empty)."""
    account = ctx.account or {}
    layers = [account.get("pvt_reseller_id"), account["id"]]
    merged: Doc = {}
    for account_id in dict.fromkeys(layer for layer in layers if layer):
        found = await ctx.store.get(CONFIGS, _doc_id(account_id, category))
        merged.update(public(found or {}))
    merged.pop("id", None)
    return {**merged, "id": f"configs_{category}"}


async def read_config(ctx: Context) -> Reply:
    """GET configs/{category}."""
    return Reply(await _merged(ctx, _category(ctx)))


async def write_config(ctx: Context) -> Reply:
    """PUT/POST configs/{category}: the account's own settings (PUT is POST, as in Kazoo)."""
    category = _category(ctx)
    doc_id = _doc_id(ctx.path_account_id, category)
    old = await ctx.store.get(CONFIGS, doc_id)
    data = request_data(ctx)
    if ctx.verb == "PATCH":
        current = public(old or {})
        current.pop("id", None)
        data = deep_merge(current, data)
    await save(ctx, CONFIG_DOCS, data, old, create_id=doc_id)
    return Reply(await _merged(ctx, category))


async def delete_config(ctx: Context) -> Reply:
    """DELETE configs/{category}: back to what the reseller set."""
    category = _category(ctx)
    old = await ctx.store.get(CONFIGS, _doc_id(ctx.path_account_id, category))
    if old is not None:
        await remove(ctx, CONFIG_DOCS, old)
    return Reply(await _merged(ctx, category))


CONFIGS_RESOURCE = Resource(
    name=CONFIGS,
    routes=(
        Route(
            (ID,),
            {
                "GET": read_config,
                "PUT": write_config,
                "POST": write_config,
                "PATCH": write_config,
                "DELETE": delete_config,
            },
        ),
    ),
    schema=AccountConfigSchema,
    documents=CONFIG_DOCS,
)

"""Generic handlers for a document kind: list, create, read, replace, patch, delete."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from gateway.crossbar.context import Context, Reply
from gateway.crossbar.documents import BY_ACCOUNT, Documents, Listing
from gateway.crossbar.errors import EmptyError
from gateway.crossbar.listing import list_page
from gateway.crossbar.merge import deep_merge, public
from gateway.crossbar.resource import ID, Handler, Resource, Route
from gateway.crossbar.write import check_if_match, load_scoped, remove, request_data, save

Scope = Callable[[Context], tuple[Listing, str]]


def account_scope(ctx: Context) -> tuple[Listing, str]:
    """Listing scope: the request's account."""
    return BY_ACCOUNT, ctx.path_account_id


def location(ctx: Context, doc_id: str) -> str:
    """The relative path of a new document (request path + '/' + id)."""
    return (
        (ctx.request.raw_path if ctx.request else "").split("?", 1)[0].rstrip("/") + "/" + doc_id
    )


def document_handlers(docs: Documents, scope: Scope = account_scope) -> dict[str, Handler]:
    """Handlers keyed '0:GET', '1:PATCH', ... (id count, verb)."""

    async def list_docs(ctx: Context) -> Reply:
        listing, scope_value = scope(ctx)
        return await list_page(ctx, docs.kind, listing, scope_value, docs.row)

    async def create(ctx: Context) -> Reply:
        return created_reply(ctx, docs, await save(ctx, docs, request_data(ctx), None))

    async def read(ctx: Context) -> Reply:
        doc = await load_scoped(ctx, docs, ctx.args[-1])
        etag = f'"{doc["_rev"]}"'
        if ctx.header("If-None-Match") == etag:
            raise EmptyError(304)
        return Reply(docs.show(ctx, doc), revision=doc["_rev"], headers={"ETag": etag})

    async def replace(ctx: Context) -> Reply:
        old = await load_scoped(ctx, docs, ctx.args[-1])
        check_if_match(ctx, old)
        saved = await save(ctx, docs, request_data(ctx), old)
        return _saved(ctx, docs, saved)

    async def patch(ctx: Context) -> Reply:
        old = await load_scoped(ctx, docs, ctx.args[-1])
        check_if_match(ctx, old)
        current = {k: v for k, v in public(old).items() if k not in docs.hidden}
        saved = await save(ctx, docs, deep_merge(current, request_data(ctx)), old)
        return _saved(ctx, docs, saved)

    async def delete(ctx: Context) -> Reply:
        doc = await load_scoped(ctx, docs, ctx.args[-1])
        check_if_match(ctx, doc)
        await remove(ctx, docs, doc)
        return Reply({**docs.show(ctx, doc), "_read_only": {"deleted": True}})

    return {
        "0:GET": list_docs,
        "0:PUT": create,
        "1:GET": read,
        "1:POST": replace,
        "1:PATCH": patch,
        "1:DELETE": delete,
    }


def created_reply(ctx: Context, docs: Documents, saved: dict[str, Any]) -> Reply:
    """201 with the new document, its revision and its Location."""
    return Reply(
        docs.show(ctx, saved),
        status=201,
        revision=saved["_rev"],
        headers={"Location": location(ctx, saved["id"])},
    )


def _saved(ctx: Context, docs: Documents, saved: dict[str, Any]) -> Reply:
    return Reply(
        docs.show(ctx, saved), revision=saved["_rev"], headers={"ETag": f'"{saved["_rev"]}"'}
    )


STANDARD_VERBS: Mapping[int, set[str]] = {
    0: {"GET", "PUT"},
    1: {"GET", "POST", "PATCH", "DELETE"},
}


def document_resource(
    docs: Documents,
    verbs: Mapping[int, set[str]] = STANDARD_VERBS,
    *,
    extra_routes: tuple[Route, ...] = (),
    scope: Scope = account_scope,
    **options: Any,
) -> Resource:
    """A resource serving one document kind: CRUD routes plus any extra routes."""
    return Resource(
        name=options.pop("name", docs.kind),
        routes=(*document_routes(docs, verbs, scope), *extra_routes),
        indexes=docs.indexes(),
        schema=docs.schema,
        documents=docs,
        **options,
    )


def document_routes(
    docs: Documents,
    verbs: Mapping[int, set[str]],
    scope: Scope = account_scope,
) -> tuple[Route, ...]:
    """Routes `()` and `(ID,)` with the verbs allowed at each id count."""
    handlers = document_handlers(docs, scope)
    return tuple(
        Route(
            tuple([ID] * count),
            {verb: handlers[f"{count}:{verb}"] for verb in sorted(allowed)},
        )
        for count, allowed in sorted(verbs.items())
    )

"""GET /v2/schemas[/{name}]: our schemas as JSON Schema (no login needed, as in Kazoo)."""

from __future__ import annotations

from gateway.crossbar.context import Context, Reply
from gateway.crossbar.errors import NotFound
from gateway.crossbar.resource import ID, Resource, Route
from gateway.keys import RESOURCES
from schemas.json_schema import json_schema


async def list_schemas(ctx: Context) -> Reply:
    """Names of every schema served."""
    return Reply(sorted(ctx.app[RESOURCES].schemas()))


async def read_schema(ctx: Context) -> Reply:
    """One schema as JSON Schema."""
    name = ctx.args[0]
    schema = ctx.app[RESOURCES].schemas().get(name)
    if schema is None:
        raise NotFound(name)
    return Reply(json_schema(schema, name))


SCHEMAS_RESOURCE = Resource(
    name="schemas",
    scoped=False,
    greedy=True,
    public=frozenset({"GET"}),
    routes=(Route((), {"GET": list_schemas}), Route((ID,), {"GET": read_schema})),
)

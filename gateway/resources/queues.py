"""Queues: ACD call queues and their rosters of agents (user ids)."""

from __future__ import annotations

from typing import Any

from gateway.crossbar.context import Context, Reply
from gateway.crossbar.crud import document_resource
from gateway.crossbar.documents import Doc, Documents
from gateway.crossbar.errors import invalid
from gateway.crossbar.merge import public
from gateway.crossbar.references import require_ids
from gateway.crossbar.resource import ID, Route
from gateway.crossbar.write import check_if_match, load_scoped, save
from gateway.resources.rules import USED_BY_CALLFLOWS
from schemas.queues import QueueSchema

QUEUES = "queues"
ROSTER = "roster"
AGENTS = "agents"


def queue_row(doc: Doc) -> Doc:
    """A row of the queues listing (`queues/crossbar_listing`)."""
    return {key: doc[key] for key in ("id", "name", "strategy") if doc.get(key) is not None}


async def keep_roster(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """`agents` changes only through `queues/{Q}/roster`; document writes keep it."""
    if ctx.args[1:] != (ROSTER,):
        doc[AGENTS] = list((old or {}).get(AGENTS) or [])
    return doc


QUEUE_DOCS = Documents(
    kind=QUEUES,
    schema=QueueSchema,
    row=queue_row,
    before_save=(keep_roster,),
    before_delete=(USED_BY_CALLFLOWS,),
)


def _user_ids(ctx: Context) -> list[str]:
    """The request's `data`: a list of user ids."""
    data: Any = ctx.data
    if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
        raise invalid("data", "type", "Value did not match type(s): array", value=data)
    return list(dict.fromkeys(data))


async def _save_roster(ctx: Context, queue: Doc, agents: list[str]) -> Reply:
    check_if_match(ctx, queue)
    saved = await save(ctx, QUEUE_DOCS, {**public(queue), AGENTS: agents}, queue)
    return Reply(saved[AGENTS], revision=saved["_rev"])


async def read_roster(ctx: Context) -> Reply:
    """The queue's agent ids."""
    queue = await load_scoped(ctx, QUEUE_DOCS, ctx.args[0])
    return Reply(list(queue.get(AGENTS) or []), revision=queue["_rev"])


async def add_agents(ctx: Context) -> Reply:
    """Add users to the roster; each id must name a user of the account."""
    wanted = _user_ids(ctx)
    queue = await load_scoped(ctx, QUEUE_DOCS, ctx.args[0])
    await require_ids(ctx, AGENTS, "users", "User", wanted)
    current = list(queue.get(AGENTS) or [])
    return await _save_roster(ctx, queue, current + [i for i in wanted if i not in current])


async def remove_agents(ctx: Context) -> Reply:
    """Remove users from the roster (ids not on it are ignored)."""
    dropped = set(_user_ids(ctx))
    queue = await load_scoped(ctx, QUEUE_DOCS, ctx.args[0])
    kept = [agent for agent in queue.get(AGENTS) or [] if agent not in dropped]
    return await _save_roster(ctx, queue, kept)


QUEUES_RESOURCE = document_resource(
    QUEUE_DOCS,
    extra_routes=(
        Route((ID, ROSTER), {"GET": read_roster, "POST": add_agents, "DELETE": remove_agents}),
    ),
)

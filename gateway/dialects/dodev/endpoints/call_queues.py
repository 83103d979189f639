"""`/v1/pbx/call-queues`: Kazoo `queues` documents, their rosters of agents shown as extension
ids, written through the same path as `/v2/accounts/{A}/queues`."""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

from gateway.calls.registrations import live_registrations
from gateway.crossbar.clock import iso_time
from gateway.crossbar.documents import BY_ACCOUNT, Doc, Listing
from gateway.crossbar.errors import InvalidData
from gateway.crossbar.merge import public
from gateway.crossbar.references import missing_ids
from gateway.crossbar.tokenizer import Noun
from gateway.crossbar.write import remove, save
from gateway.dialects.dodev.body import kazoo_fields, refuse_unknown
from gateway.dialects.dodev.endpoint import Answer, Call, Endpoint
from gateway.dialects.dodev.errors import PbxError, invalid_field
from gateway.dialects.dodev.ids import CALL_FLOW, CALL_QUEUE, EXTENSION
from gateway.dialects.dodev.pages import cursor_page
from gateway.resources.queues import AGENTS, QUEUE_DOCS, QUEUES, ROSTER

# Each field and the queue document key it is.
FIELDS = {
    "name": "name",
    "strategy": "strategy",
    "maxWaitSeconds": "connection_timeout",
    "maxQueueSize": "max_queue_size",
    "holdMusicId": "moh",
    "announcementId": "announce",
    "agentRingTimeoutSeconds": "agent_ring_timeout",
    "agentWrapUpSeconds": "agent_wrapup_time",
    "ringSimultaneously": "ring_simultaneously",
    "enterWhenEmpty": "enter_when_empty",
    "callerExitKey": "caller_exit_key",
    "recordCaller": "record_caller",
}
WRITABLE = (*FIELDS, AGENTS)
# The queue schema's error paths, named as this dialect names them.
NAMES = {kazoo: name for name, kazoo in FIELDS.items()}


def queue_of(doc: Doc) -> Doc:
    """A queue as this dialect shows it (null for what the document does not set)."""
    return {
        "id": CALL_QUEUE.public(doc["id"]),
        **{name: doc.get(key) for name, key in FIELDS.items()},
        "agents": [EXTENSION.public(agent) for agent in doc.get(AGENTS) or []],
        "createdAt": iso_time(doc.get("pvt_created")),
        "updatedAt": iso_time(doc.get("pvt_modified")),
    }


async def _agent_ids(call: Call, value: Any) -> list[str]:
    """`agents` as user ids: a list of extension ids of users of this account."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise invalid_field(AGENTS, "type", "agents must be a list of extension ids")
    ids = list(dict.fromkeys(value))
    user_ids = [item.removeprefix(EXTENSION.prefix) for item in ids]
    for item, user_id in zip(ids, user_ids, strict=True):
        if item == user_id or not EXTENSION.pattern.fullmatch(user_id):
            raise invalid_field(AGENTS, "pattern", f"{item[:80]} is not an extension id")
    missing = await missing_ids(call.ctx, "users", user_ids)
    if missing:
        shown = EXTENSION.public(missing[0])
        raise invalid_field(AGENTS, "not_found", f"Extension with ID {shown} not found")
    return user_ids


def _changed(current: Doc, changes: Doc) -> Doc:
    """`changes` (dialect fields, null removes one) over a queue document's public keys."""
    merged = dict(current)
    for name, value in changes.items():
        if name == AGENTS:
            continue
        if value is None:
            merged.pop(FIELDS[name], None)
        else:
            merged[FIELDS[name]] = value
    return merged


async def _save(call: Call, data: Doc, old: Doc | None, changes: Doc) -> Doc:
    """Save a queue; a body naming `agents` (null: none) is a roster change as well."""
    ctx = call.ctx
    if AGENTS in changes:
        agents = changes[AGENTS]
        data[AGENTS] = [] if agents is None else await _agent_ids(call, agents)
        # queues.keep_roster lets only a roster write change `agents`: this one is one.
        ctx = dataclasses.replace(ctx, nouns=(Noun(QUEUES, ("", ROSTER)),))
    with kazoo_fields(NAMES):
        return await save(ctx, QUEUE_DOCS, data, old)


async def list_queues(call: Call) -> Answer:
    """GET: a page of the account's queues."""
    return await cursor_page(call, QUEUES, "callQueues", queue_of)


async def queue_stats(call: Call) -> Answer:
    """GET stats: queues by strategy, agents on any roster and how many of them are
    registered now (two queries: the account's queues, its live registrations)."""
    limit = call.ctx.settings.unpaginated_max
    queues = await call.ctx.store.find(
        QUEUES,
        {BY_ACCOUNT.field: Listing.bounds(call.account_id)},
        sort=BY_ACCOUNT.field,
        limit=limit,
    )
    agents = {agent for queue in queues for agent in queue.get(AGENTS) or []}
    registered: set[str] = set()
    if agents:
        live = await live_registrations(call.ctx.store, call.account_id, limit)
        registered = agents & {str(doc.get("owner_id")) for doc in live}
    strategies = Counter(str(queue.get("strategy")) for queue in queues)
    return Answer(
        {
            "total": len(queues),
            "byStrategy": dict(sorted(strategies.items())),
            "agents": len(agents),
            "agentsRegistered": len(registered),
            "emptyQueues": sum(not queue.get(AGENTS) for queue in queues),
        }
    )


async def create_queue(call: Call) -> Answer:
    """POST: a new queue, validated by the queue schema; 201."""
    changes = call.json_object()
    refuse_unknown(changes, WRITABLE)
    saved = await _save(call, _changed({}, changes), None, changes)
    return Answer(queue_of(saved), status=201)


async def patch_queue(call: Call) -> Answer:
    """PATCH: the given fields (null clears one) over the stored queue."""
    queue = await CALL_QUEUE.load(call, QUEUE_DOCS, call.params["id"])
    changes = call.json_object()
    refuse_unknown(changes, WRITABLE)
    if not changes:
        return Answer(queue_of(queue))
    current = {k: v for k, v in public(queue).items() if k not in QUEUE_DOCS.hidden}
    saved = await _save(call, _changed(current, changes), queue, changes)
    return Answer(queue_of(saved))


async def delete_queue(call: Call) -> Answer:
    """DELETE: 204; 409 QUEUE_IN_USE while a call flow sends calls to it."""
    queue = await CALL_QUEUE.load(call, QUEUE_DOCS, call.params["id"])
    try:
        await remove(call.ctx, QUEUE_DOCS, queue)
    except InvalidData as err:
        referenced = (err.data.get("id") or {}).get("referenced")
        if not referenced:
            raise
        raise PbxError(
            409,
            "QUEUE_IN_USE",
            f"Call queue {CALL_QUEUE.public(queue['id'])} is used by a call flow",
            {"callFlowId": CALL_FLOW.public(str(referenced.get("cause")))},
        ) from None
    return Answer(status=204)


ENDPOINTS = (
    Endpoint("GET", "call-queues", "pbx:queues:read", list_queues),
    Endpoint("GET", "call-queues/stats", "pbx:queues:read", queue_stats),
    Endpoint("POST", "call-queues", "pbx:queues:write", create_queue),
    Endpoint("PATCH", "call-queues/{id}", "pbx:queues:write", patch_queue),
    Endpoint("DELETE", "call-queues/{id}", "pbx:queues:write", delete_queue),
)

"""What an inbound number's routing is: read from the callflow that carries the number, and
asked for in a body (`{"type", "targetId", "externalNumber"}`), checked against the account.

A routing to a callflow (`flow_`, or an extension or ring group that is one) is that callflow,
which the number is to join; a routing to a user, box, queue, group or external number is a
flow the number gets a callflow of its own for (a user's own callflow is joined when it has
one, as Kazoo's user callflows carry the user's numbers). `number_moves` makes the move.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gateway.crossbar.context import Context
from gateway.crossbar.documents import BY_ACCOUNT, Doc, Listing
from gateway.crossbar.references import REFERENCES
from gateway.dialects.dodev.errors import invalid_field
from gateway.dialects.dodev.ids import (
    CALL_FLOW,
    CALL_QUEUE,
    EXTENSION,
    RING_GROUP,
    VOICEMAIL,
    IdPrefix,
)
from gateway.resources.callflows import CALLFLOWS
from gateway.resources.numbers import NumberError, normalize

ROUTING_TYPES = ("extension", "ring-group", "call-flow", "call-queue", "external", "voicemail")
ROUTING_FIELDS = ("type", "targetId", "externalNumber")
TARGET = "routing.targetId"
# Callflows that are extensions themselves (conference, parking, paging extensions).
EXTENSION_MODULES = frozenset({"conference", "park", "page_group"})
RING_MODULES = frozenset({"ring_group", "group"})
QUEUE_MODULES = frozenset({"acdc_member", "queue"})
# Kazoo: `resources` (or its older name `offnet`) with `to_did` dials one fixed number.
EXTERNAL_MODULES = frozenset({"resources", "offnet"})


@dataclass(frozen=True)
class Destination:
    """Where a number is to go: into an existing callflow, or a flow of its own (neither:
    nowhere, the number is unrouted)."""

    callflow: Doc | None = None
    flow: Doc | None = None


def _root(callflow: Doc) -> tuple[str | None, Doc]:
    flow = callflow.get("flow")
    node = flow if isinstance(flow, dict) else {}
    data = node.get("data")
    module = node.get("module")
    return (module if isinstance(module, str) else None), (data if isinstance(data, dict) else {})


def _single_group(module: str | None, data: Doc) -> str | None:
    """The group a ring-group node rings when it rings exactly one group."""
    if module == "group":
        return data.get("id") if isinstance(data.get("id"), str) else None
    endpoints = data.get("endpoints")
    if isinstance(endpoints, list) and len(endpoints) == 1 and isinstance(endpoints[0], dict):
        only = endpoints[0]
        if only.get("endpoint_type") == "group" and isinstance(only.get("id"), str):
            return str(only["id"])
    return None


def _target(callflow: Doc) -> tuple[str, str | None, str | None]:
    """(type, targetId, externalNumber) of the callflow by its first node."""
    module, data = _root(callflow)
    ref = data.get("id") if isinstance(data.get("id"), str) else None
    own = CALL_FLOW.public(callflow["id"])
    if module == "user" and ref:
        return "extension", EXTENSION.public(ref), None
    if module in EXTENSION_MODULES:
        return "extension", EXTENSION.public(callflow["id"]), None
    if module in RING_MODULES:
        group = _single_group(module, data)
        return "ring-group", RING_GROUP.public(group) if group else own, None
    if module in QUEUE_MODULES and ref:
        return "call-queue", CALL_QUEUE.public(ref), None
    if module == "voicemail" and ref:
        return "voicemail", VOICEMAIL.public(ref), None
    if module in EXTERNAL_MODULES and isinstance(data.get("to_did"), str):
        return "external", None, str(data["to_did"])
    return "call-flow", own, None


def routing_of(callflow: Doc | None) -> Doc:
    """A number's routing as this dialect shows it, read from the callflow carrying it."""
    if callflow is None:
        return {"type": None, "targetId": None, "callFlowId": None}
    kind, target, external = _target(callflow)
    shown: Doc = {"type": kind, "targetId": target}
    if external is not None:
        shown["externalNumber"] = external
    shown["callFlowId"] = CALL_FLOW.public(callflow["id"])
    return shown


async def _document(ctx: Context, kind: str, prefix: IdPrefix, public_id: str) -> Doc:
    """The `kind` document of the account a target id names; 400 on `routing.targetId`."""
    doc_id = public_id.removeprefix(prefix.prefix)
    doc = None
    if public_id.startswith(prefix.prefix) and prefix.pattern.fullmatch(doc_id):
        doc = await ctx.store.get(kind, doc_id)
    if doc is None or doc.get("pvt_account_id") != ctx.account_id:
        raise invalid_field(TARGET, "not_found", prefix.not_found(public_id).message)
    return doc


async def _user_callflow(ctx: Context, user_id: str) -> Doc | None:
    """The user's own callflow (its first node rings the user), if it has one."""
    query = {BY_ACCOUNT.field: Listing.bounds(ctx.account_id or ""), REFERENCES: user_id}
    for callflow in await ctx.store.find(CALLFLOWS, query, sort=BY_ACCOUNT.field):
        module, data = _root(callflow)
        if module == "user" and data.get("id") == user_id:
            return callflow
    return None


async def _user_flow(ctx: Context, user_id: str) -> Doc:
    """Ring the user, then (as Kazoo's user callflows do) its voicemail box if it has one."""
    flow: Doc = {"module": "user", "data": {"id": user_id}}
    query = {BY_ACCOUNT.field: Listing.bounds(ctx.account_id or ""), "owner_id": user_id}
    box = await ctx.store.find_one("vmboxes", query)
    if box is not None:
        flow["children"] = {"_": {"module": "voicemail", "data": {"id": box["id"]}}}
    return flow


async def _extension(ctx: Context, target: str) -> Destination:
    doc_id = target.removeprefix(EXTENSION.prefix)
    user = await ctx.store.get("users", doc_id) if EXTENSION.pattern.fullmatch(doc_id) else None
    if user is not None and user.get("pvt_account_id") == ctx.account_id:
        joined = await _user_callflow(ctx, doc_id)
        if joined is not None:
            return Destination(callflow=joined)
        return Destination(flow=await _user_flow(ctx, doc_id))
    callflow = await _document(ctx, CALLFLOWS, EXTENSION, target)
    if _root(callflow)[0] not in EXTENSION_MODULES:
        raise invalid_field(TARGET, "not_found", EXTENSION.not_found(target).message)
    return Destination(callflow=callflow)


async def _ring_group(ctx: Context, target: str) -> Destination:
    if target.startswith(CALL_FLOW.prefix):
        callflow = await _document(ctx, CALLFLOWS, CALL_FLOW, target)
        if _root(callflow)[0] not in RING_MODULES:
            message = f"Call flow {target[:80]} does not ring a group"
            raise invalid_field(TARGET, "not_found", message)
        return Destination(callflow=callflow)
    group = await _document(ctx, "groups", RING_GROUP, target)
    endpoints = [{"id": group["id"], "endpoint_type": "group"}]
    data = {"endpoints": endpoints, "strategy": "simultaneous", "timeout": 20}
    return Destination(flow={"module": "ring_group", "data": data})


async def _flow_of_one(ctx: Context, kind: str, prefix: IdPrefix, module: str, target: str) -> Doc:
    doc = await _document(ctx, kind, prefix, target)
    return {"module": module, "data": {"id": doc["id"]}}


def _external(routing: Doc) -> Destination:
    raw = routing.get("externalNumber")
    field = "routing.externalNumber"
    if not isinstance(raw, str):
        raise invalid_field(field, "required", "An external routing needs externalNumber")
    if routing.get("targetId") is not None:
        raise invalid_field(TARGET, "not_allowed", "An external routing takes no targetId")
    try:
        number = normalize(raw)
    except NumberError:
        raise invalid_field(field, "pattern", "externalNumber must be an E.164 number") from None
    return Destination(flow={"module": "resources", "data": {"to_did": number}})


async def destination(ctx: Context, routing: Any) -> Destination:
    """The routing a client asked for, checked against the account; 400 VALIDATION_ERROR
    naming `routing.<field>` for anything wrong (null, or a null type: unrouted)."""
    if routing is None:
        return Destination()
    if not isinstance(routing, dict):
        raise invalid_field("routing", "type", "routing must be an object or null")
    unknown = sorted(set(routing) - set(ROUTING_FIELDS))
    if unknown:
        raise invalid_field(f"routing.{unknown[0]}", "unknown", "Unknown field")
    kind = routing.get("type")
    if kind is None:
        return Destination()
    if kind not in ROUTING_TYPES:
        raise invalid_field(
            "routing.type", "enum", f"type must be one of {', '.join(ROUTING_TYPES)}"
        )
    if kind == "external":
        return _external(routing)
    target = routing.get("targetId")
    if not isinstance(target, str):
        raise invalid_field(TARGET, "required", f"A {kind} routing needs targetId")
    if kind == "extension":
        return await _extension(ctx, target)
    if kind == "ring-group":
        return await _ring_group(ctx, target)
    if kind == "call-flow":
        return Destination(callflow=await _document(ctx, CALLFLOWS, CALL_FLOW, target))
    if kind == "call-queue":
        return Destination(
            flow=await _flow_of_one(ctx, "queues", CALL_QUEUE, "acdc_member", target)
        )
    return Destination(flow=await _flow_of_one(ctx, "vmboxes", VOICEMAIL, "voicemail", target))

"""`/v1/pbx/call-flows`: Kazoo callflows (numbers and patterns routed to a tree of flow nodes,
shown as Kazoo stores it), written through the same path as `/v2/accounts/{A}/callflows`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gateway.crossbar.claims import CLAIMS, Claim
from gateway.crossbar.clock import iso_time
from gateway.crossbar.context import Context
from gateway.crossbar.documents import Doc
from gateway.crossbar.errors import InvalidData
from gateway.crossbar.merge import public
from gateway.crossbar.write import remove, save
from gateway.dialects.dodev.body import refuse_unknown
from gateway.dialects.dodev.endpoint import Answer, Call, Endpoint
from gateway.dialects.dodev.errors import PbxError, invalid_field, translated
from gateway.dialects.dodev.ids import CALL_FLOW
from gateway.dialects.dodev.pages import cursor_page
from gateway.resources.callflows import CALLFLOW_DOCS, CALLFLOWS

# The writable fields, named as the callflow document names them.
FIELDS = ("name", "numbers", "patterns", "flow")
FLOW = "flow"
# The claims that keep a callflow's numbers (patterns) unique in its account, by path.
CLAIMED = {claim.path: claim for claim in CALLFLOW_DOCS.claims}


def call_flow_of(doc: Doc) -> Doc:
    """A callflow as this dialect shows it: its flow tree as Kazoo keeps it."""
    return {
        "id": CALL_FLOW.public(doc["id"]),
        "name": doc.get("name"),
        "numbers": list(doc.get("numbers") or []),
        "patterns": list(doc.get("patterns") or []),
        "flow": doc.get(FLOW),
        "createdAt": iso_time(doc.get("pvt_created")),
        "updatedAt": iso_time(doc.get("pvt_modified")),
    }


async def holders(ctx: Context, path: str, values: Iterable[str]) -> dict[str, Doc]:
    """The callflow of the account holding each of `values` (numbers or patterns), in two
    reads: the claims that keep them unique (by id), then the callflows named there."""
    wanted = set(values)
    if not wanted:
        return {}
    claim: Claim = CLAIMED[path]
    scope = {"pvt_account_id": ctx.account_id}
    keys = sorted(claim.key(scope, value) for value in wanted)
    held = await ctx.store.find(CLAIMS, {"id": {"$in": keys}})
    owners = sorted({str(record["owner_id"]) for record in held})
    if not owners:
        return {}
    query = {"id": {"$in": owners}, "pvt_account_id": ctx.account_id}
    found: dict[str, Doc] = {}
    for callflow in await ctx.store.find(CALLFLOWS, query):
        # A claim left by a crash names a callflow that no longer lists the value.
        found.update((value, callflow) for value in claim.values(callflow) if value in wanted)
    return found


async def in_use(ctx: Context, err: InvalidData) -> PbxError | None:
    """409 NUMBER_IN_USE (or PATTERN_IN_USE) for a callflow save refused because another
    callflow of the account holds one of its numbers (patterns), naming that callflow."""
    for path, code in (("numbers", "NUMBER_IN_USE"), ("patterns", "PATTERN_IN_USE")):
        unique = (err.data.get(path) or {}).get("unique")
        if not isinstance(unique, dict):
            continue
        value = str(unique.get("cause"))
        holder = (await holders(ctx, path, [value])).get(value)
        held_by = CALL_FLOW.public(holder["id"]) if holder is not None else None
        thing = "Number" if path == "numbers" else "Pattern"
        message = f"{thing} {value[:80]} is already in call flow {held_by or 'another call flow'}"
        extra = {"number" if path == "numbers" else "pattern": value, "callFlowId": held_by}
        return PbxError(409, code, message, extra)
    return None


def _checked(changes: Any) -> Doc:
    """The body: an object of known fields whose `flow`, if given, is not null."""
    if not isinstance(changes, dict):
        raise invalid_field("body", "type", "The body must be a JSON object")
    refuse_unknown(changes, FIELDS)
    if FLOW in changes and changes[FLOW] is None:
        raise invalid_field(FLOW, "required", "flow is required")
    return changes


async def _save(call: Call, data: Doc, old: Doc | None) -> Doc:
    """Save through the callflows' hooks and claims; a number (pattern) another callflow
    holds is 409 NUMBER_IN_USE (PATTERN_IN_USE), other refusals 400 naming each field."""
    try:
        return await save(call.ctx, CALLFLOW_DOCS, data, old)
    except InvalidData as err:
        raise (await in_use(call.ctx, err) or translated(err)) from None


async def list_call_flows(call: Call) -> Answer:
    """GET: a page of the account's callflows (by id)."""
    return await cursor_page(call, CALLFLOWS, "callFlows", call_flow_of)


async def read_call_flow(call: Call) -> Answer:
    """GET one callflow."""
    return Answer(call_flow_of(await CALL_FLOW.load(call, CALLFLOW_DOCS, call.params["id"])))


async def create_call_flow(call: Call) -> Answer:
    """POST: a new callflow (`flow` and a number or pattern required, as Kazoo's schema
    says); 201."""
    changes = _checked(call.body)
    if FLOW not in changes:
        raise invalid_field(FLOW, "required", "flow is required")
    data = {name: value for name, value in changes.items() if value is not None}
    return Answer(call_flow_of(await _save(call, data, None)), status=201)


async def patch_call_flow(call: Call) -> Answer:
    """PATCH: the given fields over the stored callflow (`flow` replaces the whole tree;
    null clears `name`, `numbers` or `patterns`); other Kazoo keys are kept."""
    old = await CALL_FLOW.load(call, CALLFLOW_DOCS, call.params["id"])
    changes = _checked(call.body)
    if not changes:
        return Answer(call_flow_of(old))
    merged = {k: v for k, v in public(old).items() if k not in CALLFLOW_DOCS.hidden}
    for name, value in changes.items():
        if value is None:
            merged.pop(name, None)
        else:
            merged[name] = value
    return Answer(call_flow_of(await _save(call, merged, old)))


async def delete_call_flow(call: Call) -> Answer:
    """DELETE: 204; its numbers are free for other callflows."""
    doc = await CALL_FLOW.load(call, CALLFLOW_DOCS, call.params["id"])
    await remove(call.ctx, CALLFLOW_DOCS, doc)
    return Answer(status=204)


ENDPOINTS = (
    Endpoint("GET", "call-flows", "pbx:call-flows:read", list_call_flows),
    Endpoint("GET", "call-flows/{id}", "pbx:call-flows:read", read_call_flow),
    Endpoint("POST", "call-flows", "pbx:call-flows:write", create_call_flow),
    Endpoint("PATCH", "call-flows/{id}", "pbx:call-flows:write", patch_call_flow),
    Endpoint("DELETE", "call-flows/{id}", "pbx:call-flows:write", delete_call_flow),
)

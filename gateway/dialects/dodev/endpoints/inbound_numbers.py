"""`/v1/pbx/inbound-numbers`: the account's Kazoo `phone_numbers`, each with the routing the
callflow carrying it gives, provisioned and released as `/v2/accounts/{A}/phone_numbers/{N}`
does it; `did_` + the number's digits is its id (`+12395551234` is `did_12395551234`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from gateway.crossbar.clock import iso_time
from gateway.crossbar.documents import BY_ACCOUNT, Doc, Listing
from gateway.crossbar.errors import InvalidData
from gateway.dialects.dodev.body import refuse_unknown
from gateway.dialects.dodev.endpoint import Answer, Call, Endpoint
from gateway.dialects.dodev.endpoints.call_flows import holders, in_use
from gateway.dialects.dodev.endpoints.number_moves import carrier, route_number, unroute
from gateway.dialects.dodev.endpoints.routing import (
    ROUTING_TYPES,
    destination,
    routing_of,
)
from gateway.dialects.dodev.errors import PbxError, invalid_field, translated
from gateway.dialects.dodev.ids import INBOUND_NUMBER
from gateway.dialects.dodev.pages import cursor_page
from gateway.resources.numbers import (
    PHONE_NUMBERS,
    STATE,
    NumberError,
    create_number,
    normalize,
    release_number,
)

ITEMS = "inboundNumbers"
ROUTING = "routing"
# The states a number may be provisioned in (Kazoo's names); in service unless asked.
PROVISION_STATES = ("in_service", "reserved")
UNROUTED = "unrouted"
STATS_BATCH = 200
T = TypeVar("T")


def did_of(number: str) -> str:
    """The id of an E.164 number."""
    return INBOUND_NUMBER.public(number.removeprefix("+"))


def number_of(doc: Doc, callflow: Doc | None) -> Doc:
    """A number as this dialect shows it, routed by `callflow` (the one carrying it)."""
    return {
        "id": did_of(doc["id"]),
        "number": doc["id"],
        "status": doc.get(STATE),
        ROUTING: routing_of(callflow),
        "createdAt": iso_time(doc.get("pvt_created")),
    }


async def _load(call: Call) -> Doc:
    """The account's number behind the path's id, or 404 NUMBER_NOT_FOUND."""
    public_id = call.params["id"]
    number = "+" + INBOUND_NUMBER.document_id(public_id)
    doc = await call.ctx.store.get(PHONE_NUMBERS, number)
    if doc is None or doc.get("pvt_account_id") != call.account_id:
        raise INBOUND_NUMBER.not_found(public_id)
    return doc


async def _kazoo(call: Call, step: Awaitable[T]) -> T:
    """A callflow write: a number another callflow holds is 409 NUMBER_IN_USE, any other
    refusal in this dialect's shape."""
    try:
        return await step
    except InvalidData as err:
        raise (await in_use(call.ctx, err) or translated(err)) from None


async def _compensated(call: Call, step: Awaitable[T], undo: Callable[[], Awaitable[Any]]) -> T:
    """`step`, with `undo` run when it fails."""
    try:
        return await _kazoo(call, step)
    except Exception:
        await undo()
        raise


async def list_numbers(call: Call) -> Answer:
    """GET: a page of the account's numbers (by number), each with its routing (two more
    reads per page: the claims on the numbers, the callflows holding them)."""
    page = await cursor_page(call, PHONE_NUMBERS, ITEMS, dict)
    docs = page.body[ITEMS]
    carriers = await holders(call.ctx, "numbers", [doc["id"] for doc in docs])
    page.body[ITEMS] = [number_of(doc, carriers.get(doc["id"])) for doc in docs]
    return page


async def read_number(call: Call) -> Answer:
    """GET one number."""
    doc = await _load(call)
    return Answer(number_of(doc, await carrier(call.ctx, doc["id"])))


async def number_stats(call: Call) -> Answer:
    """GET stats: the account's numbers by status and by routing type, read in batches."""
    statuses: Counter[str] = Counter()
    routes = Counter(dict.fromkeys((*ROUTING_TYPES, UNROUTED), 0))
    batch: list[Doc] = []

    async def count() -> None:
        carriers = await holders(call.ctx, "numbers", [doc["id"] for doc in batch])
        for doc in batch:
            statuses[str(doc.get(STATE))] += 1
            routes[routing_of(carriers.get(doc["id"]))["type"] or UNROUTED] += 1
        batch.clear()

    query = {BY_ACCOUNT.field: Listing.bounds(call.account_id)}
    async for doc in call.ctx.store.each(PHONE_NUMBERS, query, batch_size=STATS_BATCH):
        batch.append(doc)
        if len(batch) >= STATS_BATCH:
            await count()
    await count()
    return Answer(
        {
            "total": statuses.total(),
            "byStatus": dict(sorted(statuses.items())),
            "byRoutingType": dict(routes),
        }
    )


def _number(body: Doc) -> str:
    raw = body.get("number")
    if not isinstance(raw, str):
        raise invalid_field("number", "required", "number is required: an E.164 number")
    try:
        return normalize(raw)
    except NumberError:
        raise invalid_field("number", "pattern", "number must be an E.164 number") from None


async def provision_number(call: Call) -> Answer:
    """POST: add a number to the account (in service, or `status: reserved`), routed at once
    when `routing` is given (else as any callflow made before it routes it); 201. A routing
    that fails releases the number again."""
    body = call.json_object()
    refuse_unknown(body, ("number", "status", ROUTING))
    number = _number(body)
    status = body.get("status", PROVISION_STATES[0])
    if status not in PROVISION_STATES:
        raise invalid_field(
            "status", "enum", f"status must be one of {', '.join(PROVISION_STATES)}"
        )
    to = await destination(call.ctx, body[ROUTING]) if ROUTING in body else None
    try:
        doc = await create_number(call.ctx, number, {"create_with_state": status})
    except NumberError as err:
        if err.status != 409:
            raise
        raise PbxError(409, "NUMBER_EXISTS", f"Number {number} is already provisioned") from None
    if to is None:
        # A callflow made before the number may already route it.
        return Answer(number_of(doc, await carrier(call.ctx, number)), status=201)
    routed = await _compensated(
        call, route_number(call.ctx, number, to), lambda: release_number(call.ctx, number)
    )
    return Answer(number_of(doc, routed), status=201)


async def route(call: Call) -> Answer:
    """PATCH `routing`: the number moves to the callflow of its new target (null: none), so
    it stays in at most one callflow."""
    doc = await _load(call)
    body = call.json_object()
    refuse_unknown(body, (ROUTING,))
    if ROUTING not in body:
        return Answer(number_of(doc, await carrier(call.ctx, doc["id"])))
    to = await destination(call.ctx, body[ROUTING])
    routed = await _kazoo(call, route_number(call.ctx, doc["id"], to))
    return Answer(number_of(doc, routed))


async def release(call: Call) -> Answer:
    """DELETE: the number leaves its callflow and the account (free for any account); 204."""
    doc = await _load(call)
    number = doc["id"]
    undo = await _kazoo(call, unroute(call.ctx, number, await carrier(call.ctx, number)))
    await _compensated(call, release_number(call.ctx, number), undo)
    return Answer(status=204)


ENDPOINTS = (
    Endpoint("GET", "inbound-numbers", "pbx:dids:read", list_numbers),
    Endpoint("GET", "inbound-numbers/stats", "pbx:dids:read", number_stats),
    Endpoint("GET", "inbound-numbers/{id}", "pbx:dids:read", read_number),
    Endpoint("POST", "inbound-numbers", "pbx:dids:write", provision_number),
    Endpoint("PATCH", "inbound-numbers/{id}", "pbx:dids:write", route),
    Endpoint("DELETE", "inbound-numbers/{id}", "pbx:dids:write", release),
)

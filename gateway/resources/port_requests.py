"""port_requests: numbers an account asks to port in, kept as documents through their states."""

from __future__ import annotations

from gateway.crossbar.context import Context, Page, Reply
from gateway.crossbar.crud import document_handlers
from gateway.crossbar.documents import BY_ACCOUNT, Doc, Documents, Listing
from gateway.crossbar.errors import ApiError
from gateway.crossbar.merge import deep_merge, public
from gateway.crossbar.resource import ID, Resource, Route
from gateway.crossbar.write import check_if_match, load_scoped, request_data, save
from gateway.resources.callflows import to_e164
from gateway.resources.port_rules import editable, portable, prepare
from gateway.resources.port_states import (
    AUTHORITY,
    FROM_STATES,
    NUMBERS,
    PORT_REQUESTS,
    STATES,
    TRANSITIONS,
    account_name,
    current_state,
    deletable,
    is_authority,
    move_state,
    new_request,
)
from gateway.store import Index
from schemas.port_requests import PortRequestSchema

ACTIVE = ("unconfirmed", "submitted", "pending", "scheduled", "rejected")
BY_TYPES = {
    "active": ACTIVE,
    "all": STATES,
    "progressing": ("submitted", "pending", "scheduled"),
    "suspended": ("unconfirmed", "rejected"),
    "completed": ("completed", "canceled"),
}
SUBTREE = "descendants"


class InvalidTypes(ApiError):
    """Kazoo answers unknown `by_types` values with a 500 invalid_request."""

    message = "invalid_request"

    def __init__(self, wrong: list[str]) -> None:
        text = "query string by_types contained invalid values: " + ", ".join(wrong)
        super().__init__({"message": text})


def _state_scope(doc: Doc) -> str | None:
    account = doc.get("pvt_account_id")
    return f"{account}/{current_state(doc)}" if account else None


# Kazoo's listing_by_state view: [account, state, modified].
BY_STATE = Listing("pvt_by_state", _state_scope)


def _without_private_comments(ctx: Context, shown: Doc, stored: Doc) -> Doc:
    """Private comments are for the port authority's eyes."""
    if "comments" in shown and not is_authority(ctx, stored):
        shown["comments"] = [c for c in shown["comments"] or [] if not c.get("is_private")]
    return shown


def present(ctx: Context, shown: Doc, stored: Doc) -> Doc:
    """Kazoo's public fields: dates, uploads, state and `_read_only` from private keys."""
    read_only = {
        "account_id": stored.get("pvt_account_id"),
        "account_name": stored.get("pvt_account_name"),
        "port_authority": stored.get(AUTHORITY),
        "port_authority_name": stored.get("pvt_port_authority_name"),
        "ported_numbers": stored.get("pvt_ported_numbers"),
    }
    shown.update(
        created=stored.get("pvt_created"),
        updated=stored.get("pvt_modified"),
        uploads={},
        port_state=current_state(stored),
        sent=stored.get("pvt_sent") is True,
    )
    shown["_read_only"] = {key: value for key, value in read_only.items() if value is not None}
    return _without_private_comments(ctx, shown, stored)


PORT_DOCS = Documents(
    kind=PORT_REQUESTS,
    schema=PortRequestSchema,
    row=lambda doc: {"id": doc["id"]},
    sort_value=lambda doc: f"{doc.get('pvt_modified', 0):012d}",
    before_save=(editable, prepare, portable, new_request, move_state),
    before_delete=(deletable,),
    present=present,
    listings=(BY_ACCOUNT, BY_STATE),
    # nx-27017 matches an indexed array field's members with `$in` only, not with a plain
    # equality (measured): queries on these two say `{"$in": [value]}`.
    extra_indexes=(
        Index(PORT_REQUESTS, "port_requests_numbers", (NUMBERS,)),
        Index(PORT_REQUESTS, "port_requests_tree", ("pvt_tree",)),
    ),
)


def row(ctx: Context, doc: Doc) -> Doc:
    """A listing row: the public fields plus the account (Kazoo leaks it from the doc)."""
    return {**PORT_DOCS.show(ctx, doc), "account_id": doc.get("pvt_account_id")}


def wanted_states(ctx: Context) -> tuple[str, ...]:
    """The states `by_types` asks for (default the active ones)."""
    raw = ctx.param("by_types")
    if raw is None:
        return ACTIVE
    text = ",".join(raw) if isinstance(raw, list) else str(raw)
    if text in BY_TYPES:
        return BY_TYPES[text]
    types = [part.strip() for part in text.split(",")]
    wrong = [part for part in types if part not in STATES]
    if wrong:
        raise InvalidTypes(wrong)
    return tuple(types)


async def _in_state(ctx: Context, account_id: str, state: str) -> list[Doc]:
    """An account's requests in one state, newest change first."""
    scope = f"{account_id}/{state}"
    query = {BY_STATE.field: Listing.bounds(scope)}
    limit = ctx.settings.unpaginated_max
    return await ctx.store.find(
        PORT_REQUESTS, query, sort=BY_STATE.field, descending=True, limit=limit
    )


def _in_subtree(ctx: Context) -> bool:
    return ctx.parents.get("accounts", ())[1:] == (SUBTREE,)


async def _grouped(ctx: Context, docs: list[Doc]) -> list[Doc]:
    """Kazoo's listing: one entry per account with its requests."""
    groups: dict[str, list[Doc]] = {}
    for doc in docs:
        groups.setdefault(doc["pvt_account_id"], []).append(row(ctx, doc))
    return [
        {
            "account_id": account_id,
            "account_name": await account_name(ctx, account_id) or "unknown",
            "port_requests": rows,
        }
        for account_id, rows in groups.items()
    ]


async def by_number(ctx: Context, number: str) -> Reply:
    """Requests naming `number` in this account or below it."""
    account_id = ctx.path_account_id
    found = await ctx.store.find(PORT_REQUESTS, {NUMBERS: {"$in": [to_e164(number.strip())]}})
    rows = [
        row(ctx, doc)
        for doc in sorted(found, key=lambda doc: doc["id"], reverse=True)
        if doc.get("pvt_account_id") == account_id or account_id in doc.get("pvt_tree", [])
    ]
    return Reply(rows, page=Page(page_size=len(rows)))


async def list_requests(ctx: Context) -> Reply:
    """`GET port_requests` (or under `descendants/`): by number, else grouped by account."""
    number = ctx.param("by_number")
    if isinstance(number, str) and number:
        return await by_number(ctx, number)
    states = wanted_states(ctx)
    if _in_subtree(ctx):
        below = await ctx.store.find(PORT_REQUESTS, {"pvt_tree": {"$in": [ctx.path_account_id]}})
        newest = sorted(below, key=lambda doc: (doc["pvt_modified"], doc["id"]), reverse=True)
        docs = [doc for state in states for doc in newest if current_state(doc) == state]
    else:
        docs = [
            doc for state in states for doc in await _in_state(ctx, ctx.path_account_id, state)
        ]
    return Reply(await _grouped(ctx, docs))


def timeline_of(ctx: Context, doc: Doc) -> list[Doc]:
    """Comments the caller may see and state changes, oldest first."""
    shown = _without_private_comments(ctx, {"comments": doc.get("comments") or []}, doc)
    # Transitions are kept newest first; oldest first, ties in the same second keep order.
    entries = [*shown["comments"], *reversed(doc.get(TRANSITIONS) or [])]
    return sorted(entries, key=lambda entry: entry.get("timestamp") or 0)


async def timeline(ctx: Context) -> Reply:
    """`GET port_requests/{id}/timeline`."""
    return Reply(timeline_of(ctx, await load_scoped(ctx, PORT_DOCS, ctx.args[0])))


async def last_submitted(ctx: Context) -> Reply:
    """Submitted requests not yet sent, each with its latest move to `submitted`."""
    found = await _in_state(ctx, ctx.path_account_id, "submitted")
    rows = []
    for doc in sorted(found, key=lambda doc: doc["id"], reverse=True):
        moves = [
            entry
            for entry in timeline_of(ctx, doc)
            if (entry.get("transition") or {}).get("new") == "submitted"
        ]
        if moves and doc.get("pvt_sent") is not True:
            rows.append({"id": doc["id"], "transition": moves[-1]})
    return Reply(rows)


async def change_state(ctx: Context) -> Reply:
    """`PATCH port_requests/{id}/{state}`: merge the body, then move the request."""
    old = await load_scoped(ctx, PORT_DOCS, ctx.args[0])
    check_if_match(ctx, old)
    saved = await save(ctx, PORT_DOCS, deep_merge(public(old), request_data(ctx)), old)
    revision = saved["_rev"]
    return Reply(PORT_DOCS.show(ctx, saved), revision=revision, headers={"ETag": f'"{revision}"'})


_HANDLERS = document_handlers(PORT_DOCS)


PORT_REQUESTS_RESOURCE = Resource(
    name=PORT_REQUESTS,
    routes=(
        Route((), {"GET": list_requests, "PUT": _HANDLERS["0:PUT"]}),
        Route(("last_submitted",), {"GET": last_submitted}),
        Route(
            (ID,),
            {verb: _HANDLERS[f"1:{verb}"] for verb in ("GET", "POST", "PATCH", "DELETE")},
        ),
        *(Route((ID, state), {"PATCH": change_state}) for state in FROM_STATES),
        Route((ID, "timeline"), {"GET": timeline}),
    ),
    parents=frozenset({SUBTREE}),
    indexes=PORT_DOCS.indexes(),
    schema=PortRequestSchema,
    documents=PORT_DOCS,
)

"""Callflows: numbers and patterns routed to a tree of flow nodes."""

from __future__ import annotations

import re

from gateway.crossbar.claims import Claim
from gateway.crossbar.context import Context, Reply
from gateway.crossbar.crud import document_handlers
from gateway.crossbar.documents import Doc, Documents
from gateway.crossbar.errors import invalid
from gateway.crossbar.resource import ID, Resource, Route
from gateway.resources.callflow_refs import check_references, metadata, modules
from gateway.resources.number_usage import free_numbers, mark_numbers
from schemas.callflows import CallflowSchema

CALLFLOWS = "callflows"
NUMBER_OR_PATTERN = "Callflows must be assigned at least one number or pattern"
# Kazoo's default e164_converters, tried in order; the last capture gets the prefix.
E164_CONVERTERS = (
    (re.compile(r"^(\+?1)?([2-9][0-9]{2}[2-9][0-9]{6})$"), "+1"),
    (re.compile(r"^011(\d{5,})$|^00(\d{5,})$"), "+"),
    (re.compile(r"^([2-9]\d{7,})$"), "+"),
)


def to_e164(number: str) -> str:
    """A DID-like number in E.164; extensions and '+' numbers unchanged."""
    if number.startswith("+"):
        return number
    for pattern, prefix in E164_CONVERTERS:
        match = pattern.match(number)
        if match:
            root = [group for group in match.groups() if group is not None][-1]
            return prefix + root
    return number


async def require_number_or_pattern(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """At least one number or pattern."""
    if not doc.get("numbers") and not doc.get("patterns"):
        raise invalid("numbers", "required", NUMBER_OR_PATTERN)
    return doc


async def normalise_numbers(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """DID-like numbers are stored in E.164 (Kazoo validates the normalised list)."""
    numbers = [to_e164(number) for number in doc.get("numbers", [])]
    if len(set(numbers)) != len(numbers):
        raise invalid("numbers", "uniqueItems", "List of items is not unique", value=numbers)
    doc["numbers"] = numbers
    return doc


def _taken(what: str) -> Claim:
    """A per-account claim on each of a callflow's numbers (or patterns)."""
    return Claim(
        name=f"callflow_{what}",
        path=what,
        values=lambda doc: [value for value in doc.get(what) or [] if isinstance(value, str)],
        # Kazoo: "<Kind> <value> exists in callflow <id> <name>" (name may be empty).
        message=lambda value, owner: (
            f"{what[:-1].title()} {value} exists in callflow {owner['id']} "
            f"{owner.get('name') or ''}"
        ),
    )


def callflow_row(doc: Doc) -> Doc:
    """A row of the callflows listing (Kazoo's crossbar_listing view)."""
    row: Doc = {"id": doc["id"]}
    for key in ("name", "type"):
        if doc.get(key) is not None:
            row[key] = doc[key]
    row["numbers"] = doc.get("numbers") or []
    row["patterns"] = doc.get("patterns") or []
    row["featurecode"] = doc.get("featurecode") or False
    for key in ("owner_id", "group_id"):
        if doc.get(key) is not None:
            row[key] = doc[key]
    row["modules"] = modules(doc.get("flow"))
    row["flags"] = doc.get("flags") or []
    return row


CALLFLOW_DOCS = Documents(
    kind=CALLFLOWS,
    schema=CallflowSchema,
    row=callflow_row,
    before_save=(require_number_or_pattern, normalise_numbers, check_references),
    claims=(_taken("numbers"), _taken("patterns")),
    after_save=(mark_numbers,),
    after_delete=(free_numbers,),
)


def _routes() -> tuple[Route, ...]:
    handlers = document_handlers(CALLFLOW_DOCS)
    read = handlers["1:GET"]

    async def read_with_metadata(ctx: Context) -> Reply:
        reply = await read(ctx)
        reply.data["metadata"] = await metadata(ctx, reply.data.get("flow"))
        return reply

    return (
        Route((), {"GET": handlers["0:GET"], "PUT": handlers["0:PUT"]}),
        Route(
            (ID,),
            {
                "GET": read_with_metadata,
                "POST": handlers["1:POST"],
                "PATCH": handlers["1:PATCH"],
                "DELETE": handlers["1:DELETE"],
            },
        ),
    )


CALLFLOWS_RESOURCE = Resource(
    name=CALLFLOWS,
    routes=_routes(),
    indexes=CALLFLOW_DOCS.indexes(),
    schema=CallflowSchema,
    documents=CALLFLOW_DOCS,
)

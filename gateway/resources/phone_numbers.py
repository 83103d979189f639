"""phone_numbers: list, add, update, release and change the state of an account's numbers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from gateway.crossbar.context import Context, Reply
from gateway.crossbar.documents import BY_ACCOUNT, Doc
from gateway.crossbar.errors import ApiError, InvalidData, invalid
from gateway.crossbar.listing import list_page
from gateway.crossbar.resource import ID, Handler, Resource, Route
from gateway.resources.classifiers import classify_number, list_classifiers
from gateway.resources.numbers import (
    NUMBER_DOCS,
    PHONE_NUMBERS,
    NumberError,
    NumberNotFound,
    change_state,
    create_number,
    load_number,
    normalize,
    public_data,
    release_number,
    update_number,
)
from schemas.phone_numbers import PhoneNumberSchema

COLLECTION = "collection"
Operation = Callable[[Context, str, Doc], Awaitable[Doc]]


async def list_numbers(ctx: Context) -> Reply:
    """GET phone_numbers: Kazoo answers an object keyed by number, not an array."""
    reply = await list_page(ctx, PHONE_NUMBERS, BY_ACCOUNT, ctx.path_account_id, NUMBER_DOCS.row)
    numbers = {row.pop("number"): row for row in reply.data}
    reply.data = {"numbers": numbers, "cascade_quantity": 0}
    return reply


def _shown(ctx: Context, doc: Doc, status: int = 200) -> Reply:
    return Reply(NUMBER_DOCS.show(ctx, doc), status=status, revision=doc.get("_rev"))


async def read(ctx: Context) -> Reply:
    """GET phone_numbers/{N}."""
    return _shown(ctx, await load_number(ctx, normalize(ctx.args[0])))


async def add(ctx: Context) -> Reply:
    """PUT phone_numbers/{N}: add the number to this account."""
    number = normalize(ctx.args[0])
    return _shown(ctx, await create_number(ctx, number, public_data(ctx.data)), 201)


async def replace(ctx: Context) -> Reply:
    """POST phone_numbers/{N}: replace the public fields (features)."""
    number = normalize(ctx.args[0])
    return _shown(ctx, await update_number(ctx, number, public_data(ctx.data), merge=False))


async def patch(ctx: Context) -> Reply:
    """PATCH phone_numbers/{N}: merge into the public fields."""
    number = normalize(ctx.args[0])
    return _shown(ctx, await update_number(ctx, number, public_data(ctx.data), merge=True))


async def release(ctx: Context) -> Reply:
    """DELETE phone_numbers/{N}: free the number for any account."""
    return _shown(ctx, await release_number(ctx, normalize(ctx.args[0])))


def state_change(state: str) -> Handler:
    """PUT phone_numbers/{N}/activate|reserve."""

    async def handle(ctx: Context) -> Reply:
        return _shown(ctx, await change_state(ctx, normalize(ctx.args[0]), state), 201)

    return handle


def error_entry(err: ApiError, number: str) -> Doc:
    """A collection's per-number error, as Kazoo's number manager words it."""
    if isinstance(err, NumberError):
        return dict(err.data)
    if isinstance(err, NumberNotFound):
        return {
            "code": 404,
            "error": "not_found",
            "cause": number,
            "message": f"number {number} not found",
        }
    if isinstance(err, InvalidData):
        return {"code": 400, "error": "invalid", "cause": err.data, "message": "invalid"}
    return {"code": err.status, "error": err.message, "cause": number, "message": err.message}


def collection(operation: Operation, status: int = 200) -> Handler:
    """phone_numbers/collection: one operation per listed number -> {success, error}."""

    async def handle(ctx: Context) -> Reply:
        data = public_data(ctx.data)
        numbers = ctx.data.get("numbers") if isinstance(ctx.data, dict) else None
        if not isinstance(numbers, list) or not all(isinstance(n, str) for n in numbers):
            raise invalid("numbers", "required", "Field is required but missing", value="numbers")
        success: Doc = {}
        error: Doc = {}
        for raw in numbers:
            try:
                number = normalize(raw)
                success[number] = NUMBER_DOCS.show(ctx, await operation(ctx, number, data))
            except ApiError as err:
                error[raw] = error_entry(err, raw)
        return Reply({"success": success, "error": error}, status=status)

    return handle


async def _replace_one(ctx: Context, number: str, data: Doc) -> Doc:
    return await update_number(ctx, number, data, merge=False)


async def _patch_one(ctx: Context, number: str, data: Doc) -> Doc:
    return await update_number(ctx, number, data, merge=True)


async def _release_one(ctx: Context, number: str, data: Doc) -> Doc:
    return await release_number(ctx, number)


PHONE_NUMBERS_RESOURCE = Resource(
    name=PHONE_NUMBERS,
    routes=(
        Route((), {"GET": list_numbers}),
        Route(
            (ID,),
            {"GET": read, "PUT": add, "POST": replace, "PATCH": patch, "DELETE": release},
        ),
        Route(("classifiers",), {"GET": list_classifiers}),
        Route(("classifiers", ID), {"GET": classify_number}),
        Route((ID, "activate"), {"PUT": state_change("in_service")}),
        Route((ID, "reserve"), {"PUT": state_change("reserved")}),
        Route(
            (COLLECTION,),
            {
                "PUT": collection(create_number, 201),
                "POST": collection(_replace_one),
                "PATCH": collection(_patch_one),
                "DELETE": collection(_release_one),
            },
        ),
    ),
    indexes=NUMBER_DOCS.indexes(),
    schema=PhoneNumberSchema,
    documents=NUMBER_DOCS,
)

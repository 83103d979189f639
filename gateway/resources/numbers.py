"""Phone numbers: global documents keyed by E.164 number, each held by one account."""

from __future__ import annotations

import re
from typing import Any

from gateway.crossbar.context import Context
from gateway.crossbar.documents import Doc, Documents
from gateway.crossbar.errors import ApiError, InvalidData
from gateway.crossbar.merge import deep_merge, public
from gateway.crossbar.write import remove, save
from schemas.phone_numbers import PhoneNumberSchema

PHONE_NUMBERS = "phone_numbers"
STATE = "pvt_state"
USED_BY = "pvt_used_by"
# Kazoo: a number added without `create_with_state` is reserved.
DEFAULT_STATE = "reserved"
# Shown from private fields; a client's copy of them is ignored.
COMPUTED = ("state", "features", "used_by", "_read_only")
_E164 = re.compile(r"^\+[1-9][0-9]{1,14}$")


class NumberError(ApiError):
    """Kazoo's number-manager errors: {code, error, cause, message}."""

    def __init__(self, status: int, error: str, number: str, message: str) -> None:
        data = {"code": status, "error": error, "cause": number, "message": message}
        super().__init__(data, message=error)
        self.status = status


def number_exists(number: str) -> NumberError:
    """409 number_exists, whoever holds the number."""
    return NumberError(409, "number_exists", number, f"number {number} already exists")


class NumberNotFound(ApiError):
    """404 bad_identifier as cb_phone_numbers words it (never says who holds a number)."""

    status = 404
    message = "bad_identifier"

    def __init__(self) -> None:
        super().__init__(
            {"message": "bad identifier", "not_found": "The number could not be found"}
        )


def normalize(raw: str) -> str:
    """Kazoo's US-first E.164 conversion; 404 not_reconcilable when it cannot be one."""
    text = raw.strip()
    digits = text[1:] if text.startswith("+") else text
    if digits.isdigit() and digits.isascii() and not text.startswith("+"):
        if len(digits) == 10:
            digits = "1" + digits
        text = "+" + digits
    if not _E164.match(text):
        raise NumberError(404, "not_reconcilable", raw, f"number {raw} is not reconcilable")
    return text


def features(doc: Doc) -> list[str]:
    """Kazoo's feature names for the public feature settings of a number."""
    found = []
    cnam = doc.get("cnam") or {}
    if cnam.get("display_name"):
        found.append("outbound_cnam")
    if cnam.get("inbound_lookup"):
        found.append("inbound_cnam")
    if doc.get("e911"):
        found.append("e911")
    return found


def number_row(doc: Doc) -> Doc:
    """A listing row: the number and its summary (reshaped into an object by the handler)."""
    summary = {
        "state": doc.get(STATE),
        "features": features(doc),
        "assigned_to": doc.get("pvt_account_id"),
        "used_by": doc.get(USED_BY),
        "created": doc.get("pvt_created"),
        "updated": doc.get("pvt_modified"),
    }
    return {"number": doc["id"], **{k: v for k, v in summary.items() if v is not None}}


def _present(ctx: Context, shown: Doc, stored: Doc) -> Doc:
    extra = {"state": stored.get(STATE), "used_by": stored.get(USED_BY)}
    listed = features(stored)
    root = {k: v for k, v in extra.items() if v is not None}
    if listed:
        root["features"] = listed
    read_only = {
        "created": stored.get("pvt_created"),
        "modified": stored.get("pvt_modified"),
        "features": listed,
        **root,
    }
    return {**shown, **root, "_read_only": read_only}


async def _set_state(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    wanted = doc.pop("create_with_state", None)
    if old is None:
        doc[STATE] = wanted or DEFAULT_STATE
        # A number added after the callflow that routes it is already in use.
        routed = {"pvt_account_id": ctx.account_id, "numbers": doc["id"]}
        if await ctx.store.find_one("callflows", routed) is not None:
            doc[USED_BY] = "callflow"
    return doc


NUMBER_DOCS = Documents(
    kind=PHONE_NUMBERS,
    schema=PhoneNumberSchema,
    row=number_row,
    sort_value=lambda doc: str(doc["id"]),
    before_save=(_set_state,),
    present=_present,
)


def public_data(data: Any) -> Doc:
    """The public fields a client sent for a number, without the computed ones."""
    if not isinstance(data, dict):
        raise InvalidData({"data": {"type": {"message": "Value did not match type(s): object"}}})
    return {k: v for k, v in public(data).items() if k not in (*COMPUTED, "id", "numbers")}


async def load_number(ctx: Context, number: str) -> Doc:
    """This account's number, or 404 (also when another account holds it)."""
    doc = await ctx.store.get(PHONE_NUMBERS, number)
    if doc is None or doc.get("pvt_account_id") != ctx.account_id:
        raise NumberNotFound()
    return doc


async def create_number(ctx: Context, number: str, data: Doc) -> Doc:
    """Add a number to this account; 409 when any account already holds it."""
    if await ctx.store.get(PHONE_NUMBERS, number) is not None:
        raise number_exists(number)
    fields = {k: v for k, v in data.items() if k not in COMPUTED}
    try:
        return await save(ctx, NUMBER_DOCS, fields, None, create_id=number)
    except InvalidData as err:
        if "unique" in err.data.get("id", {}):
            raise number_exists(number) from None
        raise


async def update_number(ctx: Context, number: str, data: Doc, merge: bool) -> Doc:
    """Replace (POST) or merge (PATCH) a number's public fields."""
    old = await load_number(ctx, number)
    fields = {k: v for k, v in data.items() if k not in COMPUTED}
    if merge:
        fields = deep_merge(public(old), fields)
    return await save(ctx, NUMBER_DOCS, fields, old)


async def change_state(ctx: Context, number: str, state: str) -> Doc:
    """Move a number of this account to `state`."""
    old = await load_number(ctx, number)
    return await save(ctx, NUMBER_DOCS, public(old), {**old, STATE: state}, before=old)


async def release_number(ctx: Context, number: str) -> Doc:
    """Free a number everywhere; the reply shows it as available again."""
    doc = await load_number(ctx, number)
    await remove(ctx, NUMBER_DOCS, doc)
    return {**doc, STATE: "available"}

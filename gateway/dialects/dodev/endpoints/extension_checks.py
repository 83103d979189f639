"""The write path's and the number checks' refusals in this dialect's shape."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from gateway.crossbar.documents import Doc
from gateway.crossbar.errors import InvalidData
from gateway.dialects.dodev.endpoint import Call
from gateway.dialects.dodev.errors import PbxError, translated
from gateway.dialects.dodev.ids import CALL_FLOW
from gateway.extensions.numbers import NumberTaken, number_holder

# The parts' error paths, named as this dialect names them.
NAMES = {
    "first_name": "name",
    "last_name": "name",
    "presence_id": "number",
    "numbers": "number",
    "mailbox": "number",
    "caller_id.internal.name": "name",
    "caller_id.internal.number": "number",
    "caller_id.external.name": "callerIdName",
    "caller_id.external.number": "callerIdNumber",
    "call_forward.number": "forwardingNumber",
    "flow.data.timeout": "forwardingRingTimeout",
}


def number_in_use(number: str, callflow_id: str | None = None) -> PbxError:
    """409 NUMBER_IN_USE naming the number and the callflow holding it (null: a user or a box
    holds it)."""
    held_by = CALL_FLOW.public(callflow_id) if callflow_id else None
    extra = {"number": number, "callFlowId": held_by}
    return PbxError(409, "NUMBER_IN_USE", f"Number {number} is already in use", extra)


@asynccontextmanager
async def refusals(call: Call, number: str | None) -> AsyncIterator[None]:
    """The write path's refusals in this dialect's shape: a number or mailbox another document
    holds is NUMBER_IN_USE, anything else VALIDATION_ERROR naming our fields."""
    try:
        yield
    except NumberTaken as err:
        raise number_in_use(err.number, err.callflow_id) from None
    except InvalidData as err:
        taken = any("unique" in (err.data.get(path) or {}) for path in ("numbers", "mailbox"))
        if taken and number is not None:
            raise number_in_use(number, await number_holder(call.ctx, number)) from None
        raise translated(err, NAMES) from None


def extension_in_use(call: Call, callflow: Doc) -> PbxError:
    """409 EXTENSION_IN_USE: a callflow other than the extension's names a part that goes
    (Kazoo refuses those deletes)."""
    name = callflow.get("name") or callflow["id"]
    return PbxError(
        409,
        "EXTENSION_IN_USE",
        f"Extension {call.params['id'][:80]} is still used by callflow {name}; "
        "change or delete that callflow first",
        {"callFlowId": CALL_FLOW.public(callflow["id"])},
    )

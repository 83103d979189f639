"""A phone number routed by a callflow shows `used_by: "callflow"`, as in Kazoo."""

from __future__ import annotations

from gateway.crossbar.context import Context
from gateway.crossbar.documents import Doc
from gateway.crossbar.write import save
from gateway.resources.numbers import NUMBER_DOCS, PHONE_NUMBERS, USED_BY, public_data

CALLFLOW = "callflow"


def _numbers(doc: Doc | None) -> set[str]:
    return {number for number in (doc or {}).get("numbers", []) if number.startswith("+")}


async def _mark(ctx: Context, numbers: set[str], used_by: str | None) -> None:
    for number in sorted(numbers):
        held = await ctx.store.get(PHONE_NUMBERS, number)
        if held is None or held.get("pvt_account_id") != ctx.account_id:
            continue
        if held.get(USED_BY) != used_by:
            await save(
                ctx, NUMBER_DOCS, public_data(held), {**held, USED_BY: used_by}, before=held
            )


async def mark_numbers(ctx: Context, saved: Doc, old: Doc | None) -> None:
    """After a callflow save: its numbers are used by a callflow; dropped ones are free."""
    await _mark(ctx, _numbers(saved) - _numbers(old), CALLFLOW)
    await _mark(ctx, _numbers(old) - _numbers(saved), None)


async def free_numbers(ctx: Context, doc: Doc) -> None:
    """After a callflow delete: its numbers are no longer used."""
    await _mark(ctx, _numbers(doc), None)

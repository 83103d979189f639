"""Moving an inbound number between callflows (Kazoo lets a number be in one callflow only).

Leaving a callflow takes the number out of it, or deletes the callflow when the number was all
it carried (Kazoo keeps no callflow without a number or pattern); a number's own callflow is
changed in place when it only changes where it goes. Without transactions a move is checked
first (`routing.destination`) and each step done is undone if a later one fails.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from gateway.crossbar.context import Context
from gateway.crossbar.documents import Doc
from gateway.crossbar.merge import public
from gateway.crossbar.write import remove, save
from gateway.dialects.dodev.endpoints.call_flows import holders
from gateway.dialects.dodev.endpoints.routing import Destination
from gateway.resources.callflows import CALLFLOW_DOCS, CALLFLOWS

log = logging.getLogger(__name__)
Undo = Callable[[], Awaitable[None]]


async def carrier(ctx: Context, number: str) -> Doc | None:
    """The callflow carrying `number`, if any."""
    return (await holders(ctx, "numbers", [number])).get(number)


def _only_for(callflow: Doc, number: str) -> bool:
    """The callflow carries this number and nothing else (no other number, no pattern)."""
    return callflow.get("numbers") == [number] and not callflow.get("patterns")


async def _save(ctx: Context, data: Doc, old: Doc | None, create_id: str | None = None) -> Doc:
    fields = {k: v for k, v in public(data).items() if k not in CALLFLOW_DOCS.hidden}
    return await save(ctx, CALLFLOW_DOCS, fields, old, create_id=create_id)


async def _nothing() -> None:
    return None


def _guarded(ctx: Context, callflow_id: str, undo: Undo) -> Undo:
    """`undo`, whose own failure is logged (the error that made it run is the one reported)."""

    async def run() -> None:
        try:
            await undo()
        except Exception:
            log.exception(
                "could not restore callflow %s after a failed move (request %s)",
                callflow_id,
                ctx.request_id,
            )

    return run


async def unroute(ctx: Context, number: str, current: Doc | None) -> Undo:
    """Take `number` out of `current` (deleted when it carried only the number); what puts
    it back."""
    if current is None:
        return _nothing
    if _only_for(current, number):
        await remove(ctx, CALLFLOW_DOCS, current)

        async def recreate() -> None:
            await _save(ctx, current, None, create_id=current["id"])

        return _guarded(ctx, current["id"], recreate)
    numbers = list(current.get("numbers") or [])
    position = numbers.index(number)
    await _save(ctx, {**current, "numbers": [n for n in numbers if n != number]}, current)

    async def put_back() -> None:
        fresh = await ctx.store.get(CALLFLOWS, current["id"])
        if fresh is not None:
            restored = [n for n in fresh.get("numbers") or [] if n != number]
            restored.insert(min(position, len(restored)), number)
            await _save(ctx, {**fresh, "numbers": restored}, fresh)

    return _guarded(ctx, current["id"], put_back)


async def route_number(ctx: Context, number: str, to: Destination) -> Doc | None:
    """Move `number` to `to`; the callflow carrying it afterwards (None: unrouted)."""
    current = await carrier(ctx, number)
    if to.callflow is not None and current is not None and current["id"] == to.callflow["id"]:
        return current
    if to.flow is not None and current is not None and _only_for(current, number):
        # The number's own callflow: its flow is changed in place, in one write.
        if current.get("flow") == to.flow:
            return current
        return await _save(ctx, {**current, "flow": to.flow}, current)
    undo = await unroute(ctx, number, current)
    try:
        if to.callflow is not None:
            joined = to.callflow
            numbers = [*(joined.get("numbers") or []), number]
            return await _save(ctx, {**joined, "numbers": numbers}, joined)
        if to.flow is not None:
            own = {"name": f"Inbound {number}", "numbers": [number], "flow": to.flow}
            return await _save(ctx, own, None)
        return None
    except Exception:
        await undo()
        raise

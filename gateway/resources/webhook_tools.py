"""Webhook tools: attempts, secret rotation, a signed test, redelivery, samples."""

from __future__ import annotations

import time
from typing import Any

from gateway.crossbar.context import Context, Reply
from gateway.crossbar.errors import NotFound
from gateway.crossbar.listing import list_page
from gateway.crossbar.merge import public
from gateway.crossbar.resource import ID, Route
from gateway.crossbar.write import load_scoped, save
from gateway.events.stream import EVENTS
from gateway.keys import WEBHOOK_SENDER
from gateway.resources.webhook_docs import SECRET, WEBHOOK_DOCS
from gateway.webhooks.attempts import ATTEMPTS, BY_ACCOUNT, BY_HOOK, attempt_row
from gateway.webhooks.matching import deliveries_for
from gateway.webhooks.payloads import OBJECT, SAMPLES, samples_for
from gateway.webhooks.pending import DELIVERIES
from gateway.webhooks.signing import new_secret

# While both sign after a rotation, receivers move to the new secret.
ROTATION_OVERLAP_SECONDS = 86_400


async def list_attempts(ctx: Context) -> Reply:
    """`webhooks/attempts` (the account's) and `webhooks/{W}/attempts`, newest first."""
    if ctx.args[0] == "attempts":
        return await list_page(ctx, ATTEMPTS, BY_ACCOUNT, str(ctx.account_id), attempt_row)
    hook = await load_scoped(ctx, WEBHOOK_DOCS, ctx.args[0])
    scope = f"{ctx.account_id}/{hook['id']}"
    return await list_page(ctx, ATTEMPTS, BY_HOOK, scope, attempt_row)


async def rotate_secret(ctx: Context) -> Reply:
    """A new signing secret; the old one keeps signing for a day beside it."""
    hook = await load_scoped(ctx, WEBHOOK_DOCS, ctx.args[0])
    secret = new_secret()
    rotated = {
        **hook,
        SECRET: secret,
        "pvt_secret_previous": hook.get(SECRET),
        "pvt_secret_previous_until": time.time() + ROTATION_OVERLAP_SECONDS,
    }
    await save(ctx, WEBHOOK_DOCS, public(hook), rotated, before=hook)
    return Reply(
        {"secret": secret, "previous_valid_until": int(rotated["pvt_secret_previous_until"])}
    )


async def send_test(ctx: Context) -> Reply:
    """A signed sample of the hook's own event, sent now; what the receiver answered."""
    hook = await load_scoped(ctx, WEBHOOK_DOCS, ctx.args[0])
    samples = samples_for(hook["hook"]) or samples_for(OBJECT)
    payload = {**(hook.get("custom_data") or {}), **samples[0], "account_id": ctx.account_id}
    message_id = f"test:{int(time.time() * 1000)}"
    outcome = await ctx.app[WEBHOOK_SENDER].send(hook, message_id, payload)
    result: dict[str, Any] = {
        "event_id": message_id,
        "result": "success" if outcome.ok else "failure",
        "reason": outcome.reason,
        "latency_ms": outcome.latency_ms,
    }
    if outcome.status is not None:
        result["resp_status_code"] = str(outcome.status)
    return Reply(result)


async def redeliver(ctx: Context) -> Reply:
    """Queue one event again for this hook (while the stream still holds it)."""
    hook = await load_scoped(ctx, WEBHOOK_DOCS, ctx.args[0])
    event_id = ctx.args[2]
    event = await ctx.store.get(EVENTS, event_id)
    if event is None:
        raise NotFound(event_id)
    owner = hook["pvt_account_id"]
    chain = [] if event["account_id"] == owner else [owner]
    found = [
        item
        for item in deliveries_for(event, chain, {owner: [{**hook, "enabled": True}]})
        if item["hook_id"] == hook["id"]
    ]
    if not found:
        raise NotFound(event_id)
    await ctx.store.upsert(DELIVERIES, found[0])
    ctx.app[WEBHOOK_SENDER].wake()
    return Reply({"event_id": event_id, "hook_id": hook["id"], "status": "queued"}, status=202)


async def list_samples(ctx: Context) -> Reply:
    """`webhooks/samples`: the hooks that have samples."""
    return Reply(sorted(SAMPLES))


async def read_samples(ctx: Context) -> Reply:
    """`webhooks/samples/{hook}`: sample payloads of one hook."""
    samples = SAMPLES.get(ctx.args[1])
    if samples is None:
        raise NotFound(ctx.args[1])
    return Reply(samples)


TOOL_ROUTES = (
    Route(("attempts",), {"GET": list_attempts}),
    Route((ID, "attempts"), {"GET": list_attempts}),
    Route((ID, "secret"), {"POST": rotate_secret}),
    Route((ID, "test"), {"POST": send_test}),
    Route((ID, "attempts", ID, "redeliver"), {"POST": redeliver}),
    Route(("samples",), {"GET": list_samples}),
    Route(("samples", ID), {"GET": read_samples}),
)

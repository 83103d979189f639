"""Test keys (`do_test_...`) reach a sandbox: a child account of the key's account, made on
first use, so an integration can try writes without touching live configuration."""

from __future__ import annotations

import hashlib

from gateway.auth.api_keys import VerifiedKey
from gateway.auth.tree import resolve_account
from gateway.crossbar.context import Context
from gateway.crossbar.documents import Doc
from gateway.crossbar.errors import ApiError, InvalidData
from gateway.crossbar.write import save
from gateway.keys import ACCOUNT_CACHE
from gateway.resources.accounts import ACCOUNT_DOCS


def sandbox_id(key: VerifiedKey) -> str:
    """The sandbox account's id: derived from the key, so every instance makes the same one."""
    return hashlib.sha256(f"sandbox:{key.key_id}".encode()).hexdigest()[:32]


async def _existing(ctx: Context, account_id: str) -> Doc | None:
    try:
        return await resolve_account(ctx.app[ACCOUNT_CACHE], account_id)
    except ApiError:
        return None


async def sandbox_of(ctx: Context, key: VerifiedKey, parent: Doc) -> Doc:
    """The key's sandbox account under `parent`, created the first time it is needed."""
    wanted = sandbox_id(key)
    found = await _existing(ctx, wanted)
    if found is not None:
        return found
    maker = Context(
        app=ctx.app,
        request=ctx.request,
        request_id=ctx.request_id,
        verb="PUT",
        identity=ctx.identity,
        account=parent,
        account_id=parent["id"],
    )
    fields = {"name": f"Sandbox {key.key_id[:12]}", "pvt_sandbox_of": key.key_id}
    try:
        return await save(maker, ACCOUNT_DOCS, fields, None, create_id=wanted)
    except InvalidData:
        # Another request (on any instance) made it first: the id is the same.
        made = await _existing(ctx, wanted)
        if made is None:
            raise
        return made

"""`/v1/pbx/settings`: the account document's timezone, language, external caller id and music
on hold, read and changed through the same write path as `/v2/accounts/{A}`."""

from __future__ import annotations

import copy

from gateway.crossbar.documents import Doc
from gateway.crossbar.merge import public
from gateway.crossbar.write import save
from gateway.dialects.dodev.body import kazoo_fields, refuse_unknown
from gateway.dialects.dodev.endpoint import Answer, Call, Endpoint
from gateway.dialects.dodev.paths import put_at, value_at
from gateway.resources.accounts import ACCOUNT_DOCS, fresh_account

# Each setting and where it lives in the account document.
FIELDS: dict[str, tuple[str, ...]] = {
    "timezone": ("timezone",),
    "language": ("language",),
    "callerIdName": ("caller_id", "external", "name"),
    "callerIdNumber": ("caller_id", "external", "number"),
    "holdMusicId": ("music_on_hold", "media_id"),
}
# The account schema's error paths, named as this dialect names them.
NAMES = {".".join(path): name for name, path in FIELDS.items()}


def settings_of(account: Doc) -> Doc:
    """The settings as this dialect shows them (null for what the account does not set)."""
    return {name: value_at(account, path) for name, path in FIELDS.items()}


async def read_settings(call: Call) -> Answer:
    """GET: the account as cached (another instance's change within the cache lifetime)."""
    assert call.ctx.account is not None
    return Answer(settings_of(call.ctx.account))


async def patch_settings(call: Call) -> Answer:
    """PATCH: the given settings (null clears one) over the stored account, saved and
    validated as a /v2 PATCH of the account is, its errors named as these fields."""
    changes = call.json_object()
    refuse_unknown(changes, FIELDS)
    account = await fresh_account(call.ctx, call.account_id)
    if not changes:
        return Answer(settings_of(account))
    current = {k: v for k, v in public(account).items() if k not in ACCOUNT_DOCS.hidden}
    merged = copy.deepcopy(current)
    for name, value in changes.items():
        put_at(merged, FIELDS[name], value)
    with kazoo_fields(NAMES):
        saved = await save(call.ctx, ACCOUNT_DOCS, merged, account)
    return Answer(settings_of(saved))


ENDPOINTS = (
    Endpoint("GET", "settings", "pbx:settings:read", read_settings),
    Endpoint("PATCH", "settings", "pbx:settings:write", patch_settings),
)

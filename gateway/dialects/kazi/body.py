"""The request body as fields: JSON or a form, as Laravel reads either, bounded as crossbar
bounds a body (size, depth, NUL, 64-bit numbers)."""

from __future__ import annotations

from typing import Any

from gateway.crossbar.body import parse_form, parse_json, read_body
from gateway.crossbar.context import Context
from gateway.crossbar.errors import InvalidData
from gateway.dialects.kazi.errors import KaziError

# An /api body is a handful of fields.
MOST_BYTES = 64 * 1024
FORM = "application/x-www-form-urlencoded"


async def take_body(ctx: Context) -> None:
    """Read the body into `ctx.raw_body` (what an Idempotency-Key's fingerprint covers)."""
    request = ctx.request
    assert request is not None
    raw_type = request.headers.get("Content-Type") or ""
    ctx.content_type = raw_type.split(";", 1)[0].strip().lower()
    if not request.body_exists:
        return
    try:
        ctx.raw_body = await read_body(request, MOST_BYTES)
    except InvalidData:
        raise KaziError(413) from None


async def read_fields(ctx: Context) -> dict[str, Any]:
    """The body's fields; 400 for a body that is not a JSON object or a form, 415 for another
    type of body."""
    raw = ctx.raw_body
    if not raw.strip():
        return {}
    kind = ctx.content_type
    if kind != FORM and kind not in ("", "application/json") and not kind.endswith("+json"):
        raise KaziError(415, "Send the body as JSON or as a form.")
    try:
        fields = parse_form(raw) if kind == FORM else parse_json(raw)
    except InvalidData as err:
        raise KaziError(400, _reason(err)) from None
    if not isinstance(fields, dict):
        raise KaziError(400, "The request body must be a JSON object.")
    return fields


def _reason(err: InvalidData) -> str:
    """The first message crossbar gave, else a plain one."""
    for rules in err.data.values():
        for detail in (rules or {}).values():
            message = detail.get("message") if isinstance(detail, dict) else None
            if isinstance(message, str):
                return message
    return "The request body is not valid JSON."


def required_strings(fields: dict[str, Any], names: tuple[str, ...]) -> dict[str, list[str]]:
    """Laravel's `required|string` messages for each of `names` that fails them."""
    errors: dict[str, list[str]] = {}
    for name in names:
        value = fields.get(name)
        label = name.replace("_", " ")
        if value is None or (isinstance(value, str) and not value.strip()):
            errors[name] = [f"The {label} field is required."]
        elif not isinstance(value, str):
            errors[name] = [f"The {label} field must be a string."]
    return errors

"""The request body as fields: JSON or a form, as Laravel reads either."""

from __future__ import annotations

from typing import Any

import orjson

from gateway.crossbar.context import Context
from gateway.dialects.kazi.errors import KaziError


async def read_fields(ctx: Context) -> dict[str, Any]:
    """The body's fields; 400 for a JSON body that is not an object."""
    request = ctx.request
    assert request is not None
    if not request.can_read_body:
        return {}
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return {key: value for key, value in (await request.post()).items()}
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        fields = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise KaziError(400, "The request body is not valid JSON.") from None
    if not isinstance(fields, dict):
        raise KaziError(400, "The request body must be a JSON object.")
    return fields


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

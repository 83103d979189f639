"""Request bodies: plain JSON (no envelope) under the crossbar's bounds, validated by field."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from marshmallow import RAISE, Schema, ValidationError

from gateway.crossbar.body import parse_json, read_body
from gateway.crossbar.context import Context
from gateway.crossbar.errors import InvalidData
from gateway.crossbar.validation import kazoo_errors
from gateway.dialects.dodev.errors import PbxError, field_errors, invalid_fields, translated
from schemas.fields import instance_of

JSON_TYPES = frozenset({"", "application/json"})
_UNKNOWN = "Unknown field."


class StrictSchema(Schema):
    """A dialect body: unknown fields are refused, so a misspelt one is never ignored."""

    class Meta:
        unknown = RAISE


async def read_json(ctx: Context) -> Any:
    """The parsed body (None when empty), bounded as crossbar bounds it: size, depth, NUL,
    64-bit numbers; 415 for a body that is not JSON."""
    request = ctx.request
    assert request is not None
    raw_type = request.headers.get("Content-Type") or ""
    ctx.content_type = raw_type.split(";", 1)[0].strip().lower()
    if not request.body_exists:
        return None
    if ctx.content_type not in JSON_TYPES and not ctx.content_type.endswith("+json"):
        raise PbxError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json")
    try:
        ctx.raw_body = await read_body(request, ctx.settings.max_upload_size)
        return parse_json(ctx.raw_body) if ctx.raw_body.strip() else None
    except InvalidData as err:
        raise translated(err) from None


def load_fields(schema: type[Schema], body: dict[str, Any]) -> dict[str, Any]:
    """`body` loaded by a dialect schema whose field names are the dialect's; 400
    VALIDATION_ERROR naming each bad field."""
    try:
        loaded: dict[str, Any] = instance_of(schema).load(body)
    except ValidationError as err:
        messages = err.messages if isinstance(err.messages, dict) else {"body": err.messages}
        unknown = {k for k, v in messages.items() if v == [_UNKNOWN]}
        known = {k: v for k, v in messages.items() if k not in unknown}
        fields = field_errors(kazoo_errors(known), {})
        fields += [_unknown(name) for name in sorted(unknown)]
        raise invalid_fields(fields) from None
    return loaded


def refuse_unknown(body: Mapping[str, Any], known: Iterable[str]) -> None:
    """400 VALIDATION_ERROR naming each field of `body` that is not `known`."""
    unknown = sorted(set(body) - set(known))
    if unknown:
        raise invalid_fields([_unknown(name) for name in unknown])


def _unknown(name: str) -> dict[str, str]:
    return {"field": name, "rule": "unknown", "message": "Unknown field"}


@contextmanager
def kazoo_fields(names: Mapping[str, str]) -> Iterator[None]:
    """Validation errors of the documents written inside, with Kazoo's paths renamed to the
    dialect's fields by `names` (`caller_id.external.name` -> `callerIdName`)."""
    try:
        yield
    except InvalidData as err:
        raise translated(err, names) from None

"""JSON Schema (draft 4) generated from our marshmallow schemas, for GET /v2/schemas."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, missing

from schemas.common import ObjOf
from schemas.fields import Arr, Bool, Either, Int, Num, Obj, Str


def json_schema(schema: type[Schema], name: str | None = None) -> dict[str, Any]:
    """The JSON Schema of a marshmallow schema class."""
    document = _object(schema, frozenset())
    if name is not None:
        document = {"$schema": "http://json-schema.org/draft-04/schema#", "id": name, **document}
    return document


def _object(schema: type[Schema], seen: frozenset[type[Schema]]) -> dict[str, Any]:
    if schema in seen:
        # A recursive schema (callflow children): the nested node is any object.
        return {"type": "object"}
    seen = seen | {schema}
    properties: dict[str, Any] = {}
    required: list[str] = []
    for attribute, field in schema().fields.items():
        name = field.data_key or attribute
        if field.load_only:
            properties[name] = {"type": "string", "description": "write-only"}
            continue
        properties[name] = _field(field, seen)
        if field.required:
            required.append(name)
    document: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        document["required"] = sorted(required)
    return document


def _field(field: fields.Field[Any], seen: frozenset[type[Schema]]) -> dict[str, Any]:
    described = _shape(field, seen)
    default = field.load_default
    if default is not missing:
        described["default"] = default() if callable(default) else default
    return described


def _shape(field: fields.Field[Any], seen: frozenset[type[Schema]]) -> dict[str, Any]:
    if isinstance(field, Str):
        return _drop_none(
            {
                "type": "string",
                "minLength": field.min_length,
                "maxLength": field.max_length,
                "pattern": field.pattern,
                "enum": list(field.enum) if field.enum else None,
                "format": field.fmt,
            }
        )
    if isinstance(field, Int):
        return _drop_none({"type": "integer", "minimum": field.minimum, "maximum": field.maximum})
    if isinstance(field, Num):
        return _drop_none({"type": "number", "minimum": field.minimum, "maximum": field.maximum})
    if isinstance(field, Bool):
        return {"type": "boolean"}
    if isinstance(field, ObjOf):
        values = field.values if isinstance(field.values, type) else field.values()
        return {"type": "object", "additionalProperties": _object(values, seen)}
    if isinstance(field, Obj):
        return _object(field.schema_class, seen) if field.schema_class else {"type": "object"}
    if isinstance(field, Arr):
        described = _drop_none(
            {
                "type": "array",
                "minItems": field.min_items,
                "maxItems": field.max_items,
                "uniqueItems": True if field.unique else None,
            }
        )
        if field.item is not None:
            described["items"] = _shape(field.item, seen)
        return described
    if isinstance(field, Either):
        return {"anyOf": [_shape(choice, seen) for choice in field.choices]}
    return {}


def _drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}

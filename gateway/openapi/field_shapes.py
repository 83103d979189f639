"""JSON Schema for the Kazoo-rule fields of `schemas/`, on top of apispec's own mapping."""

from __future__ import annotations

from typing import Any

from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.openapi import OpenAPIConverter
from marshmallow import Schema, fields

from schemas.common import ObjOf
from schemas.fields import Arr, Bool, Either, Int, Num, Obj, Str

Json = dict[str, Any]


class KazooConverter(OpenAPIConverter):
    """apispec's converter, knowing our fields (it sees them as untyped `Field`s)."""

    def field2property(self, field: fields.Field[Any]) -> Json:
        """apispec's property (default, writeOnly, ...) with our field's type and rules."""
        described: Json = super().field2property(field)
        shape = field_shape(self, field)
        if field.allow_none:
            shape = _nullable(shape)
        return {**described, **shape}


class KazooPlugin(MarshmallowPlugin):
    """The marshmallow plugin with our converter."""

    Converter = KazooConverter


def field_shape(converter: OpenAPIConverter, field: fields.Field[Any]) -> Json:
    """The JSON Schema of a field without its default or nullability."""
    if isinstance(field, Str):
        return _present(
            type="string",
            minLength=field.min_length,
            maxLength=field.max_length,
            pattern=field.pattern,
            enum=list(field.enum) if field.enum else None,
            format=field.fmt,
        )
    if isinstance(field, Int | Num):
        kind = "integer" if isinstance(field, Int) else "number"
        return _present(type=kind, minimum=field.minimum, maximum=field.maximum)
    if isinstance(field, Bool):
        return {"type": "boolean"}
    if isinstance(field, ObjOf):
        values = field.values if isinstance(field.values, type) else field.values()
        return {"type": "object", "additionalProperties": _nested(converter, values)}
    if isinstance(field, Obj):
        if field.schema_class is None:
            return {"type": "object"}
        return _nested(converter, field.schema_class)
    if isinstance(field, Arr):
        shape = _present(
            type="array",
            minItems=field.min_items,
            maxItems=field.max_items,
            uniqueItems=True if field.unique else None,
        )
        if field.item is not None:
            shape["items"] = converter.field2property(field.item)
        return shape
    if isinstance(field, Either):
        return {"anyOf": [converter.field2property(choice) for choice in field.choices]}
    return {}


def _nested(converter: OpenAPIConverter, schema: type[Schema]) -> Json:
    """A `$ref` to the schema's component (added on first use, so recursion ends)."""
    return converter.field2property(fields.Nested(schema))


def _nullable(shape: Json) -> Json:
    if "type" in shape:
        return {**shape, "type": [shape["type"], "null"]}
    if "anyOf" in shape:
        return {**shape, "anyOf": [*shape["anyOf"], {"type": "null"}]}
    if shape:
        return {"anyOf": [shape, {"type": "null"}]}
    return shape


def _present(**values: Any) -> Json:
    return {key: value for key, value in values.items() if value is not None}

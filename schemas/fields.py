"""Fields that fail with Kazoo's rule names (`type`, `minLength`, `enum`, ...)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from marshmallow import INCLUDE, Schema, ValidationError, fields

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def fail(rule: str, message: str, **extra: Any) -> ValidationError:
    """A field error carrying one Kazoo rule (wrapped in a list, as leaves are)."""
    return ValidationError([{rule: {"message": message, **extra}}])


def _type_error(value: Any, types: str) -> ValidationError:
    return fail("type", f"Value did not match type(s): {types}", target=types, value=value)


_BASE_ERRORS: dict[str, str | list[Any] | dict[Any, Any]] = {
    "required": [{"required": {"message": "Field is required but missing"}}],
    "null": [{"type": {"message": "Value did not match type(s): not null", "value": None}}],
}


class OpenSchema(Schema):
    """Kazoo schemas are open: unknown keys are kept."""

    class Meta:
        unknown = INCLUDE


class Str(fields.Field[str]):
    """A string with Kazoo's length, pattern, enum and format rules."""

    default_error_messages = _BASE_ERRORS

    def __init__(
        self,
        *,
        min_length: int | None = None,
        max_length: int | None = None,
        pattern: str | None = None,
        enum: Sequence[str] | None = None,
        fmt: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.min_length, self.max_length = min_length, max_length
        self.pattern, self.enum, self.fmt = pattern, enum, fmt
        self._regex = re.compile(pattern) if pattern else None

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if not isinstance(value, str):
            raise _type_error(value, "string")
        if self.min_length is not None and len(value) < self.min_length:
            raise fail(
                "minLength",
                f"String must be at least {self.min_length} characters",
                target=self.min_length,
                value=value,
                cause=value,
            )
        if self.max_length is not None and len(value) > self.max_length:
            raise fail(
                "maxLength",
                f"String must not be more than {self.max_length} characters",
                target=self.max_length,
                value=value,
                cause=value,
            )
        if self.enum is not None and value not in self.enum:
            raise fail(
                "enum",
                "Value not found in enumerated list of values",
                target=list(self.enum),
                value=value,
            )
        if self._regex is not None and not self._regex.search(value):
            raise fail(
                "pattern",
                f"Failed to match pattern '{self.pattern}'",
                target=self.pattern,
                value=value,
            )
        if self.fmt == "email" and not _EMAIL.match(value):
            raise fail(
                "wrong_format", "Field is not in the correct format", value=value, format="email"
            )
        return value


class Bool(fields.Field[bool]):
    """A boolean; the strings "true"/"false" are coerced as Kazoo does."""

    default_error_messages = _BASE_ERRORS

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return bool(value == "true")
        raise _type_error(value, "boolean")


class _Bounded(fields.Field[Any]):
    """A number with optional `minimum`/`maximum` (Kazoo's rule names)."""

    default_error_messages = _BASE_ERRORS

    def __init__(
        self, *, minimum: float | None = None, maximum: float | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.minimum, self.maximum = minimum, maximum

    def _bounded(self, number: float) -> None:
        if self.minimum is not None and number < self.minimum:
            raise fail(
                "minimum",
                f"Value must be at least {self.minimum}",
                target=self.minimum,
                value=number,
            )
        if self.maximum is not None and number > self.maximum:
            raise fail(
                "maximum",
                f"Value must be at most {self.maximum}",
                target=self.maximum,
                value=number,
            )


class Int(_Bounded):
    """An integer with optional bounds; numeric strings are coerced."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        number = value
        if isinstance(value, str):
            try:
                number = int(value)
            except ValueError:
                raise _type_error(value, "integer") from None
        if isinstance(number, float) and number.is_integer():
            number = int(number)
        if isinstance(number, bool) or not isinstance(number, int):
            raise _type_error(value, "integer")
        self._bounded(number)
        return number


class Num(_Bounded):
    """A number (integer or float) with optional bounds; numeric strings are coerced."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> float:
        number = value
        if isinstance(value, str):
            try:
                number = float(value)
            except ValueError:
                raise _type_error(value, "number") from None
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise _type_error(value, "number")
        self._bounded(number)
        return number


@cache
def instance_of(schema: type[Schema]) -> Schema:
    """One reusable instance per schema class: building one copies every field (~120 µs for
    users, measured), and loading keeps no state on the instance."""
    return schema()


class Obj(fields.Field[dict[str, Any]]):
    """An object; with a schema its keys are checked (unknown keys kept)."""

    default_error_messages = _BASE_ERRORS

    def __init__(self, schema: type[Schema] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.schema_class = schema

    def _deserialize(
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise _type_error(value, "object")
        if self.schema_class is None:
            return dict(value)
        loaded: dict[str, Any] = instance_of(self.schema_class).load(value)
        return loaded


class Arr(fields.Field[list[Any]]):
    """An array; items checked by `item` when given."""

    default_error_messages = _BASE_ERRORS

    def __init__(
        self,
        item: fields.Field[Any] | None = None,
        *,
        min_items: int | None = None,
        max_items: int | None = None,
        unique: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.item, self.min_items, self.max_items, self.unique = item, min_items, max_items, unique

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[Any]:
        if not isinstance(value, list):
            raise _type_error(value, "array")
        if self.min_items is not None and len(value) < self.min_items:
            raise fail(
                "minItems",
                f"The list must have at least {self.min_items} items",
                target=self.min_items,
                value=value,
            )
        if self.max_items is not None and len(value) > self.max_items:
            raise fail(
                "maxItems",
                f"The list is more than {self.max_items} items",
                target=self.max_items,
                value=value,
            )
        if self.unique and len({repr(item) for item in value}) != len(value):
            raise fail("uniqueItems", "List of items is not unique", value=value)
        if self.item is None:
            return list(value)
        out, errors = [], {}
        for index, item in enumerate(value):
            try:
                out.append(self.item.deserialize(item))
            except ValidationError as err:
                errors[index] = err.messages
        if errors:
            raise ValidationError(errors)
        return out


class Either(fields.Field[Any]):
    """A value of one of several shapes (Kazoo's `"type": [...]`); the first that loads wins."""

    default_error_messages = _BASE_ERRORS

    def __init__(self, *choices: fields.Field[Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices = choices

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        errors: list[Any] = []
        for choice in self.choices:
            try:
                return choice.deserialize(value)
            except ValidationError as err:
                errors.append(err.messages)
        raise ValidationError(errors[0])

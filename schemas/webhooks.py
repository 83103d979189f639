"""Webhook documents."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError

from schemas.common import HTTP_URL_PATTERN
from schemas.fields import Bool, Int, Obj, OpenSchema, Str

HTTP_VERBS = ("get", "post", "put")
HOOK_FORMATS = ("form-data", "json")


class StrValues(Obj):
    """An object whose every value is a string (Kazoo's `additionalProperties: string`)."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> dict[str, Any]:
        loaded = super()._deserialize(value, attr, data, **kwargs)
        string = Str()
        errors: dict[str, Any] = {}
        for key, item in loaded.items():
            try:
                string.deserialize(item)
            except ValidationError as err:
                errors[key] = err.messages
        if errors:
            raise ValidationError(errors)
        return loaded


class WebhookSchema(OpenSchema):
    """A subscription: `hook` events are sent to `uri`."""

    name = Str(required=True)
    uri = Str(required=True, pattern=HTTP_URL_PATTERN)
    # Kazoo: the hook name is checked against the live list of hooks, not here.
    hook = Str(required=True)
    http_verb = Str(enum=HTTP_VERBS, load_default="post")
    format = Str(enum=HOOK_FORMATS, load_default="form-data")
    retries = Int(minimum=0, maximum=4, load_default=2)
    enabled = Bool(load_default=True)
    include_subaccounts = Bool()
    include_internal_legs = Bool(load_default=True)
    custom_data = StrValues()

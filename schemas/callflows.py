"""Callflow documents: numbers/patterns routed to a tree of flow nodes."""

from __future__ import annotations

from typing import Any

from schemas.common import ObjOf
from schemas.fields import Arr, Bool, Either, Int, Obj, OpenSchema, Str, fail

BINDING_DIGITS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "*", "#")


class FlowNode(OpenSchema):
    """One node: a module, its data, and child nodes keyed by branch (`_` is the default)."""

    module = Str(required=True, min_length=1, max_length=64)
    # Kazoo: `data` is required but defaulted to {}, so a missing one never fails.
    data = Obj(load_default=dict)
    children = ObjOf(lambda: FlowNode)


class FeatureCode(OpenSchema):
    """The feature a featurecode callflow implements."""

    name = Str(min_length=1, max_length=128)
    number = Str(min_length=1, max_length=30)


class FalseFlag(Bool):
    """Only `false`: plain callflows carry `featurecode: false`."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if super()._deserialize(value, attr, data, **kwargs):
            raise fail("type", "Value did not match type(s): object", target="object", value=value)
        return False


class Metaflows(OpenSchema):
    """Actions the caller can trigger outside the flow (DTMF bindings)."""

    binding_digit = Str(min_length=1, max_length=1, enum=BINDING_DIGITS, load_default="*")
    digit_timeout = Int(minimum=0)
    listen_on = Str(enum=("both", "self", "peer"))
    numbers = Obj()
    patterns = Obj()


class Ringback(OpenSchema):
    """Ringback tones."""

    early = Str()
    transfer = Str()


class CallflowSchema(OpenSchema):
    """A callflow; "numbers or patterns" is checked by the resource, not here."""

    name = Str()
    numbers = Arr(Str(min_length=1, max_length=36), unique=True, load_default=list)
    patterns = Arr(Str(min_length=1), load_default=list)
    flow = Obj(FlowNode)
    featurecode = Either(Obj(FeatureCode), FalseFlag())
    metaflow = Obj(Metaflows)
    ringback = Obj(Ringback)
    flags = Arr(Str())

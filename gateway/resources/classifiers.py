"""Kazoo's number classifiers (`phone_numbers/classifiers`): which kind of number a dial is."""

from __future__ import annotations

import re

from gateway.crossbar.context import Context, Reply
from gateway.crossbar.documents import Doc
from gateway.resources.numbers import NumberError, normalize

_US = "SS(###) ### - ####"
# Kazoo's default `number_manager.classifiers` (system_config.number_manager schema), in order:
# the first whose regex matches the E.164 form names the class.
CLASSIFIERS: dict[str, Doc] = {
    "tollfree_us": {
        "friendly_name": "US Tollfree",
        "pretty_print": _US,
        "regex": r"^\+1((?:800|88\d|877|866|855|844|833|822)\d{7})$",
    },
    "toll_us": {"friendly_name": "US Toll", "pretty_print": _US, "regex": r"^\+1(900\d{7})$"},
    "emergency": {
        "emergency": True,
        "friendly_name": "Emergency Dispatcher",
        "regex": r"^(911|922|933|833|811|711|999)$",
    },
    "caribbean": {
        "friendly_name": "Caribbean",
        "pretty_print": _US,
        "regex": r"^\+?1((?:684|264|268|242|246|441|284|345|767|809|829|849|473|671|876|664|670"
        r"|787|939|869|758|784|721|868|649|340)\d{7})$",
    },
    "did_us": {
        "friendly_name": "US DID",
        "pretty_print": _US,
        "regex": r"^(\+?1)?([2-9][0-9]{2}[2-9][0-9]{6})$",
    },
    "international": {"friendly_name": "International", "regex": r"^\+([2-9]\d{7,})$"},
    "unknown": {"friendly_name": "Unknown", "regex": r"^(.*)$"},
}
_COMPILED = {name: re.compile(doc["regex"]) for name, doc in CLASSIFIERS.items()}


def classify(number: str) -> Doc:
    """The class of `number` with its E.164 form, as Kazoo answers it."""
    # Kazoo converts only what looks like a whole number: short codes (911, *97) stay as dialled.
    reconcilable = number.startswith("+") or (number.isdigit() and len(number) in (10, 11))
    try:
        e164 = normalize(number) if reconcilable else number
    except NumberError:
        e164 = number
    name = next(name for name, regex in _COMPILED.items() if regex.search(e164))
    return {"e164": e164, "name": name, "number": number, **CLASSIFIERS[name]}


async def list_classifiers(ctx: Context) -> Reply:
    """GET phone_numbers/classifiers."""
    return Reply(CLASSIFIERS)


async def classify_number(ctx: Context) -> Reply:
    """GET phone_numbers/classifiers/{number}."""
    return Reply(classify(ctx.args[1]))

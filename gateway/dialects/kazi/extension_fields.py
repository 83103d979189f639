"""An extension's fields as /api takes them, checked with Laravel's rules and wording.

Kazoo's documents bound some fields more tightly than Kazi does (a SIP password is 5 to 32
characters, a name part at most 128), and the tighter bound is the one checked: a value that
passes here is one /v2 accepts too.
"""

from __future__ import annotations

import re
from typing import Any

from gateway.extensions.callflows import split_name

# Laravel's `boolean` rule, plus "true" and "false" as a form sends them.
TRUE_VALUES = (True, 1, "1", "true")
FALSE_VALUES = (False, 0, "0", "false")
REQUIRED = ("tenant_id", "extension_number", "display_name", "secret", "status")
NUMBER = re.compile(r"^[0-9]+$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# (least, most) characters of each string field.
LENGTHS = {
    "extension_number": (2, 20),
    "display_name": (1, 255),
    "email": (3, 254),
    "secret": (5, 32),
    "status": (1, 50),
}
NAME_PART = 128


def _label(name: str) -> str:
    return name.replace("_", " ")


def _boolean(value: Any) -> bool | None:
    """The boolean a Laravel `boolean` field holds, None when it holds none."""
    key = value.strip().lower() if isinstance(value, str) else value
    if isinstance(key, bool) or key in (0, 1) or isinstance(key, str):
        if key in TRUE_VALUES:
            return True
        if key in FALSE_VALUES:
            return False
    return None


def _text(name: str, value: Any, errors: dict[str, list[str]]) -> str | None:
    """A string field (an extension number may be sent as an integer), or its error."""
    label = _label(name)
    if name == "extension_number" and isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        errors[name] = [f"The {label} field must be a string."]
        return None
    value = value.strip()
    least, most = LENGTHS[name]
    if len(value) > most:
        errors[name] = [f"The {label} field must not be greater than {most} characters."]
    elif len(value) < least:
        errors[name] = [f"The {label} field must be at least {least} characters."]
    else:
        return str(value)
    return None


def _checked(name: str, value: str, errors: dict[str, list[str]]) -> str | None:
    """Rules beyond type and length."""
    label = _label(name)
    if name == "extension_number" and not NUMBER.match(value):
        errors[name] = [f"The {label} field format is invalid."]
    elif name == "email" and not EMAIL.match(value):
        errors[name] = [f"The {label} field must be a valid email address."]
    elif name == "display_name" and any(len(part) > NAME_PART for part in split_name(value)):
        errors[name] = [
            f"The {label} field must not have a first or last name longer than "
            f"{NAME_PART} characters."
        ]
    else:
        return value
    return None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def extension_fields(
    raw: dict[str, Any], *, whole: bool
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The fields given (all the required ones when `whole`), loaded, and Laravel's errors."""
    fields: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name in ("tenant_id", *LENGTHS, "voicemail_enabled"):
        if name not in raw and not (whole and name in REQUIRED):
            continue
        value = raw.get(name)
        if _blank(value):
            if name in REQUIRED:
                errors[name] = [f"The {_label(name)} field is required."]
            elif name != "voicemail_enabled":
                fields[name] = None
            continue
        if name == "tenant_id":
            fields[name] = value
        elif name == "voicemail_enabled":
            flag = _boolean(value)
            if flag is None:
                errors[name] = [f"The {_label(name)} field must be true or false."]
            else:
                fields[name] = flag
        else:
            text = _text(name, value, errors)
            checked = _checked(name, text, errors) if text is not None else None
            if checked is not None:
                fields[name] = checked
    if whole:
        fields.setdefault("email", None)
        fields.setdefault("voicemail_enabled", False)
    return fields, errors

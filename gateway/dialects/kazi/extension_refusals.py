"""The extension model's and the write path's refusals as Laravel answers them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from gateway.crossbar.errors import InvalidData
from gateway.dialects.kazi.errors import KaziError, invalid
from gateway.extensions.numbers import NumberTaken
from gateway.extensions.removal import StillReferenced

TAKEN = {"extension_number": ["The extension number has already been taken."]}
# Kazoo's paths in the parts of an extension, named as /api names them.
FIELDS = {
    "first_name": "display_name",
    "last_name": "display_name",
    "caller_id.internal.name": "display_name",
    "name": "display_name",
    "email": "email",
    "notify_email_addresses": "email",
    "sip.password": "secret",
    "presence_id": "extension_number",
    "numbers": "extension_number",
    "mailbox": "extension_number",
    "sip.username": "extension_number",
    "caller_id.internal.number": "extension_number",
}


def _field(path: str) -> str:
    return FIELDS.get(path) or FIELDS.get(path.split(".", 1)[0]) or path


@asynccontextmanager
async def extension_refusals() -> AsyncIterator[None]:
    """A number held elsewhere is the unique rule's 422; a part Kazoo refuses is a 422 on
    the field it came from; a part still used by another callflow is a 409."""
    try:
        yield
    except NumberTaken:
        raise invalid(TAKEN) from None
    except InvalidData as err:
        if any("unique" in (rules or {}) for rules in err.data.values()):
            raise invalid(TAKEN) from None
        errors: dict[str, list[str]] = {}
        for path in err.data:
            name = _field(str(path))
            errors.setdefault(name, [f"The {name.replace('_', ' ')} field is invalid."])
        raise invalid(errors) from None
    except StillReferenced as err:
        name = err.callflow.get("name") or err.callflow["id"]
        raise KaziError(
            409, f"The extension is still used by callflow {name}; change that callflow first."
        ) from None

"""Prefixed ids: `ext_` + the 32-hex document id; a bad or wrong-prefix id names nothing.

Phone numbers are the exception: their document id is the E.164 number itself, so an inbound
number's id is `did_` + the number's digits (`+12395551234` is `did_12395551234`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gateway.crossbar.documents import Doc, Documents
from gateway.dialects.dodev.endpoint import Call
from gateway.dialects.dodev.errors import PbxError, not_found

_DOCUMENT_ID = re.compile(r"[0-9a-f]{32}")
# The digits of an E.164 number, without its `+`.
_E164_DIGITS = re.compile(r"[1-9][0-9]{1,14}")


@dataclass(frozen=True)
class IdPrefix:
    """The prefix of one kind of thing, the name its errors use, its 404 code and what the
    document id after the prefix must be, whole (32 hex unless said otherwise)."""

    prefix: str
    thing: str
    code: str
    pattern: re.Pattern[str] = field(default=_DOCUMENT_ID)

    def public(self, doc_id: str) -> str:
        """The id clients see."""
        return self.prefix + doc_id

    def document_id(self, public_id: str) -> str:
        """The document id behind a client's id; 404 `<THING>_NOT_FOUND` for any other id."""
        doc_id = public_id.removeprefix(self.prefix)
        if not public_id.startswith(self.prefix) or not self.pattern.fullmatch(doc_id):
            raise self.not_found(public_id)
        return doc_id

    def not_found(self, public_id: str) -> PbxError:
        """404 `EXTENSION_NOT_FOUND`: "Extension with ID ext_... not found"."""
        return not_found(self.code, f"{self.thing} with ID {public_id[:80]} not found")

    async def load(self, call: Call, docs: Documents, public_id: str) -> Doc:
        """The document of kind `docs` in the key's account behind `public_id`, or 404."""
        doc = await call.ctx.store.get(docs.kind, self.document_id(public_id))
        if doc is None or doc.get("pvt_account_id") != call.account_id:
            raise self.not_found(public_id)
        return doc


EXTENSION = IdPrefix("ext_", "Extension", "EXTENSION_NOT_FOUND")
INBOUND_NUMBER = IdPrefix("did_", "Inbound number", "NUMBER_NOT_FOUND", _E164_DIGITS)
CALL_QUEUE = IdPrefix("q_", "Call queue", "QUEUE_NOT_FOUND")
CALL_FLOW = IdPrefix("flow_", "Call flow", "CALL_FLOW_NOT_FOUND")
VOICEMAIL = IdPrefix("vm_", "Voicemail box", "VOICEMAIL_NOT_FOUND")
RECORDING = IdPrefix("rec_", "Recording", "RECORDING_NOT_FOUND")
PHONE = IdPrefix("phone_", "Phone", "PHONE_NOT_FOUND")
RING_GROUP = IdPrefix("rg_", "Ring group", "RING_GROUP_NOT_FOUND")

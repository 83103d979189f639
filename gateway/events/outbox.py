"""The outbox: an intent is written before its change, so no change goes unannounced.

The store has no transactions, so a change and its event cannot be written together. The
request writes an intent naming the revision it is about to write, then the change; the relay
publishes the intent once the change is seen in the store and drops it if the change never
happened (see decide.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from gateway.store import DuplicateValue, Index, Store
from gateway.store.ids import new_id

OUTBOX = "outbox"
DOCUMENT = "document"
INTAKE = "intake"
INDEXES = (
    Index(OUTBOX, "outbox_at", ("at",)),
    Index(OUTBOX, "outbox_prev", ("prev",), sparse_on="prev"),
)
Intent = dict[str, Any]
# An intent's audit facts (who, which request, the masked diff): the relay writes them as an
# audit entry once the change is seen to have happened; they are not part of the event.
AUDIT = "audit"


def document_intent(
    kind: str,
    account_id: str | None,
    doc_id: str,
    prev: str | None,
    rev: str | None,
    audit: dict[str, Any] | None = None,
) -> Intent:
    """A create (no `prev`), edit, or delete (no `rev`) of one document about to be written."""
    action = "created" if prev is None else "deleted" if rev is None else "edited"
    intent: Intent = {
        "id": new_id(),
        "at": time.time(),
        "source": DOCUMENT,
        "type": kind,
        "action": action,
        "account_id": account_id,
        "doc_id": doc_id,
        "rev": rev,
    }
    if prev is not None:
        intent["prev"] = prev
    if audit is not None:
        intent[AUDIT] = audit
    return intent


def intake_intent(event: Mapping[str, Any]) -> Intent:
    """An intake event about to be applied; its id is derived from the event's own."""
    data = {k: v for k, v in event.items() if k not in ("audio", "event_id", "type")}
    return {
        "id": f"{INTAKE}:{event['event_id']}",
        "at": time.time(),
        "source": INTAKE,
        "type": event["type"],
        "action": event.get("action") or event["type"],
        "account_id": event["account_id"],
        "event_id": event["event_id"],
        "data": data,
    }


class Outbox:
    """Announce and withdraw intents; wake the local relay after a change."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._listeners: list[Callable[[], None]] = []

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call `listener` (cheap, synchronous) after every change this instance makes."""
        self._listeners.append(listener)

    async def announce(self, intent: Intent) -> None:
        """Write the intent; one already there (a retried intake event) is kept."""
        try:
            await self.store.insert(OUTBOX, intent)
        except DuplicateValue:
            pass

    async def withdraw(self, intent: Intent) -> None:
        """The change was refused: its intent goes."""
        await self.store.delete(OUTBOX, intent["id"])

    def changed(self) -> None:
        """A change announced earlier is now in the store."""
        for listener in self._listeners:
            listener()

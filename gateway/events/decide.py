"""Which announced changes happened: pure rules over what the store holds now."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from gateway.events.outbox import DOCUMENT, Intent

DocKey = tuple[str, str]


@dataclass
class Decision:
    """Intents to publish (in order) and to drop; the others wait for the next round."""

    publish: list[Intent] = field(default_factory=list)
    drop: list[Intent] = field(default_factory=list)


def doc_key(intent: Intent) -> DocKey:
    """The document an intent is about."""
    return intent["type"], intent["doc_id"]


def in_document_order(entries: Iterable[Intent]) -> list[Intent]:
    """Entries by time, except that one document's changes follow their revision chains."""
    ordered = sorted(entries, key=lambda intent: intent["at"])
    slots: dict[DocKey, list[int]] = {}
    for position, intent in enumerate(ordered):
        if intent["source"] == DOCUMENT:
            slots.setdefault(doc_key(intent), []).append(position)
    result = list(ordered)
    for positions in slots.values():
        chain = _by_revision([ordered[p] for p in positions])
        for position, intent in zip(positions, chain, strict=True):
            result[position] = intent
    return result


def _by_revision(changes: list[Intent]) -> list[Intent]:
    """One document's changes (in time order): each chain from its start, chains by time."""
    revisions = {change["rev"] for change in changes if change.get("rev")}
    children: dict[str, list[Intent]] = {}
    for change in changes:
        if change.get("prev") in revisions:
            children.setdefault(change["prev"], []).append(change)
    starts = [change for change in changes if change.get("prev") not in revisions]
    result: list[Intent] = []
    pending = list(reversed(starts))
    while pending:
        change = pending.pop()
        result.append(change)
        pending.extend(reversed(children.get(change.get("rev") or "", [])))
    seen = {id(change) for change in result}
    return result + [change for change in changes if id(change) not in seen]


def decide(
    entries: Iterable[Intent],
    current: Mapping[DocKey, str | None],
    successors: set[str],
    recorded: set[str],
    *,
    now: float,
    grace: float,
) -> Decision:
    """Publish what happened; drop what cannot have happened within `grace` seconds.

    `current` holds each document's revision now (None: absent), `successors` every revision
    some later intent starts from, `recorded` the intake events applied. A document's later
    intents wait behind an undecided one, so its events keep their order.
    """
    decision = Decision()
    waiting: set[DocKey] = set()
    deleted_from: set[tuple[DocKey, str]] = set()
    for intent in in_document_order(entries):
        if intent["source"] != DOCUMENT:
            happened = intent["event_id"] in recorded
        else:
            key = doc_key(intent)
            if key in waiting:
                continue
            happened = _document_changed(intent, current.get(key), successors)
            if happened and intent["action"] == "deleted":
                # Two deletes from one revision: at most one went through; publish one.
                if (key, intent["prev"]) in deleted_from:
                    decision.drop.append(intent)
                    continue
                deleted_from.add((key, intent["prev"]))
        if happened:
            decision.publish.append(intent)
        elif now - intent["at"] > grace:
            decision.drop.append(intent)
        elif intent["source"] == DOCUMENT:
            waiting.add(doc_key(intent))
    return decision


def _document_changed(intent: Intent, current: str | None, successors: set[str]) -> bool:
    if intent["action"] == "deleted":
        # Gone, or gone and created again under the same id (a new revision chain).
        return current is None or (current != intent["prev"] and _number(current) == 1)
    return current == intent["rev"] or intent["rev"] in successors


def _number(revision: str) -> int:
    return int(revision.split("-", 1)[0])

"""The relay's rules: what happened is published once, in order; what never did is dropped."""

from __future__ import annotations

from typing import Any

from gateway.events.decide import decide, in_document_order
from gateway.events.outbox import document_intent

NOW = 1_000_000.0
GRACE = 60.0


def intent(action: str, prev: str | None, rev: str | None, at: float, doc: str = "d1") -> Any:
    made = document_intent("users", "a1", doc, prev, rev)
    assert made["action"] == action
    return {**made, "at": at}


def intake(event_id: str, at: float) -> dict[str, Any]:
    return {"id": f"intake:{event_id}", "source": "intake", "event_id": event_id, "at": at}


def ids(intents: list[Any]) -> list[str]:
    return [item["id"] for item in intents]


def run(entries: list[Any], current: dict[Any, str | None], **kw: Any) -> Any:
    successors = {entry["prev"] for entry in entries if entry.get("prev")}
    return decide(
        entries,
        current,
        kw.get("successors", successors),
        kw.get("recorded", set()),
        now=kw.get("now", NOW),
        grace=GRACE,
    )


def test_a_create_whose_revision_is_stored_is_published() -> None:
    create = intent("created", None, "1-a", NOW - 1)
    decision = run([create], {("users", "d1"): "1-a"})
    assert ids(decision.publish) == [create["id"]] and decision.drop == []


def test_a_create_not_yet_stored_waits_then_is_dropped_after_the_grace() -> None:
    create = intent("created", None, "1-a", NOW - 1)
    young = run([create], {("users", "d1"): None})
    assert young.publish == [] and young.drop == []
    old = run([create], {("users", "d1"): None}, now=NOW + GRACE + 1)
    assert old.publish == [] and ids(old.drop) == [create["id"]]


def test_an_edit_overtaken_by_a_later_one_is_published_through_its_successor() -> None:
    first = intent("edited", "1-a", "2-b", NOW - 2)
    second = intent("edited", "2-b", "3-c", NOW - 1)
    decision = run([first, second], {("users", "d1"): "3-c"})
    assert ids(decision.publish) == [first["id"], second["id"]]


def test_a_refused_edit_blocks_the_documents_later_changes_until_it_is_decided() -> None:
    refused = intent("edited", "1-a", "2-x", NOW - 3)
    winner = intent("edited", "1-a", "2-b", NOW - 2)
    other_doc = intent("created", None, "1-z", NOW - 1, doc="d2")
    current = {("users", "d1"): "2-b", ("users", "d2"): "1-z"}
    decision = run([refused, winner, other_doc], current)
    assert ids(decision.publish) == [other_doc["id"]]
    later = run([refused, winner], current, now=NOW + GRACE + 1)
    assert ids(later.drop) == [refused["id"]]
    assert run([winner], current).publish == [winner]


def test_a_delete_is_published_once_the_document_is_gone_and_only_once() -> None:
    first = intent("deleted", "2-b", None, NOW - 2)
    twin = intent("deleted", "2-b", None, NOW - 1)
    decision = run([first, twin], {("users", "d1"): None})
    assert ids(decision.publish) == [first["id"]] and ids(decision.drop) == [twin["id"]]


def test_a_delete_of_a_document_still_there_waits() -> None:
    delete = intent("deleted", "2-b", None, NOW - 1)
    assert run([delete], {("users", "d1"): "2-b"}).publish == []


def test_a_delete_followed_by_a_new_document_under_the_same_id_is_published() -> None:
    delete = intent("deleted", "2-b", None, NOW - 2)
    create = intent("created", None, "1-n", NOW - 1)
    decision = run([delete, create], {("users", "d1"): "1-n"})
    assert ids(decision.publish) == [delete["id"], create["id"]]


def test_one_documents_changes_follow_their_revisions_whatever_the_clocks_say() -> None:
    edit = intent("edited", "1-a", "2-b", NOW - 5)
    create = intent("created", None, "1-a", NOW - 1)
    delete = intent("deleted", "2-b", None, NOW - 9)
    assert ids(in_document_order([edit, create, delete])) == ids([create, edit, delete])


def test_an_intake_event_is_published_once_applied_and_dropped_if_it_never_was() -> None:
    applied, lost = intake("e1", NOW - 1), intake("e2", NOW - GRACE - 1)
    decision = run([applied, lost], {}, recorded={"e1"})
    assert ids(decision.publish) == [applied["id"]] and ids(decision.drop) == [lost["id"]]

"""The document unit: schema, listing row, unique rules and hooks of one kind."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema

from gateway.crossbar.claims import Claim
from gateway.crossbar.context import Context
from gateway.crossbar.merge import public
from gateway.store import Index

Doc = dict[str, Any]
SaveHook = Callable[[Context, Doc, "Doc | None"], Awaitable[Doc]]
AfterSave = Callable[[Context, Doc, "Doc | None"], Awaitable[None]]
DeleteHook = Callable[[Context, Doc], Awaitable[None]]
SORT_SEPARATOR = "\x1f"


@dataclass(frozen=True)
class UniqueRule:
    """A unique index and the Kazoo error it maps to."""

    name: str
    path: str
    message: str
    keys: tuple[str, ...]
    scope: tuple[str, ...] = ("pvt_account_id",)
    cause: Callable[[Doc], Any] | None = None

    def index(self, kind: str) -> Index:
        """The backing index; sparse on its first key so absent values never clash."""
        return Index(
            kind, self.name, self.keys, unique=True, sparse_on=self.keys[0], scope=self.scope
        )


def name_row(doc: Doc) -> Doc:
    """The plain listing row: id, name and flags."""
    return {"id": doc["id"], "name": doc.get("name"), "flags": doc.get("flags") or []}


def _no_hooks() -> tuple[Any, ...]:
    return ()


@dataclass(frozen=True)
class Documents:
    """How one kind of document is validated, stored, listed and shown."""

    kind: str
    schema: type[Schema]
    row: Callable[[Doc], Doc]
    sort_value: Callable[[Doc], str] = lambda doc: ""
    unique: tuple[UniqueRule, ...] = ()
    before_save: tuple[SaveHook, ...] = field(default_factory=_no_hooks)
    after_save: tuple[AfterSave, ...] = field(default_factory=_no_hooks)
    before_delete: tuple[DeleteHook, ...] = field(default_factory=_no_hooks)
    after_delete: tuple[DeleteHook, ...] = field(default_factory=_no_hooks)
    hidden: frozenset[str] = frozenset()
    present: Callable[[Context, Doc, Doc], Doc] | None = None
    extra_indexes: tuple[Index, ...] = ()
    claims: tuple[Claim, ...] = ()

    def indexes(self) -> tuple[Index, ...]:
        """Unique rules' indexes plus the listing index."""
        listing = Index(self.kind, f"{self.kind}_listing", ("pvt_account_id", "pvt_sort"))
        return (listing, *(rule.index(self.kind) for rule in self.unique), *self.extra_indexes)

    def show(self, ctx: Context, doc: Doc) -> Doc:
        """The public representation of a stored document."""
        shown = {k: v for k, v in public(doc).items() if k not in self.hidden}
        shown["id"] = doc["id"]
        return self.present(ctx, shown, doc) if self.present else shown

    def sort_key(self, doc: Doc) -> str:
        """The composite listing key: sort value then id."""
        return f"{self.sort_value(doc).lower()}{SORT_SEPARATOR}{doc['id']}"

    def rule(self, index_name: str) -> UniqueRule | None:
        """The unique rule behind an index name."""
        return next((rule for rule in self.unique if rule.name == index_name), None)

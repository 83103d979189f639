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
# The character after SORT_SEPARATOR: every key of a scope sorts below scope + _SCOPE_END.
_SCOPE_END = chr(ord(SORT_SEPARATOR) + 1)


@dataclass(frozen=True)
class Listing:
    """One way a kind is listed: the documents of one scope (account, owner, ...) in order.

    Scope and sort key live in one indexed string field, `<scope>\x1f<sort value>\x1f<id>`, so a
    page is a prefix range sorted on that field: the one shape nx-27017 serves from an index
    (measured), and an index-only walk on MongoDB. A document whose scope is None is not listed.
    """

    field: str
    scope_of: Callable[[Doc], str | None]

    def key(self, doc: Doc, sort_key: str) -> str | None:
        """The value of `field` for a stored document."""
        scope = self.scope_of(doc)
        return None if scope is None else f"{scope}{SORT_SEPARATOR}{sort_key}"

    def index(self, kind: str) -> Index:
        """The single-field index every page of this listing walks."""
        return Index(kind, f"{kind}_{self.field}", (self.field,))

    @staticmethod
    def prefix(scope: str) -> str:
        """What every key of `scope` starts with."""
        return f"{scope}{SORT_SEPARATOR}"

    @staticmethod
    def bounds(scope: str) -> dict[str, str]:
        """The range condition holding exactly the keys of `scope`."""
        return {"$gte": f"{scope}{SORT_SEPARATOR}", "$lt": f"{scope}{_SCOPE_END}"}


BY_ACCOUNT = Listing("pvt_by_account", lambda doc: doc.get("pvt_account_id"))


def stamp_keys(listings: tuple[Listing, ...], doc: Doc, sort_key: str) -> None:
    """Write (or drop) each listing's field on a document about to be stored."""
    for listing in listings:
        key = listing.key(doc, sort_key)
        if key is None:
            doc.pop(listing.field, None)
        else:
            doc[listing.field] = key


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
    listings: tuple[Listing, ...] = (BY_ACCOUNT,)

    def indexes(self) -> tuple[Index, ...]:
        """The listings' indexes, the unique rules' indexes and any extra ones."""
        return (
            *(listing.index(self.kind) for listing in self.listings),
            *(rule.index(self.kind) for rule in self.unique),
            *self.extra_indexes,
        )

    def listing_keys(self, doc: Doc) -> dict[str, str | None]:
        """Every listing field of a stored document (None: not in that listing)."""
        sort_key = self.sort_key(doc)
        return {listing.field: listing.key(doc, sort_key) for listing in self.listings}

    def stamp_listing_keys(self, doc: Doc) -> None:
        """Write (or drop) the document's listing fields from its current values."""
        stamp_keys(self.listings, doc, self.sort_key(doc))

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

"""What an extension is in Kazoo's documents, how its parts are found, and how they are written
all or nothing.

A `user` extension is a user (its id is the extension's; its number is the user's
`presence_id`, as SmartPBX records it), the callflow holding that number whose first node rings
the user (a `voicemail` child names its box), the SIP devices the user owns and that box. A
`conference`, `parking` or `paging` extension is a callflow whose first node is `conference`
(naming a conference document), `park` or `page_group`; its id is the callflow's.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from gateway.crossbar.claims import CLAIMS
from gateway.crossbar.context import Context
from gateway.crossbar.documents import Doc, Documents, Listing
from gateway.crossbar.merge import public
from gateway.crossbar.write import remove, save
from gateway.resources.callflows import CALLFLOW_DOCS, CALLFLOWS, to_e164
from gateway.resources.conferences import CONFERENCES
from gateway.resources.devices import BY_OWNER, DEVICES
from gateway.resources.users import USERS
from gateway.resources.vmboxes import VMBOXES

log = logging.getLogger(__name__)
KINDS = ("user", "conference", "parking", "paging")
# The first node of a conference, parking or paging extension's callflow.
MODULES = {"conference": "conference", "parking": "park", "paging": "page_group"}
KIND_OF_MODULE = {module: kind for kind, module in MODULES.items()}
NUMBER_CLAIM = next(claim for claim in CALLFLOW_DOCS.claims if claim.path == "numbers")


def display_name(user: Doc) -> str:
    """The extension's name of a user."""
    first, last = str(user.get("first_name") or ""), str(user.get("last_name") or "")
    return first if first == last else f"{first} {last}".strip()


def number_of(user: Doc) -> str | None:
    """A user's extension number: its `presence_id` (before any `@realm`)."""
    presence = user.get("presence_id")
    number = presence.split("@", 1)[0] if isinstance(presence, str) else ""
    return number or None


def root(callflow: Doc | None) -> Doc:
    """The first node of a callflow's flow ({} when it has none)."""
    flow = (callflow or {}).get("flow")
    return flow if isinstance(flow, dict) else {}


def node_data(node: Doc) -> Doc:
    """A node's `data` object ({} when it has none)."""
    data = node.get("data")
    return data if isinstance(data, dict) else {}


def rings_user(callflow: Doc, user_id: str) -> bool:
    """Whether the callflow's first node rings the user."""
    node = root(callflow)
    return node.get("module") == "user" and node_data(node).get("id") == user_id


def voicemail_id(callflow: Doc | None) -> str | None:
    """The box of the user node's default `voicemail` child, if any."""
    children = root(callflow).get("children")
    child = children.get("_") if isinstance(children, dict) else None
    if not isinstance(child, dict) or child.get("module") != "voicemail":
        return None
    box = node_data(child).get("id")
    return box if isinstance(box, str) else None


def kind_of(callflow: Doc) -> str | None:
    """`conference`, `parking` or `paging` for such an extension's callflow, else None."""
    module = root(callflow).get("module")
    return KIND_OF_MODULE.get(module) if isinstance(module, str) else None


def callflow_number(callflow: Doc | None) -> str | None:
    """A conference, parking or paging extension's number: its callflow's first number."""
    numbers = (callflow or {}).get("numbers") or []
    return str(numbers[0]) if numbers else None


@dataclass
class Parts:
    """One extension's documents. `vmbox` and `conference` are read only for a change
    (`whole`), `devices` only for a delete."""

    kind: str
    callflow: Doc | None
    user: Doc | None = None
    devices: list[Doc] = field(default_factory=list)
    vmbox: Doc | None = None
    conference: Doc | None = None

    @property
    def doc_id(self) -> str:
        """The document id behind the extension's id."""
        doc = self.user if self.user is not None else self.callflow
        assert doc is not None
        return str(doc["id"])

    @property
    def own_ids(self) -> set[str]:
        """The ids of the documents that may hold the extension's number."""
        return {doc["id"] for doc in (self.user, self.callflow, self.vmbox) if doc}

    @property
    def number(self) -> str | None:
        """The extension's number."""
        if self.user is not None:
            return number_of(self.user)
        return callflow_number(self.callflow)


async def find_parts(ctx: Context, doc_id: str, *, whole: bool = False) -> Parts | None:
    """The extension behind a document id: a numbered user (three reads: it, its number's
    claim, the callflow), else such a callflow (two); `whole` adds the box or conference."""
    store, account = ctx.store, ctx.account_id
    user = await store.get(USERS, doc_id)
    if user is not None and user.get("pvt_account_id") == account and number_of(user):
        callflows = await user_callflows(ctx, [user])
        parts = Parts("user", callflows.get(doc_id), user)
        box = voicemail_id(parts.callflow)
        if whole and box is not None:
            found = await store.get(VMBOXES, box)
            parts.vmbox = found if (found or {}).get("pvt_account_id") == account else None
        return parts
    callflow = await store.get(CALLFLOWS, doc_id)
    if callflow is None or callflow.get("pvt_account_id") != account:
        return None
    kind = kind_of(callflow)
    if kind is None:
        return None
    parts = Parts(kind, callflow)
    conference = node_data(root(callflow)).get("id")
    if whole and kind == "conference" and isinstance(conference, str):
        found = await store.get(CONFERENCES, conference)
        parts.conference = found if (found or {}).get("pvt_account_id") == account else None
    return parts


async def user_callflows(ctx: Context, users: list[Doc]) -> dict[str, Doc]:
    """Each user's callflow, by user id, in two reads however many users: the claims of their
    numbers (by id), then the callflows holding them (by id)."""
    wanted = {
        to_e164(number): user["id"] for user in users if (number := number_of(user)) is not None
    }
    if not wanted:
        return {}
    scope = {"pvt_account_id": ctx.account_id}
    keys = sorted(NUMBER_CLAIM.key(scope, number) for number in wanted)
    claims = await ctx.store.find(CLAIMS, {"id": {"$in": keys}})
    owners = sorted({str(claim["owner_id"]) for claim in claims})
    if not owners:
        return {}
    query = {"id": {"$in": owners}, "pvt_account_id": ctx.account_id}
    found: dict[str, Doc] = {}
    for callflow in await ctx.store.find(CALLFLOWS, query):
        for number in callflow.get("numbers") or []:
            user_id = wanted.get(number)
            if user_id is not None and rings_user(callflow, user_id):
                found[user_id] = callflow
    return found


async def owned_devices(ctx: Context, user_id: str) -> list[Doc]:
    """The devices a user owns (one indexed range)."""
    scope = {BY_OWNER.field: Listing.bounds(f"{ctx.account_id}/{user_id}")}
    return await ctx.store.find(DEVICES, scope, limit=ctx.settings.unpaginated_max)


def content(docs: Documents, doc: Doc) -> Doc:
    """A stored document's public content, as a /v2 PATCH starts from."""
    return {k: v for k, v in public(doc).items() if k not in docs.hidden}


class Writes:
    """The saves and removals of one change, in order, so that `undo` can take them back."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.done: list[tuple[Documents, Doc | None, Doc | None]] = []

    async def save(
        self, docs: Documents, data: Doc, old: Doc | None = None, *, create_id: str | None = None
    ) -> Doc:
        """`save()` on the write path, remembered."""
        saved = await save(self.ctx, docs, data, old, create_id=create_id)
        self.done.append((docs, old, saved))
        return saved

    async def remove(self, docs: Documents, doc: Doc) -> None:
        """`remove()` on the write path, remembered."""
        await remove(self.ctx, docs, doc)
        self.done.append((docs, doc, None))

    async def undo(self) -> None:
        """Take back every write, last first: remove what was made, write back what was
        changed, make again (same id, same content) what was removed."""
        for docs, before, after in reversed(self.done):
            try:
                if before is None:
                    assert after is not None
                    await remove(self.ctx, docs, after)
                elif after is None:
                    await save(self.ctx, docs, content(docs, before), None, create_id=before["id"])
                else:
                    await save(self.ctx, docs, content(docs, before), after)
            except Exception:
                doc_id = (before or after or {}).get("id")
                log.exception(
                    "undo of %s %s failed (request %s)", docs.kind, doc_id, self.ctx.request_id
                )
        self.done.clear()


@asynccontextmanager
async def all_or_nothing(ctx: Context) -> AsyncIterator[Writes]:
    """Writes that are all undone when anything inside fails (even a cancelled request)."""
    writes = Writes(ctx)
    try:
        yield writes
    except BaseException:
        await asyncio.shield(writes.undo())
        raise

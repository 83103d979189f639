"""A user extension's line now, from the live state the intake reported.

A line follows /v2 presence: `dnd` (the user's do_not_disturb), a state set by hand through
/v2 presence (`away`, ...), `busy` (a live channel of the user or one of its devices),
`available` (a live registration), else `offline`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from gateway.calls.channels import LIVE_IN_ACCOUNT, live_channels
from gateway.calls.presence import LiveState, manual_id, manual_states, user_state
from gateway.calls.registrations import live_registrations
from gateway.crossbar.context import Context
from gateway.crossbar.documents import Doc
from gateway.resources.devices import DEVICES

STATUSES = ("available", "busy", "away", "dnd", "offline")


@dataclass(frozen=True)
class Lines:
    """The account's live registrations and channels by user, and presence set by hand."""

    account_id: str
    registered: Counter[str] = field(default_factory=Counter)
    live: LiveState = field(default_factory=LiveState)
    manual: dict[str, str] = field(default_factory=dict)

    def of(self, user: Doc) -> tuple[str, int]:
        """A user's status and how many registrations its devices hold."""
        by_hand = self.manual.get(manual_id(self.account_id, "users", user["id"]))
        return user_state(user, set(), self.live, by_hand), self.registered[user["id"]]


def _device(doc: Doc) -> str | None:
    if doc.get("authorizing_type") != "device" or not doc.get("authorizing_id"):
        return None
    return str(doc["authorizing_id"])


def _owner(doc: Doc, owners: dict[str, str]) -> str | None:
    device = _device(doc)
    owner = owners.get(device) if device is not None else None
    return owner or (str(doc["owner_id"]) if doc.get("owner_id") else None)


async def live_lines(ctx: Context) -> Lines:
    """Three or four queries whatever the number of extensions: the account's registrations,
    its channels, the devices they name (by id) and the states set by hand."""
    store, account, limit = ctx.store, str(ctx.account_id), ctx.settings.unpaginated_max
    registrations = await live_registrations(store, account, limit)
    channels = await live_channels(store, LIVE_IN_ACCOUNT, account, limit)
    devices = sorted({device for doc in [*registrations, *channels] if (device := _device(doc))})
    owners: dict[str, str] = {}
    if devices:
        query = {"id": {"$in": devices}, "pvt_account_id": account}
        found = await store.find(DEVICES, query)
        owners = {doc["id"]: str(doc["owner_id"]) for doc in found if doc.get("owner_id")}
    registered = Counter(owner for doc in registrations if (owner := _owner(doc, owners)))
    busy = {owner for doc in channels if (owner := _owner(doc, owners))}
    live = LiveState(registered_owners=set(registered), busy_owners=busy)
    return Lines(account, registered, live, await manual_states(store, account, limit))

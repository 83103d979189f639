"""Which hooks an event goes to, with what payload: Kazoo's rules plus `custom_data`."""

from __future__ import annotations

from typing import Any

from gateway.webhooks.payloads import (
    NOTIFICATIONS,
    OBJECT,
    hooks_for,
    notification_matches,
    object_matches,
)
from gateway.webhooks.pending import Delivery, delivery

Hook = dict[str, Any]
SINCE = "pvt_events_since"
EVERYTHING = "all"


def wants(
    hook: Hook, hook_event: str, event: dict[str, Any], payload: dict[str, Any], own: bool
) -> bool:
    """Kazoo's filters: the hook's name, sub-accounts, and `custom_data.type`/`action`."""
    if not own and not hook.get("include_subaccounts"):
        return False
    if event["at"] < hook.get(SINCE, 0):
        return False  # a hook hears what happens from its creation on
    if hook.get("hook") not in (hook_event, EVERYTHING):
        return False
    custom_data = hook.get("custom_data") or {}
    if hook_event == OBJECT:
        return object_matches(event, custom_data)
    if hook_event == NOTIFICATIONS:
        return notification_matches(payload, custom_data)
    return True


def deliveries_for(
    event: dict[str, Any], ancestors: list[str], hooks: dict[str, list[Hook]]
) -> list[Delivery]:
    """One delivery per hook that wants the event; `custom_data` under the event's own keys."""
    found: list[Delivery] = []
    for hook_event, payload in hooks_for(event):
        for owner in (event["account_id"], *ancestors):
            for hook in hooks.get(owner, []):
                if wants(hook, hook_event, event, payload, owner == event["account_id"]):
                    merged = {**(hook.get("custom_data") or {}), **payload}
                    found.append(delivery(hook, event, hook_event, merged))
    return found

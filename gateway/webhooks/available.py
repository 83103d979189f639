"""The hooks `GET /v2/webhooks` lists: Kazoo's hook definitions for the events we can feed."""

from __future__ import annotations

from typing import Any

# Kazoo's default object types (its `object_types` setting); any other type still fires for
# `type: all`, these are the values a hook may filter on.
OBJECT_TYPES = (
    "account",
    "callflow",
    "device",
    "faxbox",
    "media",
    "user",
    "vmbox",
    "fax",
    "mailbox_message",
    "call_recording",
)
OBJECT_ACTIONS = ("doc_created", "doc_edited", "doc_deleted")
# Kazoo hides these notification types from all but super-duper admins.
SUPER_ADMIN_ONLY = ("system_alert", "webhook_disabled")
# Every notification type Kazoo defines: (friendly_name, description), by name.
NOTIFICATION_TYPES: dict[str, tuple[str, str]] = {
    "account_zone_change": (
        "Account Zone Change",
        "Fires when a user asks for the home zone of an account to be changed.",
    ),
    "all": ("All", "Fires for every notification event, whatever its type."),
    "bill_reminder": (
        "Bill Reminder",
        "Fires a few days before month end to remind account owners of expected service "
        "plan charges.",
    ),
    "cf_notification": (
        "Customer defined notification",
        "Fires when a customer sends a notification of their own, for example from a callflow.",
    ),
    "cnam_request": (
        "CNAM Update",
        "Fires when a user asks for the caller ID name on a number to be changed.",
    ),
    "customer_update": (
        "Customer Update",
        "Fires when the customer update API is used to send a message to the account.",
    ),
    "denied_emergency_bridge": (
        "Emergency Call Failed",
        "Fires when a call to a number classed as emergency does not go through.",
    ),
    "deregister": (
        "De-Registration",
        "Fires when a device misses its re-registration and its contact expires.",
    ),
    "emergency_bridge": (
        "Emergency Call Placed",
        "Fires when a call is placed to a number classed as emergency.",
    ),
    "first_occurrence": (
        "Account First Occurrence",
        "Fires when an account registers its first device or makes its first call.",
    ),
    "inbound_fax": (
        "Successful Fax Reception",
        "Fires when a fax comes in and is received without error.",
    ),
    "inbound_fax_error": (
        "Fax Reception Error",
        "Fires when an incoming fax could not be received.",
    ),
    "low_balance": (
        "Account Low Balance",
        "Fires when an account's balance is found to be under the notification threshold.",
    ),
    "missed_call": (
        "Missed Call",
        "Fires when a callflow runs its missed call action.",
    ),
    "new_account": (
        "New Account",
        "Fires when a user creates a new account.",
    ),
    "new_user": ("New User", "Fires when a user adds a new user."),
    "number_feature_manual_action": (
        "Number Feature Manual Action Required",
        "Fires when a number feature is turned on or off and someone must take a manual step.",
    ),
    "outbound_fax": (
        "Successful Fax Transmission",
        "Fires when a fax goes out and is delivered without error.",
    ),
    "outbound_fax_error": (
        "Fax Transmission Error",
        "Fires when an outgoing fax could not be sent.",
    ),
    "outbound_smtp_fax_error": (
        "Invalid Email-to-Fax Email",
        "Fires when an email sent in for email-to-fax is not valid.",
    ),
    "password_recovery": (
        "Password Recovery",
        "Fires when a user asks for a link to reset their password.",
    ),
    "port_cancel": ("Port Cancel", "Fires when a port request is called off."),
    "port_comment": (
        "Port Comment",
        "Fires when someone adds a comment to a port request.",
    ),
    "port_pending": (
        "Port Pending",
        "Fires when a port request is accepted and passed on to a carrier.",
    ),
    "port_rejected": ("Port Rejected", "Fires when a port request is turned down."),
    "port_request": (
        "Port Request",
        "Fires when a port is sent in to be processed.",
    ),
    "port_scheduled": (
        "Port Scheduled",
        "Fires when a carrier accepts a port and sets a date for it.",
    ),
    "port_unconfirmed": (
        "Port Unconfirmed",
        "Fires when a port is created but not yet submitted.",
    ),
    "ported": ("Ported", "Fires when a port request for a number has finished."),
    "register": (
        "Registration",
        "Fires when a device that is not currently registered registers.",
    ),
    "service_added": (
        "Service Added",
        "Fires when the billable item counts on an account change.",
    ),
    "system_alert": ("System Alert", "Fires to send an alert to the system administrators."),
    "topup": (
        "Automatic Account Top-up",
        "Fires when an automatic top-up of an account's balance is tried.",
    ),
    "transaction": (
        "Transaction Completed",
        "Fires whenever a transaction is tried, whether or not it succeeds.",
    ),
    "voicemail_full": (
        "Voicemail Box Full",
        "Fires when a caller cannot leave a voicemail message because the box is full.",
    ),
    "voicemail_new": (
        "New Voicemail Message",
        "Fires when a new voicemail message is left in a box.",
    ),
    "voicemail_saved": (
        "Voicemail Message Saved",
        "Fires when a voicemail message is saved to the box's 'new' folder.",
    ),
    "webhook": (
        "Callflow Webhook Triggered",
        "Fires when a callflow reaches a webhook action.",
    ),
    "webhook_disabled": ("Webhook Disabled", "Fires when a webhook is switched off."),
}


def _row(hook: str, name: str, description: str, **modifiers: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"id": hook, "name": name, "description": description}
    if modifiers:
        row["modifiers"] = modifiers
    return row


def _object_filter(description: str, items: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "array", "description": description, "items": ["all", *items]}


def available_hooks(super_admin: bool = False) -> list[dict[str, Any]]:
    """The listing rows, ordered by `name` as Kazoo's view is."""
    types = {
        key: {"friendly_name": friendly, "description": description}
        for key, (friendly, description) in NOTIFICATION_TYPES.items()
        if super_admin or key not in SUPER_ADMIN_ONLY
    }
    return [
        _row(
            "channel_answer",
            "Channel Answer",
            "Fires when a channel gets two-way audio, for example when the called party or a "
            "voicemail box picks up.",
        ),
        _row(
            "channel_bridge",
            "Channel Bridge",
            "Fires when two channels are joined, for example when two users or devices are "
            "connected.",
        ),
        _row(
            "channel_create",
            "Channel Create",
            "Fires when a new channel is set up.",
        ),
        _row(
            "channel_destroy",
            "Channel Destroy",
            "Fires when a channel is torn down, most often because of a hangup.",
        ),
        _row(
            "notifications",
            "Notifications Webhook",
            "Fires when Kazoo raises a notification event.",
            type={"type": "object", "items": types},
        ),
        _row(
            "object",
            "Object",
            "Fires when an object in Kazoo, such as a JSON document, changes.",
            type=_object_filter("Object types this hook should handle.", OBJECT_TYPES),
            action=_object_filter("Object actions this hook should handle.", OBJECT_ACTIONS),
        ),
    ]


# What anyone but a super-duper admin sees (the listing needs no login).
AVAILABLE = available_hooks()

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
        "This event is triggered when an end user requests the home zone of an account is changed",
    ),
    "all": ("All", "This event is triggered for any notification events"),
    "bill_reminder": (
        "Bill Reminder",
        "This event is triggered before a few days before the end of the month to remind "
        "account's owners of estimated service plan charges",
    ),
    "cf_notification": (
        "Customer defined notification",
        "This event is triggered when an customer want send own notification, as example from "
        "callflow",
    ),
    "cnam_request": (
        "CNAM Update",
        "This event is triggered when an end user would like the CNAM for a number changed",
    ),
    "customer_update": (
        "Customer Update",
        "This event is triggered when the customer update API is used to deliver a message to "
        "the account",
    ),
    "denied_emergency_bridge": (
        "Emergency Call Failed",
        "This event is triggered when a call to an number classified as emergency fails",
    ),
    "deregister": (
        "De-Registration",
        "This event is triggered when a device fails to re-register and the contact expires",
    ),
    "emergency_bridge": (
        "Emergency Call Placed",
        "This event is triggered when a call to an number classified as emergency is placed",
    ),
    "first_occurrence": (
        "Account First Occurrence",
        "This event is triggered when an end user registers the first device and/or places the "
        "first call on an account",
    ),
    "inbound_fax": (
        "Successful Fax Reception",
        "This event is triggered when a fax is successfully received",
    ),
    "inbound_fax_error": (
        "Fax Reception Error",
        "This event is triggered when receiving a fax fails",
    ),
    "low_balance": (
        "Account Low Balance",
        "This event is triggered when an account is found with a balance below the notification "
        "threshold",
    ),
    "missed_call": (
        "Missed Call",
        "This event is triggered when an corresponding missed call action in a callflow is "
        "invoked",
    ),
    "new_account": (
        "New Account",
        "This event is triggered when an end user creates a new account",
    ),
    "new_user": ("New User", "This event is triggered when an end user creates a new user"),
    "number_feature_manual_action": (
        "Number Feature Manual Action Required",
        "This event is triggered when a number feature is activate/deactivated and a manual "
        "action is required",
    ),
    "outbound_fax": (
        "Successful Fax Transmission",
        "This event is triggered when a fax is successfully transmitted",
    ),
    "outbound_fax_error": (
        "Fax Transmission Error",
        "This event is triggered when transmitting a fax fails",
    ),
    "outbound_smtp_fax_error": (
        "Invalid Email-to-Fax Email",
        "This event is triggered when the received email-to-fax email is invalid",
    ),
    "password_recovery": (
        "Password Recovery",
        "This event is triggered when an end user requests a password recovery link",
    ),
    "port_cancel": ("Port Cancel", "This event is triggered when a port request is canceled"),
    "port_comment": (
        "Port Comment",
        "This event is triggered when a comment is left on a port request",
    ),
    "port_pending": (
        "Port Pending",
        "This event is triggered when a port request is accepted and submitted to a carrier",
    ),
    "port_rejected": ("Port Rejected", "This event is triggered when a port request is rejected"),
    "port_request": (
        "Port Request",
        "This event is triggered when a port is submitted for processing",
    ),
    "port_scheduled": (
        "Port Scheduled",
        "This event is triggered when a port is accepted by a carrier and scheduled",
    ),
    "port_unconfirmed": (
        "Port Unconfirmed",
        "This event is triggered when a port is created, prior to submitting",
    ),
    "ported": ("Ported", "This event is triggered when a port request for number is completed"),
    "register": (
        "Registration",
        "This event is triggered when a device registers but is not currently registered",
    ),
    "service_added": (
        "Service Added",
        "This event is triggered when an account's billable quantities change",
    ),
    "system_alert": ("System Alert", "This event is triggered to alert the system administrators"),
    "topup": (
        "Automatic Account Top-up",
        "This event is triggered when an account automatic top-up is attempted",
    ),
    "transaction": (
        "Transaction Completed",
        "This event is triggered when a transaction is attempted",
    ),
    "voicemail_full": (
        "Voicemail Box Full",
        "This event is triggered any time an attempt to leave a voicemail message is blocked "
        "because the voicemail box is full",
    ),
    "voicemail_new": (
        "New Voicemail Message",
        "This event is triggered any time a voicemail message is left",
    ),
    "voicemail_saved": (
        "Voicemail Message Saved",
        "This event is triggered any time a voicemail message is saved in the voicemail box "
        "'new' folder",
    ),
    "webhook": (
        "Callflow Webhook Triggered",
        "This event is triggered when a corresponding webhook action in a callflow is reached",
    ),
    "webhook_disabled": ("Webhook Disabled", "This event is triggered when a webhook is disabled"),
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
            "This webhook is triggered when a channel establishes two-way audio, such as a "
            "voicemail box or the called party answering",
        ),
        _row(
            "channel_bridge",
            "Channel Bridge",
            "This webhook is triggered when two channels are bridged together, such as two "
            "users/devices connected together",
        ),
        _row(
            "channel_create",
            "Channel Create",
            "This webhook is triggered when a new channel is created",
        ),
        _row(
            "channel_destroy",
            "Channel Destroy",
            "This webhook is triggered when a channel is destroyed, usually as a result of a "
            "hangup",
        ),
        _row(
            "notifications",
            "Notifications Webhook",
            "Fire a webhook when a notification event is triggered in Kazoo",
            type={"type": "object", "items": types},
        ),
        _row(
            "object",
            "Object",
            "Receive notifications when objects (like JSON document objects) in Kazoo are changed",
            type=_object_filter("A list of object types to handle", OBJECT_TYPES),
            action=_object_filter("A list of object actions to handle", OBJECT_ACTIONS),
        ),
    ]


# What anyone but a super-duper admin sees (the listing needs no login).
AVAILABLE = available_hooks()

"""`/v1/pbx/voicemail`: Kazoo `vmboxes` documents, read and changed through the same write
path as `/v2/accounts/{A}/vmboxes`; the PIN is taken, never shown."""

from __future__ import annotations

from gateway.crossbar.documents import Doc
from gateway.crossbar.merge import public
from gateway.crossbar.write import save
from gateway.dialects.dodev.body import kazoo_fields, refuse_unknown
from gateway.dialects.dodev.endpoint import Answer, Call, Endpoint
from gateway.dialects.dodev.errors import invalid_field
from gateway.dialects.dodev.ids import EXTENSION, VOICEMAIL
from gateway.dialects.dodev.pages import cursor_page
from gateway.dialects.dodev.paths import put_at, value_at
from gateway.resources.vm_messages import BOX, MESSAGE_DOCS
from gateway.resources.vmboxes import VMBOX_DOCS, VMBOXES

EMAILS = "notify_email_addresses"
# Each writable field and where it lives in the box document.
FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "pin": ("pin",),
    "pinRequired": ("require_pin",),
    "emails": (EMAILS,),
    "emailAudio": ("include_message_on_notify",),
    "emailTranscription": ("include_transcription_on_notify",),
    "deleteAfterEmail": ("delete_after_notify",),
    "transcription": ("transcribe",),
    "greetingId": ("media", "unavailable"),
}
NOTIFICATIONS = "emailNotifications"
WRITABLE = (*FIELDS, NOTIFICATIONS)
# The box schema's error paths, named as this dialect names them.
NAMES = {".".join(path): name for name, path in FIELDS.items()}
SHOWN = ("name", "pinRequired", "emails", "emailAudio", "emailTranscription", "deleteAfterEmail")
COUNTED = ("new", "saved")


def mailbox_of(doc: Doc, messages: dict[str, int] | None = None) -> Doc:
    """A box as this dialect shows it: never its PIN, only whether it has one."""
    owner = doc.get("owner_id")
    emails = list(doc.get(EMAILS) or [])
    return {
        "id": VOICEMAIL.public(doc["id"]),
        "mailbox": doc.get("mailbox"),
        "extensionId": EXTENSION.public(owner) if isinstance(owner, str) and owner else None,
        **{name: value_at(doc, FIELDS[name]) for name in SHOWN},
        "emailNotifications": bool(emails),
        "transcription": doc.get("transcribe"),
        "pinSet": bool(doc.get("pin")),
        "greetingId": value_at(doc, FIELDS["greetingId"]),
        "messages": messages or dict.fromkeys(COUNTED, 0),
    }


async def message_counts(call: Call, box_ids: list[str]) -> dict[str, dict[str, int]]:
    """New and saved messages of each box: one query for all of them (the box id index)."""
    counts = {box_id: dict.fromkeys(COUNTED, 0) for box_id in box_ids}
    if not box_ids:
        return counts
    for message in await call.ctx.store.find(MESSAGE_DOCS.kind, {BOX: {"$in": box_ids}}):
        folder = message.get("folder")
        if folder in COUNTED and message.get(BOX) in counts:
            counts[message[BOX]][folder] += 1
    return counts


async def list_mailboxes(call: Call) -> Answer:
    """GET: a page of the account's boxes, by name, with their message counts (two queries)."""
    box_ids: list[str] = []

    def shown(doc: Doc) -> Doc:
        box_ids.append(doc["id"])
        return mailbox_of(doc)

    answer = await cursor_page(call, VMBOXES, "mailboxes", shown)
    counts = await message_counts(call, box_ids)
    for row, box_id in zip(answer.body["mailboxes"], box_ids, strict=True):
        row["messages"] = counts[box_id]
    return answer


def _notifications(changes: Doc, merged: Doc) -> None:
    """`emailNotifications: false` stops the e-mails; true needs addresses to send them to."""
    wanted = changes[NOTIFICATIONS]
    if not isinstance(wanted, bool):
        raise invalid_field(NOTIFICATIONS, "type", "emailNotifications must be true or false")
    if not wanted:
        if changes.get("emails"):
            raise invalid_field(NOTIFICATIONS, "conflict", "emails given with notifications off")
        merged[EMAILS] = []
    elif not merged.get(EMAILS):
        raise invalid_field("emails", "required", "Give the addresses to send new messages to")


async def patch_mailbox(call: Call) -> Answer:
    """PATCH: the given fields (null clears one) over the stored box, saved and validated as a
    /v2 PATCH of the box is, its errors named as these fields."""
    box = await VOICEMAIL.load(call, VMBOX_DOCS, call.params["id"])
    changes = call.json_object()
    refuse_unknown(changes, WRITABLE)
    merged = {k: v for k, v in public(box).items() if k not in VMBOX_DOCS.hidden}
    for name, value in changes.items():
        if name in FIELDS:
            put_at(merged, FIELDS[name], value)
    if NOTIFICATIONS in changes:
        _notifications(changes, merged)
    saved = box
    if changes:
        emails = changes.get("emails")
        listed = range(len(emails)) if isinstance(emails, list) else range(0)
        names = {**NAMES, **{f"{EMAILS}.{index}": "emails" for index in listed}}
        with kazoo_fields(names):
            saved = await save(call.ctx, VMBOX_DOCS, merged, box)
    counts = await message_counts(call, [saved["id"]])
    return Answer(mailbox_of(saved, counts[saved["id"]]))


ENDPOINTS = (
    Endpoint("GET", "voicemail", "pbx:voicemail:read", list_mailboxes),
    Endpoint("PATCH", "voicemail/{id}", "pbx:voicemail:write", patch_mailbox),
)

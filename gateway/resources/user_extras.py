"""users/{U}/photo (binary) and users/{U}/vcard."""

from __future__ import annotations

import re

from gateway.crossbar.binary import download, read_upload, store_upload, swap_file
from gateway.crossbar.context import Context, Reply
from gateway.crossbar.documents import Doc, Documents
from gateway.crossbar.errors import NotFound
from gateway.crossbar.merge import public
from gateway.crossbar.resource import Handler
from gateway.crossbar.write import load_scoped, save

PHOTO = "pvt_photo"


async def _replace_private(
    ctx: Context, docs: Documents, old: Doc, key: str, value: object
) -> Doc:
    """Save `old` with one private field changed, through the write path."""
    current = {k: v for k, v in public(old).items() if k not in docs.hidden}
    changed = {**old, key: value}
    if value is None:
        changed.pop(key)
    return await save(ctx, docs, current, changed, before=old)


def photo_handlers(docs: Documents) -> dict[str, Handler]:
    """GET, POST and DELETE of a user's photo."""

    async def read(ctx: Context) -> Reply:
        user = await load_scoped(ctx, docs, ctx.args[0])
        photo = user.get(PHOTO)
        if not photo:
            raise NotFound(f"{user['id']}/photo")
        return await download(ctx, photo["file_id"], "photo", photo["content_type"])

    async def upload(ctx: Context) -> Reply:
        user = await load_scoped(ctx, docs, ctx.args[0])
        stored = await store_upload(ctx, await read_upload(ctx, ctx.content_type, "photo"))
        photo = {
            "file_id": stored.file_id,
            "content_type": stored.content_type,
            "length": stored.length,
        }
        old_file = (user.get(PHOTO) or {}).get("file_id")
        write = _replace_private(ctx, docs, user, PHOTO, photo)
        saved = await swap_file(ctx, stored, old_file, write)
        return Reply(docs.show(ctx, saved), revision=saved["_rev"])

    async def delete(ctx: Context) -> Reply:
        user = await load_scoped(ctx, docs, ctx.args[0])
        if not user.get(PHOTO):
            raise NotFound(f"{user['id']}/photo")
        saved = await _replace_private(ctx, docs, user, PHOTO, None)
        await ctx.store.files.delete(user[PHOTO]["file_id"])
        return Reply(docs.show(ctx, saved), revision=saved["_rev"])

    return {"GET": read, "POST": upload, "DELETE": delete}


def _escape(value: object) -> str:
    text = str(value)
    for raw, escaped in (("\\", "\\\\"), (",", "\\,"), (";", "\\;"), ("\n", "\\n")):
        text = text.replace(raw, escaped)
    return text


def vcard(user: Doc) -> str:
    """A vCard 3.0 of a user."""
    first, last = user.get("first_name", ""), user.get("last_name", "")
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"FN:{_escape(f'{first} {last}'.strip())}",
        f"N:{_escape(last)};{_escape(first)};;;",
    ]
    if user.get("email"):
        lines.append(f"EMAIL;TYPE=INTERNET:{_escape(user['email'])}")
    for kind in ("internal", "external"):
        number = (user.get("caller_id", {}).get(kind) or {}).get("number")
        if number:
            lines.append(f"TEL;TYPE={'WORK' if kind == 'internal' else 'VOICE'}:{_escape(number)}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


_UNSAFE_FILENAME = re.compile(r'[\x00-\x1f\x7f";\\/]')


def vcard_handler(docs: Documents) -> dict[str, Handler]:
    """GET users/{U}/vcard."""

    async def read(ctx: Context) -> Reply:
        user = await load_scoped(ctx, docs, ctx.args[0])
        name = f"{user.get('first_name', '')}_{user.get('last_name', '')}".strip("_") or "user"
        # A header carries no control characters, quotes or separators of its own.
        name = _UNSAFE_FILENAME.sub("_", name)
        return Reply(
            body=vcard(user).encode(),
            content_type="text/x-vcard",
            headers={"Content-Disposition": f"attachment; filename={name}.vcf"},
        )

    return {"GET": read}

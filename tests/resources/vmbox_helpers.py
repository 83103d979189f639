"""Helpers shared by the vmboxes and voicemail message tests."""

from __future__ import annotations

import json
from typing import Any

import aiohttp

from tests.resources.clients import Api


def make_vmbox(**overrides: Any) -> dict[str, Any]:
    """A valid vmbox body."""
    return {"name": "Main box", "mailbox": "3000", **overrides}


def boxes(api: Api, tail: str = "") -> str:
    """The customer's vmboxes path plus a tail."""
    return f"/v2/accounts/{api.tree.customer['id']}/vmboxes{tail}"


async def create_box(api: Api, **overrides: Any) -> dict[str, Any]:
    """PUT a vmbox; its data."""
    status, body = await api.call("PUT", boxes(api), json={"data": make_vmbox(**overrides)})
    assert status == 201, body
    return dict(body["data"])


def deposit_form(
    metadata: dict[str, Any], audio: bytes, audio_type: str
) -> aiohttp.MultipartWriter:
    """A multipart/mixed deposit: the JSON metadata part then the audio part."""
    writer = aiohttp.MultipartWriter("mixed")
    writer.append(json.dumps({"data": metadata}), {"Content-Type": "application/json"})
    part = writer.append(audio, {"Content-Type": audio_type})
    part.set_content_disposition("attachment", filename="voice.mp3")
    return writer


async def deposit(
    api: Api, box_id: str, audio: bytes = b"ID3-audio", **metadata: Any
) -> dict[str, Any]:
    """Leave a message (multipart) in a box; its data."""
    form = deposit_form(metadata, audio, "audio/mpeg")
    status, body = await api.call("PUT", boxes(api, f"/{box_id}/messages"), data=form)
    assert status == 201, body
    return dict(body["data"])

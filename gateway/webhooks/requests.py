"""What a delivery sends: Kazoo's verbs and formats, signed per Standard Webhooks."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from gateway.crossbar.jsonout import encode
from gateway.webhooks.signing import signed_headers

USER_AGENT = "pbx-gateway-webhooks/1"
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Outgoing:
    """One HTTP request, ready to send."""

    method: str
    url: str
    body: bytes
    headers: dict[str, str]
    query: list[tuple[str, str]]


def form_pairs(value: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Kazoo's form encoding: nested keys as `a[b]`, list items as `a[]`."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from form_pairs(item, f"{prefix}[{key}]" if prefix else str(key))
    elif isinstance(value, list):
        for item in value:
            yield from form_pairs(item, f"{prefix}[]")
    elif isinstance(value, bool):
        yield prefix, "true" if value else "false"
    elif value is not None:
        yield prefix, str(value)


def hook_secrets(hook: dict[str, Any], now: float) -> list[str]:
    """The secrets that sign now: the current one, and the previous during its overlap."""
    found = [hook["pvt_secret"]] if hook.get("pvt_secret") else []
    if hook.get("pvt_secret_previous") and hook.get("pvt_secret_previous_until", 0) > now:
        found.append(hook["pvt_secret_previous"])
    return found


def outgoing(hook: dict[str, Any], message_id: str, payload: dict[str, Any]) -> Outgoing:
    """The request for one payload to one hook (`http_verb`, `format`)."""
    verb = str(hook.get("http_verb") or "post").upper()
    as_json = hook.get("format") == "json"
    headers = {"User-Agent": USER_AGENT}
    query: list[tuple[str, str]] = []
    if verb == "GET":
        query = list(form_pairs(payload))
        body = b""
    elif as_json:
        body = encode(payload)
        headers["Content-Type"] = "application/json"
    else:
        body = urlencode(list(form_pairs(payload))).encode()
        headers["Content-Type"] = FORM
    now = time.time()
    signed = signed_headers(hook_secrets(hook, now), message_id, int(now), body)
    if not signed["webhook-signature"]:
        del signed["webhook-signature"]  # a hook stored before hooks had secrets
    headers.update(signed)
    return Outgoing(verb, str(hook["uri"]), body, headers, query)

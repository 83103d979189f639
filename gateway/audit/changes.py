"""A before/after diff of two documents with secrets masked (pure)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

MASK = "******"
# Keys whose values are secrets wherever they appear: passwords (users, devices' `sip`,
# carriers, connectivity servers, conference bridges), PINs (users, hotdesk, vmboxes, menus'
# `record_pin`, conference `pins`, port requests' `bill.pin`), API keys, signing secrets
# (webhooks' `pvt_secret`, `pvt_secret_previous`), tokens, Kazoo's `pvt_md5_auth`-style
# credential hashes and the login tags derived from them (`pvt_md5_bucket`), and webhooks'
# `custom_data`, whose free-form values exist to carry credentials to the receiver.
_SECRET = re.compile(
    r"password|passwd|secret|api_?key|token|credential|authorization"
    r"|(^|_)pins?$|^pvt_\w+_(hash|auth|bucket)$|^custom_data$"
)
_ABSENT = object()
Doc = dict[str, Any]


def is_secret(key: str) -> bool:
    """True for a key whose value is never shown."""
    return _SECRET.search(key.lower().replace("-", "_")) is not None


def masked(value: Any, secret: bool = False) -> Any:
    """`value` with every secret replaced by MASK (flags and nulls are not secrets)."""
    if isinstance(value, Mapping):
        return {key: masked(item, secret or is_secret(str(key))) for key, item in value.items()}
    if value is None or isinstance(value, bool):
        return value
    if secret:
        return MASK
    if isinstance(value, list):
        return [masked(item) for item in value]
    return value


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[Doc, Doc, list[str]]:
    """(old values, new values, dotted paths) of what differs; a changed secret shows as
    MASK on both sides, so it is still seen to have changed."""
    old: Doc = {}
    new: Doc = {}
    paths: list[str] = []
    _walk(before, after, (), False, old, new, paths)
    return old, new, paths


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and bool(a == b)


def _walk(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    path: tuple[str, ...],
    secret: bool,
    old: Doc,
    new: Doc,
    paths: list[str],
) -> None:
    for key in [*before, *(key for key in after if key not in before)]:
        a, b = before.get(key, _ABSENT), after.get(key, _ABSENT)
        if _same(a, b):
            continue
        hidden = secret or is_secret(key)
        where = (*path, key)
        if isinstance(a, Mapping) and isinstance(b, Mapping):
            inner_old: Doc = {}
            inner_new: Doc = {}
            _walk(a, b, where, hidden, inner_old, inner_new, paths)
            if inner_old:
                old[key] = inner_old
            if inner_new:
                new[key] = inner_new
            continue
        if a is not _ABSENT:
            old[key] = masked(a, hidden)
        if b is not _ABSENT:
            new[key] = masked(b, hidden)
        paths.append(".".join(where))

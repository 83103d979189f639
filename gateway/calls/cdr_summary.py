"""`cdrs/summary`: billable seconds of carrier legs by direction, domain and number class."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# Kazoo's classifiers, tried in this order on the dialled number (the user part of `to`).
CLASSIFIERS = (
    ("tollfree_us", re.compile(r"^\+1((?:800|888|877|866|855)\d{7})$")),
    ("toll_us", re.compile(r"^\+1(900\d{7})$")),
    ("emergency", re.compile(r"^(911|933)$")),
    (
        "caribbean",
        re.compile(
            r"^\+?1((?:684|264|268|242|246|441|284|345|767|809|829|849|473|671|876|664|670|787"
            r"|939|869|758|784|721|868|649|340)\d{7})$"
        ),
    ),
    ("did_us", re.compile(r"^\+?1?([2-9][0-9]{2}[2-9][0-9]{6})$")),
    ("international", re.compile(r"^\+[2-9]\d{7,}$")),
)


def classify(number: str) -> str:
    """The first classifier matching the number, else `unknown`."""
    for name, pattern in CLASSIFIERS:
        if pattern.match(number):
            return name
    return "unknown"


def counts(cdr: dict[str, Any]) -> bool:
    """Kazoo counts carrier legs only: not loopbacks, not device-originated inbound legs,
    not outbound legs that used no resource."""
    channel_vars = cdr.get("custom_channel_vars")
    if not isinstance(channel_vars, dict) or "loopback" in str(cdr.get("channel_name", "")):
        return False
    direction = cdr.get("call_direction")
    if direction == "inbound":
        return not channel_vars.get("authorizing_id")
    if direction == "outbound":
        return bool(channel_vars.get("resource_id"))
    return False


def _domain(uri: Any) -> str:
    text = str(uri or "")
    return text[text.find("@") + 1 :]


def _seconds(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class Summary:
    """`{inbound|outbound: {domain: {classifier: {"total": s, <rate name>: s}}}}`, built one
    CDR at a time so a month of records is never held at once."""

    def __init__(self) -> None:
        self.data: dict[str, dict[str, Any]] = {"inbound": {}, "outbound": {}}

    def add(self, cdr: dict[str, Any]) -> None:
        """Count one CDR's billable seconds where Kazoo would."""
        if not counts(cdr):
            return
        direction = cdr["call_direction"]
        to = str(cdr.get("to") or "")
        domain = _domain(cdr.get("from") if direction == "inbound" else to)
        number = to[: to.find("@")] if "@" in to else ""
        seconds = _seconds(cdr.get("billing_seconds"))
        by_class = self.data[direction].setdefault(domain, {})
        bucket = by_class.setdefault(classify(number), {"total": 0})
        bucket["total"] += seconds
        rate_name = cdr["custom_channel_vars"].get("rate_name")
        if rate_name:
            bucket[rate_name] = bucket.get(rate_name, 0) + seconds


def summarize(cdrs: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The summary of these CDRs."""
    summary = Summary()
    for cdr in cdrs:
        summary.add(cdr)
    return summary.data

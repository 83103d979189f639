"""GATEWAY_SERVER_TIMING: a write reports the time of each step of the write path."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest

from gateway.resources.users import USER_DOCS
from gateway.settings import Settings
from tests.resources.clients import Api

ENTRY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*);dur=([0-9]+\.[0-9]{3})$")


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    return dataclasses.replace(settings, server_timing=getattr(request, "param", True))


def timings(header: str) -> dict[str, float]:
    entries = [ENTRY.match(part.strip()) for part in header.split(",")]
    assert all(entries), header
    return {m.group(1): float(m.group(2)) for m in entries if m}


async def test_a_patch_reports_each_hook_of_the_write_path(api: Api, tree: Any) -> None:
    response = await api.send(
        "PATCH", api.users(tree.users["customer"]["id"]), json={"data": {"first_name": "Z"}}
    )
    assert response.status == 200
    steps = timings(response.headers["Server-Timing"])
    hooks = {"keep_own_privileges", "credentials", "media_references", "end_stale_sessions"}
    assert len(hooks) == len(USER_DOCS.before_save) + len(USER_DOCS.after_save)
    assert {"prepare", "handler", "validate", "store", *hooks} <= set(steps)
    assert steps["handler"] >= steps["store"]


@pytest.mark.parametrize("settings", [False], indirect=True)
async def test_without_the_setting_no_timing_is_sent(api: Api, tree: Any) -> None:
    response = await api.send("GET", api.users(tree.users["customer"]["id"]))
    assert response.status == 200
    assert "Server-Timing" not in response.headers

"""What a handler returns: a body, a status and what becomes of the session cookie."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from gateway.crossbar.context import Context


@dataclass
class Answer:
    """A success; `session` is a token the cookie is to carry, `end_session` clears it."""

    body: Any
    status: int = 200
    session: str | None = None
    end_session: bool = False


# A handler takes the request's context and its path's values (`{"id": "12"}`).
Handler = Callable[[Context, Mapping[str, str]], Awaitable[Answer]]


def answer(message: str, data: Any = None, status: int = 200) -> Answer:
    """Laravel's `{"message", "data"}` success shape (no `data` when there is none)."""
    body: dict[str, Any] = {"message": message}
    if data is not None:
        body["data"] = data
    return Answer(body, status)

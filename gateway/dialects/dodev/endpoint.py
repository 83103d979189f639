"""What an endpoint module declares and what its handlers receive and return."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from gateway.crossbar.context import Context
from gateway.dialects.dodev.errors import invalid_field


@dataclass(frozen=True)
class Call:
    """One authorised request: the crossbar context (identity, account), path values, body.

    `ctx` is what the crossbar write path and resource helpers take: `ctx.identity` is the key's
    caller, `ctx.account` its account (as cached), `ctx.account_id` that account's id.
    """

    ctx: Context
    params: Mapping[str, str]
    body: Any = None

    @property
    def account_id(self) -> str:
        """The key's account: the only one this request may reach."""
        return self.ctx.path_account_id

    @property
    def query(self) -> Mapping[str, str]:
        """The query string."""
        return self.ctx.query

    def json_object(self) -> dict[str, Any]:
        """The body, which must be a JSON object (400 VALIDATION_ERROR otherwise)."""
        if not isinstance(self.body, dict):
            raise invalid_field("body", "type", "The body must be a JSON object")
        return self.body


@dataclass
class Answer:
    """A handler's success: a JSON body (None: no body), its status and extra headers."""

    body: Any = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Call], Awaitable[Answer]]


@dataclass(frozen=True)
class Endpoint:
    """One verb on one path below /v1/pbx (`extensions/{id}`), the scope it needs, its handler.

    A `public` endpoint takes no key (its URL carries its own credential, as a signed upload
    URL does): no key, plan or scope is checked and its handler reads the body itself.
    """

    verb: str
    path: str
    scope: str
    handler: Handler
    public: bool = False

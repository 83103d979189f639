"""Logins and requests to /api."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

Client = TestClient[Any, Any]
LOGIN = "/api/admin/login"
LOGOUT = "/api/admin/logout"
TENANTS = "/api/tenants"
XHR = {"X-Requested-With": "XMLHttpRequest"}


async def kazi_login(client: Client, login: str, password: str) -> dict[str, Any]:
    """Log in through /api and return the answer's data (the cookie stays in the jar)."""
    response = await client.post(LOGIN, json={"login": login, "password": password})
    body = await response.json()
    assert response.status == 200, body
    return dict(body["data"])


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for a session token."""
    return {"Authorization": f"Bearer {token}"}


# --- /api/extensions -------------------------------------------------------------------------

EXTENSIONS = "/api/extensions"
# Top-level keys of a Kazoo envelope that never appear in an /api reply.
KAZOO_ENVELOPE_KEYS = frozenset({"status", "auth_token", "request_id", "revision", "node"})
PART_KINDS = ("users", "devices", "vmboxes", "callflows")
OMIT: Any = object()  # a field extension_fields leaves out
HEX = frozenset("0123456789abcdef")


def is_hex32(value: Any) -> bool:
    """A Kazoo document id: 32 lower-case hex digits."""
    return isinstance(value, str) and len(value) == 32 and all(c in HEX for c in value)


def is_int(value: Any) -> bool:
    """An integer (not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool)


def laravel(body: Any) -> dict[str, Any]:
    """The body, checked for the dialect's shape: an object with a message, no Kazoo keys."""
    assert isinstance(body, dict), body
    assert isinstance(body.get("message"), str), body
    assert not KAZOO_ENVELOPE_KEYS & set(body), body
    return body


def extension_fields(tenant_id: int | str, /, **overrides: Any) -> dict[str, Any]:
    """A valid POST /api/extensions body for `tenant_id` (fields set to OMIT are left out)."""
    fields: dict[str, Any] = {
        "tenant_id": tenant_id,
        "extension_number": "101",
        "display_name": "Front Desk",
        "email": "front.desk@example.com",
        "secret": "s3cret-Sip-Pass",
        "status": "active",
        "voicemail_enabled": True,
        **overrides,
    }
    return {name: value for name, value in fields.items() if value is not OMIT}


class KaziAdmin:
    """An /api session (bearer token) of one admin."""

    def __init__(self, client: Client, token: str) -> None:
        self.client, self.token = client, token

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.token)

    async def send(
        self, verb: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> Any:
        """The raw response (a body of None sends none)."""
        return await self.client.request(
            verb, path, json=body, headers={**self.headers, **(headers or {})}
        )

    async def call(
        self, verb: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, Any]]:
        """(status, body), the body checked for the Laravel shape."""
        response = await self.send(verb, path, body, headers)
        return response.status, laravel(await response.json())

    async def tenants(self) -> dict[str, dict[str, Any]]:
        """The caller's tenants by 32-hex account id."""
        status, body = await self.call("GET", TENANTS)
        assert status == 200, body
        return {str(item["account_id"]): dict(item) for item in body["data"]}

    async def tenant_id(self, account: dict[str, Any]) -> int:
        """The integer id of `account` as one of the caller's tenants."""
        tenant_id = (await self.tenants())[account["id"]]["id"]
        assert is_int(tenant_id), tenant_id
        return int(tenant_id)

    async def create(self, account: dict[str, Any], **overrides: Any) -> dict[str, Any]:
        """POST an extension into `account`; its data (201 asserted)."""
        fields = extension_fields(await self.tenant_id(account), **overrides)
        status, body = await self.call("POST", EXTENSIONS, fields)
        assert status == 201, body
        assert body["message"] == "Extension created successfully.", body
        return dict(body["data"])

    async def show(self, extension_id: Any) -> dict[str, Any]:
        """GET one extension; its data (200 asserted)."""
        status, body = await self.call("GET", f"{EXTENSIONS}/{extension_id}")
        assert status == 200, body
        assert body["message"] == "Extension loaded successfully.", body
        return dict(body["data"])

    async def listing(self, query: str = "") -> dict[str, Any]:
        """GET the extensions; the whole body (200 asserted)."""
        status, body = await self.call("GET", EXTENSIONS + query)
        assert status == 200, body
        assert body["message"] == "Extensions fetched successfully.", body
        return body

    async def numbers(self, query: str = "") -> list[str]:
        """The extension numbers listed, in listing order."""
        return [str(item["extension_number"]) for item in (await self.listing(query))["data"]]


async def kazi_admin(client: Client, login: str, password: str) -> KaziAdmin:
    """Log in through /api and keep the bearer token (the cookie jar is emptied)."""
    data = await kazi_login(client, login, password)
    client.session.cookie_jar.clear()
    return KaziAdmin(client, str(data["token"]))


class Kazoo:
    """The /v2 API with one admin's X-Auth-Token."""

    def __init__(self, client: Client, headers: dict[str, str]) -> None:
        self.client, self.headers = client, headers

    async def call(self, verb: str, path: str, data: Any = None) -> tuple[int, Any]:
        body = None if data is None else {"data": data}
        response = await self.client.request(verb, path, json=body, headers=self.headers)
        return response.status, await response.json()

    async def data(self, verb: str, path: str, data: Any = None) -> Any:
        status, body = await self.call(verb, path, data)
        assert status in (200, 201), body
        return body["data"]

    async def doc(self, account: dict[str, Any], tail: str) -> dict[str, Any]:
        """GET /v2/accounts/{account}/{tail}'s data."""
        return dict(await self.data("GET", f"/v2/accounts/{account['id']}/{tail}"))

    async def rows(self, account: dict[str, Any], kind: str) -> list[dict[str, Any]]:
        """A listing's rows, by id."""
        rows = await self.data("GET", f"/v2/accounts/{account['id']}/{kind}")
        return sorted((dict(row) for row in rows), key=lambda row: str(row["id"]))

    async def status(self, account: dict[str, Any], tail: str) -> int:
        """The status of GET /v2/accounts/{account}/{tail}."""
        return (await self.call("GET", f"/v2/accounts/{account['id']}/{tail}"))[0]

    async def parts(self, account: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
        """Every user, device, box and callflow row of `account` (to compare before/after)."""
        return {kind: await self.rows(account, kind) for kind in PART_KINDS}

    async def owned_devices(self, account: dict[str, Any], user_id: str) -> list[dict[str, Any]]:
        """The whole documents of the account's devices owned by `user_id`."""
        rows = await self.rows(account, "devices")
        owned = [row for row in rows if row.get("owner_id") == user_id]
        return [await self.doc(account, f"devices/{row['id']}") for row in owned]

    async def boxes_of(self, account: dict[str, Any], user_id: str) -> list[dict[str, Any]]:
        """The account's voicemail box rows owned by `user_id`."""
        return [
            row for row in await self.rows(account, "vmboxes") if row.get("owner_id") == user_id
        ]

    async def callflows_of(self, account: dict[str, Any], user_id: str) -> list[dict[str, Any]]:
        """The account's callflow rows owned by `user_id`, or whose flow starts at the user."""
        found = []
        for row in await self.rows(account, "callflows"):
            doc = await self.doc(account, f"callflows/{row['id']}")
            starts = (doc.get("flow") or {}).get("data", {}).get("id")
            if doc.get("owner_id") == user_id or starts == user_id:
                found.append(doc)
        return found

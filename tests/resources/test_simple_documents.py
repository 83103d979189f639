"""CRUD of the plain document resources: defaults, rows, PATCH, delete, other accounts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.conftest import Tree
from tests.resources.clients import Api, at, user_level_login

Body = dict[str, Any]


@dataclass(frozen=True)
class Case:
    """One resource: a minimal body, the defaults it gains, and its listing row."""

    name: str
    body: Body
    defaults: Body
    row_keys: tuple[str, ...]
    callflow_module: str | None = None
    extra_row: Body = field(default_factory=dict)
    # Keys only the create reply carries (a webhook's signing secret), never a later read.
    create_only: tuple[str, ...] = ()


CASES = (
    Case(
        "menus",
        {"name": "Main menu"},
        {
            "retries": 3,
            "max_extension_length": 4,
            "hunt": True,
            "media": {},
            "allow_record_from_offnet": False,
            "suppress_media": False,
        },
        ("id", "name", "flags"),
        "menu",
    ),
    Case(
        "temporal_rules",
        {"name": "Weekdays", "cycle": "weekly", "wdays": ["monday"]},
        {"interval": 1, "start_date": 62586115200},
        ("id", "name", "flags"),
        "temporal_route",
    ),
    Case(
        "directories",
        {"name": "Staff"},
        {"min_dtmf": 3, "max_dtmf": 0, "sort_by": "last_name", "confirm_match": True, "users": []},
        ("id", "name", "flags"),
        "directory",
    ),
    Case(
        "faxboxes",
        {"name": "Front desk"},
        {
            "caller_name": "Kazoo Fax Printer",
            "fax_header": "Kazoo Fax Printer",
            "retries": 1,
            "attempts": 0,
            "media": {},
            "smtp_permission_list": [],
        },
        ("id", "name", "created", "flags"),
        "faxbox",
    ),
    Case(
        "queues",
        {"name": "Support"},
        {
            "strategy": "round_robin",
            "agent_ring_timeout": 15,
            "agent_wrapup_time": 0,
            "connection_timeout": 3600,
            "max_queue_size": 0,
            "ring_simultaneously": 1,
            "enter_when_empty": True,
            "caller_exit_key": "#",
            "record_caller": False,
            "agents": [],
        },
        ("id", "name", "strategy"),
        "queue",
    ),
    Case(
        "blacklists",
        {"name": "Spam", "numbers": {"+14155550000": {}}},
        {},
        ("id", "name", "flags"),
    ),
    Case(
        "webhooks",
        {"name": "CDR", "uri": "https://example.com/hook", "hook": "channel_destroy"},
        {
            "http_verb": "post",
            "format": "form-data",
            "retries": 2,
            "enabled": True,
            "include_internal_legs": True,
        },
        ("id", "hook", "name", "uri", "enabled"),
        create_only=("secret",),
    ),
)
IDS = [case.name for case in CASES]


@pytest.fixture
async def user_level(client: Any, tree: Tree, auth_headers: Any) -> dict[str, str]:
    """Token headers of a `priv_level: user` login of the customer account."""
    return (await user_level_login(client, tree, auth_headers))[1]


def row_of(case: Case, doc: Body) -> Body:
    """The listing row a document should have."""
    row = {key: doc.get(key) for key in case.row_keys if key != "created"}
    if "flags" in row:
        row["flags"] = doc.get("flags", [])
    return row


async def create(api: Api, case: Case, **overrides: Any) -> Body:
    status, body = await api.call(
        "PUT", at(api.tree.customer, f"/{case.name}"), json={"data": {**case.body, **overrides}}
    )
    assert status == 201, body
    return {k: v for k, v in body["data"].items() if k not in case.create_only}


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_create_applies_defaults_and_read_returns_the_document(api: Api, case: Case) -> None:
    response = await api.send(
        "PUT", at(api.tree.customer, f"/{case.name}"), json={"data": {**case.body, "note": "x"}}
    )
    body = await response.json()
    assert response.status == 201, body
    doc = body["data"]
    for key in case.create_only:
        assert isinstance(doc.pop(key), str)
    assert doc == {"id": doc["id"], **case.body, **case.defaults, "note": "x"}
    assert (
        response.headers["Location"]
        == f"/v2/accounts/{api.tree.customer['id']}/{case.name}/{doc['id']}"
    )
    status, read = await api.call("GET", at(api.tree.customer, f"/{case.name}/{doc['id']}"))
    assert status == 200 and read["data"] == doc


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_listing_rows_are_kazoos_summary(api: Api, case: Case) -> None:
    first = await create(api, case, name="Alpha", flags=["a"])
    second = await create(api, case, name="Beta")
    status, body = await api.call("GET", at(api.tree.customer, f"/{case.name}"))
    assert status == 200, body
    rows = {row["id"]: row for row in body["data"]}
    assert set(rows) == {first["id"], second["id"]}
    for doc in (first, second):
        expected = row_of(case, doc)
        if "flags" in case.row_keys:
            expected["flags"] = doc.get("flags", [])
        if "created" in case.row_keys:
            assert isinstance(rows[doc["id"]].pop("created"), int)
        assert rows[doc["id"]] == expected
    assert [row["id"] for row in body["data"]] == sorted(rows, reverse=True)  # Kazoo: descending


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_post_replaces_and_patch_merges(api: Api, case: Case) -> None:
    doc = await create(api, case, extra={"a": 1, "b": 2})
    path = at(api.tree.customer, f"/{case.name}/{doc['id']}")
    status, body = await api.call("POST", path, json={"data": {**case.body, "name": "Renamed"}})
    assert status == 200, body
    assert body["data"] == {"id": doc["id"], **case.body, **case.defaults, "name": "Renamed"}
    status, body = await api.call("PATCH", path, json={"data": {"extra": {"a": 3}, "name": "P"}})
    assert status == 200, body
    expected = {"id": doc["id"], **case.body, **case.defaults, "name": "P", "extra": {"a": 3}}
    assert body["data"] == expected
    status, stored = await api.call("GET", path)
    assert stored["data"] == expected


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_patch_that_breaks_the_schema_returns_400_and_keeps_doc(
    api: Api, case: Case
) -> None:
    doc = await create(api, case)
    path = at(api.tree.customer, f"/{case.name}/{doc['id']}")
    status, body = await api.call("PATCH", path, json={"data": {"name": 5}})
    assert status == 400 and "name" in body["data"], body
    status, stored = await api.call("GET", path)
    assert stored["data"] == doc


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_delete_returns_doc_marked_deleted_then_404(api: Api, case: Case) -> None:
    doc = await create(api, case)
    path = at(api.tree.customer, f"/{case.name}/{doc['id']}")
    status, body = await api.call("DELETE", path)
    assert status == 200, body
    assert body["data"] == {**doc, "_read_only": {"deleted": True}}
    status, body = await api.call("GET", path)
    assert status == 404 and body["data"] == {"cause": doc["id"], "message": "bad identifier"}


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_ids_of_another_account_are_404_for_every_verb(
    api: Api, case: Case, auth_headers: Any
) -> None:
    other = Api(api.client, api.tree, await auth_headers("other"))
    status, body = await other.call(
        "PUT", at(api.tree.other, f"/{case.name}"), json={"data": case.body}
    )
    assert status == 201, body
    foreign = body["data"]["id"]
    path = at(api.tree.customer, f"/{case.name}/{foreign}")
    for verb, data in (("GET", None), ("POST", case.body), ("PATCH", {}), ("DELETE", None)):
        kwargs = {} if data is None else {"json": {"data": data}}
        status, body = await api.call(verb, path, **kwargs)
        assert status == 404, (verb, body)
        assert body["data"] == {"cause": foreign, "message": "bad identifier"}
    status, body = await api.call("GET", at(api.tree.customer, f"/{case.name}"))
    assert body["data"] == []


def callflow_to(case: Case, target: str) -> Body:
    """A callflow whose flow points at `target`."""
    assert case.callflow_module is not None
    if case.callflow_module == "temporal_route":
        flow = {
            "module": "temporal_route",
            "data": {},
            "children": {target: {"module": "menu", "data": {}, "children": {}}},
        }
    else:
        flow = {"module": case.callflow_module, "data": {"id": target}, "children": {}}
    return {"name": "Route", "numbers": ["2001"], "flow": flow}


REFERABLE = [case for case in CASES if case.callflow_module]


@pytest.mark.parametrize("case", REFERABLE, ids=[case.name for case in REFERABLE])
async def test_delete_is_refused_while_a_callflow_points_at_it(api: Api, case: Case) -> None:
    doc = await create(api, case)
    status, body = await api.call(
        "PUT", at(api.tree.customer, "/callflows"), json={"data": callflow_to(case, doc["id"])}
    )
    assert status == 201, body
    callflow = body["data"]
    path = at(api.tree.customer, f"/{case.name}/{doc['id']}")
    status, body = await api.call("DELETE", path)
    assert status == 400, body
    assert body["data"] == {
        "id": {
            "referenced": {
                "message": "Still used by callflow Route; change or delete it first",
                "cause": callflow["id"],
            }
        }
    }
    assert (await api.call("GET", path))[0] == 200
    status, _ = await api.call("DELETE", at(api.tree.customer, f"/callflows/{callflow['id']}"))
    assert status == 200
    status, body = await api.call("DELETE", path)
    assert status == 200, body


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_user_level_login_may_read_but_not_write(
    api: Api, case: Case, user_level: Any
) -> None:
    doc = await create(api, case)
    path = at(api.tree.customer, f"/{case.name}")
    status, body = await api.call("GET", f"{path}/{doc['id']}", headers=user_level)
    assert status == 200, body
    for verb, tail, data in (
        ("PUT", "", case.body),
        ("POST", f"/{doc['id']}", case.body),
        ("PATCH", f"/{doc['id']}", {"name": "X"}),
        ("DELETE", f"/{doc['id']}", None),
    ):
        kwargs = {} if data is None else {"json": {"data": data}}
        status, body = await api.call(verb, path + tail, auth=False, headers=user_level, **kwargs)
        assert status == 403, (verb, body)
    status, stored = await api.call("GET", f"{path}/{doc['id']}")
    assert stored["data"] == doc


async def test_faxbox_custom_smtp_address_is_unique_across_accounts(
    api: Api, auth_headers: Any
) -> None:
    body = {"name": "Fax", "custom_smtp_email_address": "fax@example.com"}
    assert (await api.call("PUT", at(api.tree.customer, "/faxboxes"), json={"data": body}))[
        0
    ] == 201
    other = Api(api.client, api.tree, await auth_headers("other"))
    status, reply = await other.call("PUT", at(api.tree.other, "/faxboxes"), json={"data": body})
    assert status == 400, reply
    assert reply["data"] == {
        "custom_smtp_email_address": {
            "unique": {"message": "email address must be unique", "cause": "fax@example.com"}
        }
    }


async def test_connectivity_lists_bare_ids_and_applies_server_defaults(api: Api) -> None:
    path = at(api.tree.customer, "/connectivity")
    server = {"auth": {"auth_user": "pbx", "auth_password": "secret"}}
    status, body = await api.call("PUT", path, json={"data": {"name": "PBX", "servers": [server]}})
    assert status == 201, body
    doc = body["data"]
    assert doc["servers"][0]["auth"] == {
        "auth_method": "password",
        "auth_user": "pbx",
        "auth_password": "secret",
    }
    status, body = await api.call("GET", path)
    assert status == 200 and body["data"] == [doc["id"]]
    status, body = await api.call("PATCH", f"{path}/{doc['id']}", json={"data": {"name": "P2"}})
    assert status == 200 and body["data"]["name"] == "P2"
    status, body = await api.call("DELETE", f"{path}/{doc['id']}")
    assert status == 200 and body["data"]["_read_only"] == {"deleted": True}
    assert (await api.call("GET", path))[1]["data"] == []

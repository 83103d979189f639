"""ledgers, limits, alerts and services: Kazoo's answers for an account with nothing billed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiohttp.test_utils import TestClient

from gateway.crossbar.clock import GREGORIAN_OFFSET
from gateway.resources.services import next_bill_date
from gateway.store import Store
from tests.conftest import Tree, login
from tests.resources.auth_checks import error_of
from tests.resources.clients import AsLevel, TokenApi, at

FORBIDDEN = {
    "status": "error",
    "error": "403",
    "message": "forbidden",
    "data": {"message": "forbidden"},
}
DEFAULT_LIMITS = {
    "allow_prepay": True,
    "authz_resource_types": [],
    "allow_postpay": False,
    "max_postpay_amount": 0,
    "id": "limits",
}


async def test_ledgers_show_a_zero_balance_and_no_entries(tree: Tree, as_level: AsLevel) -> None:
    call = await as_level("customer")
    customer = tree.customer
    status, body = await call("GET", at(customer, "/ledgers/total"))
    assert (status, body["data"]) == (200, {"amount": 0.0})
    assert isinstance(body["data"]["amount"], float)
    assert (await call("GET", at(customer, "/ledgers")))[1]["data"] == {}
    status, body = await call("GET", at(customer, "/ledgers/per-minute-voip"))
    assert (status, body["data"], body["page_size"]) == (200, [], 0)
    status, body = await call("GET", at(customer, f"/ledgers/per-minute-voip/{'a' * 32}"))
    assert status == 404
    assert body["data"] == {"cause": "a" * 32, "message": "bad identifier"}
    status, body = await call("GET", at(customer, "/ledgers/summary/202405"))
    assert (status, body["data"]) == (200, {"summary": {}, "breakdown": []})
    assert (await call("GET", at(customer, "/ledgers/summary/2024may")))[0] == 404


async def test_ledgers_available_lists_kazoos_default_sources(
    tree: Tree, as_level: AsLevel
) -> None:
    call = await as_level("customer")
    status, body = await call("GET", at(tree.customer, "/ledgers/available"))
    assert status == 200 and body["page_size"] == 4
    assert [row["name"] for row in body["data"]] == [
        "per-minute-voip",
        "services",
        "payments",
        "rollovers",
    ]


async def test_ledger_writes_are_not_served(tree: Tree, as_level: AsLevel) -> None:
    call = await as_level("reseller")
    for action in ("credit", "debit"):
        status, body = await call("PUT", at(tree.customer, f"/ledgers/{action}"), {"amount": 5})
        assert (status, body["message"]) == (405, "invalid_method")


async def test_a_sibling_sees_no_ledgers_alerts_or_services(tree: Tree, as_level: AsLevel) -> None:
    call = await as_level("other")
    for tail in ("/ledgers/total", "/ledgers", "/alerts", "/services", "/services/summary"):
        status, body = await call("GET", at(tree.customer, tail))
        assert (status, error_of(body)) == (403, FORBIDDEN), tail


async def test_limits_never_set_read_as_the_defaults(
    tree: Tree, as_level: AsLevel, store: Store
) -> None:
    customer = await as_level("customer")
    status, body = await customer("GET", at(tree.customer, "/limits"))
    assert (status, body["data"]) == (200, DEFAULT_LIMITS)
    assert await store.get("limits", tree.customer["id"]) is None


async def test_an_ancestor_sets_limits_and_the_account_reads_them(
    tree: Tree, as_level: AsLevel, store: Store
) -> None:
    reseller, customer = await as_level("reseller"), await as_level("customer")
    path = at(tree.customer, "/limits")
    body = {"inbound_trunks": 5, "twoway_trunks": 2, "note": "kept", "allow_postpay": True}
    status, saved = await reseller("POST", path, body)
    assert status == 200, saved
    assert saved["data"] == {
        "inbound_trunks": 5,
        "twoway_trunks": 2,
        "note": "kept",
        "allow_prepay": True,
        "authz_resource_types": [],
        "id": "limits",
    }
    status, read = await customer("GET", path)
    assert status == 200 and read["revision"] == saved["revision"]
    assert read["data"] == {**saved["data"], "allow_postpay": False, "max_postpay_amount": 0}
    stored = await store.get("limits", tree.customer["id"])
    assert stored is not None and stored["pvt_account_id"] == tree.customer["id"]
    assert "allow_postpay" not in stored
    status, replaced = await (await as_level("master"))("POST", path, {"outbound_trunks": 1})
    assert status == 200
    assert "inbound_trunks" not in replaced["data"] and replaced["data"]["outbound_trunks"] == 1
    assert replaced["revision"] != saved["revision"]


async def test_the_account_itself_cannot_change_its_limits(
    tree: Tree, as_level: AsLevel, store: Store
) -> None:
    customer = await as_level("customer")
    status, body = await customer("POST", at(tree.customer, "/limits"), {"inbound_trunks": 99})
    assert (status, error_of(body)) == (403, FORBIDDEN)
    assert await store.get("limits", tree.customer["id"]) is None
    reseller = await as_level("reseller")
    status, body = await reseller("POST", at(tree.reseller, "/limits"), {"inbound_trunks": 9})
    assert (status, error_of(body)) == (403, FORBIDDEN)


async def test_a_sibling_can_neither_read_nor_change_limits(
    tree: Tree, as_level: AsLevel, store: Store
) -> None:
    other = await as_level("other")
    path = at(tree.customer, "/limits")
    assert (await other("GET", path))[0] == 403
    status, body = await other("POST", path, {"inbound_trunks": 1})
    assert (status, error_of(body)) == (403, FORBIDDEN)
    assert await store.get("limits", tree.customer["id"]) is None


async def test_a_user_level_caller_above_cannot_change_limits(
    client: TestClient[Any, Any], tree: Tree, as_level: AsLevel, store: Store
) -> None:
    reseller = await as_level("reseller")
    user = {"first_name": "Rita", "last_name": "User", "username": "rita", "password": "rita-pw1"}
    status, created = await reseller("PUT", at(tree.reseller, "/users"), user)
    assert status == 201 and created["data"]["priv_level"] == "user"
    rita = TokenApi(client, {"X-Auth-Token": await login(client, "rita", "rita-pw1", "Reseller")})
    path = at(tree.customer, "/limits")
    assert (await rita("GET", path))[0] == 200
    status, body = await rita("POST", path, {"inbound_trunks": 3})
    assert (status, error_of(body)) == (403, FORBIDDEN)
    assert await store.get("limits", tree.customer["id"]) is None


async def test_bad_limits_are_400_and_change_nothing(
    tree: Tree, as_level: AsLevel, store: Store
) -> None:
    reseller = await as_level("reseller")
    path = at(tree.customer, "/limits")
    status, first = await reseller("POST", path, {"inbound_trunks": 4})
    assert status == 200
    status, body = await reseller("POST", path, {"inbound_trunks": -1})
    assert (status, body["message"]) == (400, "validation error")
    assert body["data"]["inbound_trunks"]["minimum"]["value"] == -1
    status, body = await reseller("POST", path, {"calls": 2, "allow_prepay": "maybe"})
    assert status == 400 and set(body["data"]["allow_prepay"]) == {"type"}
    status, body = await reseller("POST", path, {"authz_resource_types": "sip"})
    assert status == 400 and "type" in body["data"]["authz_resource_types"]
    status, body = await reseller("POST", path, [{"inbound_trunks": 1}])
    assert status == 400
    stored = await store.get("limits", tree.customer["id"])
    assert stored is not None and stored["_rev"] == first["revision"]
    assert stored["inbound_trunks"] == 4 and "calls" not in stored


async def test_alerts_are_an_empty_list_and_unknown_ids_are_404(
    tree: Tree, as_level: AsLevel
) -> None:
    call = await as_level("customer")
    status, body = await call("GET", at(tree.customer, "/alerts"))
    assert (status, body["data"], body["page_size"]) == (200, [], 0)
    for verb in ("GET", "DELETE"):
        status, body = await call(verb, at(tree.customer, f"/alerts/{'b' * 32}"))
        assert (status, body["message"]) == (404, "bad_identifier")
        assert body["data"] == {"cause": "b" * 32, "message": "bad identifier"}
    status, body = await (await as_level("master"))("PUT", at(tree.customer, "/alerts"), {})
    assert status == 405


async def test_services_show_no_plans_and_a_summary_in_good_standing(
    tree: Tree, as_level: AsLevel
) -> None:
    call = await as_level("customer")
    status, body = await call("GET", at(tree.customer, "/services"))
    assert (status, body["data"]) == (200, {})
    status, body = await call("GET", at(tree.customer, "/services/available"))
    assert (status, body["data"], body["page_size"]) == (200, [], 0)
    status, body = await call("GET", at(tree.customer, "/services/summary"))
    assert status == 200
    summary = body["data"]
    cycle = summary.pop("billing_cycle")
    assert summary == {
        "plans": {},
        "overrides": {},
        "invoices": [],
        "quantities": {"account": {}, "cascade": {}, "manual": {}},
        "reseller": {"id": tree.reseller["id"], "is_reseller": False},
        "ratedeck": {},
        "applications": {},
        "limits": {"id": "limits"},
        "im": {},
        "payment_tokens": {},
        "status": {"acceptable": True, "reason": "good standing not required"},
    }
    assert (cycle["period"], cycle["unit"]) == (1, "month")
    assert cycle["next"] == next_bill_date(datetime.now(UTC))


async def test_services_summary_shows_the_reseller_and_stored_limits(
    tree: Tree, as_level: AsLevel
) -> None:
    master = await as_level("master")
    assert (await master("POST", at(tree.reseller, "/limits"), {"twoway_trunks": 7}))[0] == 200
    reseller = await as_level("reseller")
    status, body = await reseller("GET", at(tree.reseller, "/services/summary"))
    assert status == 200
    assert body["data"]["reseller"] == {"id": tree.master["id"], "is_reseller": True}
    assert body["data"]["limits"] == {
        "twoway_trunks": 7,
        "allow_prepay": True,
        "authz_resource_types": [],
        "id": "limits",
    }


def test_next_bill_date_is_the_first_of_next_month() -> None:
    def gregorian(year: int, month: int) -> int:
        return int(datetime(year, month, 1, tzinfo=UTC).timestamp()) + GREGORIAN_OFFSET

    assert next_bill_date(datetime(2024, 12, 31, 23, 59, tzinfo=UTC)) == gregorian(2025, 1)
    assert next_bill_date(datetime(2024, 2, 10, tzinfo=UTC)) == gregorian(2024, 3)

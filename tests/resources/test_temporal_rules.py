"""Temporal rules and sets over HTTP: rule rows, set rows, set references to rules."""

from __future__ import annotations

from typing import Any

from tests.resources.clients import Api, at

Body = dict[str, Any]
MISSING = "0" * 32


async def put(api: Api, noun: str, body: Body) -> Body:
    status, reply = await api.call("PUT", at(api.tree.customer, f"/{noun}"), json={"data": body})
    assert status == 201, reply
    return dict(reply["data"])


async def rule(api: Api, **body: Any) -> Body:
    return await put(api, "temporal_rules", {"name": "Days", "cycle": "daily", **body})


async def test_rule_rows_carry_type_only_when_set(api: Api) -> None:
    typed = await rule(api, type="main_weekdays", flags=["f"])
    plain = await rule(api, name="Plain")
    status, body = await api.call("GET", at(api.tree.customer, "/temporal_rules"))
    assert status == 200
    assert {row["id"]: row for row in body["data"]} == {
        typed["id"]: {"id": typed["id"], "name": "Days", "type": "main_weekdays", "flags": ["f"]},
        plain["id"]: {"id": plain["id"], "name": "Plain", "flags": []},
    }


async def test_rule_requires_a_known_cycle(api: Api) -> None:
    status, body = await api.call(
        "PUT",
        at(api.tree.customer, "/temporal_rules"),
        json={"data": {"name": "X", "cycle": "hourly"}},
    )
    assert status == 400 and "enum" in body["data"]["cycle"], body


async def test_set_names_rules_of_the_account(api: Api) -> None:
    one, two = await rule(api), await rule(api, name="Two")
    doc = await put(
        api, "temporal_rules_sets", {"name": "Hours", "temporal_rules": [one["id"], two["id"]]}
    )
    assert doc == {"id": doc["id"], "name": "Hours", "temporal_rules": [one["id"], two["id"]]}
    status, body = await api.call("GET", at(api.tree.customer, "/temporal_rules_sets"))
    assert body["data"] == [{"id": doc["id"], "name": "Hours", "rules": [one["id"], two["id"]]}]


async def test_set_with_an_unknown_rule_is_refused(api: Api, auth_headers: Any) -> None:
    one = await rule(api)
    other = Api(api.client, api.tree, await auth_headers("other"))
    status, body = await other.call(
        "PUT",
        at(api.tree.other, "/temporal_rules"),
        json={"data": {"name": "T", "cycle": "daily"}},
    )
    foreign = body["data"]["id"]
    for bad in (MISSING, foreign):
        status, body = await api.call(
            "PUT",
            at(api.tree.customer, "/temporal_rules_sets"),
            json={"data": {"name": "S", "temporal_rules": [one["id"], bad]}},
        )
        assert status == 400, body
        assert body["data"] == {
            "temporal_rules": {
                "not_found": {
                    "message": f"Temporal rule {bad} does not exist in this account",
                    "cause": bad,
                }
            }
        }


async def test_set_patch_post_delete_and_404_elsewhere(api: Api, auth_headers: Any) -> None:
    one = await rule(api)
    doc = await put(api, "temporal_rules_sets", {"name": "S", "temporal_rules": [one["id"]]})
    path = at(api.tree.customer, f"/temporal_rules_sets/{doc['id']}")
    status, body = await api.call("PATCH", path, json={"data": {"temporal_rules": [MISSING]}})
    assert status == 400, body
    status, body = await api.call("PATCH", path, json={"data": {"name": "S2"}})
    assert status == 200 and body["data"]["name"] == "S2"
    status, body = await api.call("POST", path, json={"data": {"name": "S3"}})
    assert status == 200 and body["data"] == {"id": doc["id"], "name": "S3"}
    other = Api(api.client, api.tree, await auth_headers("other"))
    status, _ = await other.call("GET", at(api.tree.other, f"/temporal_rules_sets/{doc['id']}"))
    assert status == 404
    status, body = await api.call("DELETE", path)
    assert status == 200 and body["data"]["_read_only"] == {"deleted": True}

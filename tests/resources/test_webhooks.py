"""Webhooks over HTTP: the hook list, collection PATCH re-enabling disabled hooks."""

from __future__ import annotations

from typing import Any

from gateway.resources.webhook_docs import AVAILABLE_HOOKS
from tests.resources.clients import Api, at

Body = dict[str, Any]


def path(api: Api, tail: str = "") -> str:
    return at(api.tree.customer, f"/webhooks{tail}")


async def create(api: Api, **body: Any) -> Body:
    data = {"name": "H", "uri": "https://example.com/h", "hook": "channel_create", **body}
    status, reply = await api.call("PUT", path(api), json={"data": data})
    assert status == 201, reply
    return dict(reply["data"])


async def test_every_available_hook_is_accepted(api: Api) -> None:
    for hook in ("all", "channel_answer", "channel_destroy", "doc", "object", "parking"):
        assert (await create(api, hook=hook))["hook"] == hook


async def test_unknown_hook_is_400_enum(api: Api) -> None:
    status, body = await api.call(
        "PUT",
        path(api),
        json={"data": {"name": "H", "uri": "https://example.com/h", "hook": "nope"}},
    )
    assert status == 400, body
    assert body["data"] == {
        "hook": {
            "enum": {
                "message": "Value not found in enumerated list of values",
                "target": list(AVAILABLE_HOOKS),
                "value": "nope",
            }
        }
    }
    doc = await create(api)
    status, body = await api.call(
        "PATCH", path(api, f"/{doc['id']}"), json={"data": {"hook": "x"}}
    )
    assert status == 400 and "enum" in body["data"]["hook"], body


async def test_collection_patch_reenables_disabled_hooks_of_the_account(
    api: Api, auth_headers: Any
) -> None:
    off = await create(api, enabled=False)
    on = await create(api)
    other = Api(api.client, api.tree, await auth_headers("other"))
    status, body = await other.call(
        "PUT",
        at(api.tree.other, "/webhooks"),
        json={"data": {"name": "O", "uri": "https://e.com", "hook": "all", "enabled": False}},
    )
    theirs = body["data"]["id"]
    status, body = await api.call("PATCH", path(api), json={"data": {"re-enable": True}})
    assert status == 200 and body["data"] == "hooks updated", body
    for hook_id in (off["id"], on["id"]):
        assert (await api.call("GET", path(api, f"/{hook_id}")))[1]["data"]["enabled"] is True
    status, body = await other.call("GET", at(api.tree.other, f"/webhooks/{theirs}"))
    assert body["data"]["enabled"] is False


async def test_collection_patch_requires_re_enable_true(api: Api) -> None:
    status, body = await api.call("PATCH", path(api), json={"data": {}})
    assert status == 400 and body["data"] == {
        "re-enable": {"required": {"message": "re-enable is required to patch collections"}}
    }
    status, body = await api.call("PATCH", path(api), json={"data": {"re-enable": False}})
    assert status == 400 and body["data"] == {
        "re-enable": {
            "enum": {"message": "value not found in enumerated list of values", "target": [True]}
        }
    }


async def test_collection_delete_is_not_allowed(api: Api) -> None:
    response = await api.send("DELETE", path(api))
    assert response.status == 405

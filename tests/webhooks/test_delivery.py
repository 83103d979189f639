"""Webhook delivery against a real receiver: sources, formats, signatures, retries."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web
from standardwebhooks.webhooks import Webhook

from tests.conftest import Tree
from tests.resources.clients import at, make_user, send_events
from tests.webhooks.conftest import Client, Receiver, create_hook, deliver


async def put_user(client: Client, tree: Tree, headers: dict[str, str]) -> str:
    response = await client.put(
        at(tree.customer, "/users"), json={"data": make_user()}, headers=headers
    )
    assert response.status == 201
    return str((await response.json())["data"]["id"])


def channel(tree: Tree, event_id: str, action: str = "create") -> dict[str, Any]:
    return {
        "event_id": event_id,
        "type": "channel",
        "account_id": tree.customer["id"],
        "action": action,
        "call_id": "call-1",
        "direction": "inbound",
        "caller_id_number": "+15551230000",
        "callee_id_number": "1001",
    }


async def test_an_object_hook_gets_a_signed_json_payload_with_custom_data(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any, receiver: Receiver
) -> None:
    headers = await auth_headers("customer")
    hook = await create_hook(
        client,
        tree.customer,
        headers,
        uri=receiver.url,
        format="json",
        custom_data={"source": "crm", "id": "the event wins"},
    )
    assert hook["secret"].startswith("whsec_")
    user_id = await put_user(client, tree, headers)
    await deliver(app)
    [got] = receiver.got
    assert got.method == "POST" and got.headers["Content-Type"] == "application/json"
    payload = json.loads(got.body)
    assert payload["id"] == user_id and payload["account_id"] == tree.customer["id"]
    assert payload["action"] == "doc_created" and payload["type"] == "user"
    assert payload["source"] == "crm"
    Webhook(hook["secret"]).verify(got.body, got.headers)
    read = await client.get(at(tree.customer, f"/webhooks/{hook['id']}"), headers=headers)
    assert "secret" not in (await read.json())["data"]


async def test_a_channel_hook_gets_kazoos_form_data_and_get_puts_it_in_the_query(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any, receiver: Receiver
) -> None:
    headers = await auth_headers("customer")
    posted = await create_hook(
        client, tree.customer, headers, uri=receiver.url, hook="channel_create"
    )
    got_by_get = await create_hook(
        client,
        tree.customer,
        headers,
        uri=receiver.url + "?x=1",
        hook="channel_answer",
        http_verb="get",
    )
    await send_events(client, [channel(tree, "c1"), channel(tree, "c2", "answer")])
    await deliver(app)
    by_method = {got.method: got for got in receiver.got}
    assert set(by_method) == {"POST", "GET"}
    form = {k: v[0] for k, v in parse_qs(by_method["POST"].body.decode()).items()}
    assert form["hook_event"] == "channel_create" and form["call_id"] == "call-1"
    assert form["call_direction"] == "inbound"
    query = by_method["GET"].query
    assert query["hook_event"] == "channel_answer" and query["x"] == "1"
    assert by_method["GET"].body == b""
    Webhook(posted["secret"]).verify(
        by_method["POST"].body, by_method["POST"].headers, json_parse=False
    )
    Webhook(got_by_get["secret"]).verify(b"", by_method["GET"].headers, json_parse=False)


async def test_a_failing_receiver_gets_one_try_plus_retries_and_attempts_are_listed(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any, receiver: Receiver
) -> None:
    receiver.statuses = [500]
    headers = await auth_headers("customer")
    hook = await create_hook(client, tree.customer, headers, uri=receiver.url, retries=2)
    await put_user(client, tree, headers)
    await deliver(app)
    assert len(receiver.got) == 3
    assert len({got.headers["webhook-id"] for got in receiver.got}) == 1
    response = await client.get(
        at(tree.customer, f"/webhooks/{hook['id']}/attempts"), headers=headers
    )
    rows = (await response.json())["data"]
    assert [row["result"] for row in rows] == ["failure"] * 3
    assert {row["resp_status_code"] for row in rows} == {"500"}
    assert sorted(row["retries left"] for row in rows) == [0, 1, 2]
    assert all(row["hook_id"] == hook["id"] and row["event_id"] for row in rows)
    everything = await client.get(at(tree.customer, "/webhooks/attempts"), headers=headers)
    assert len((await everything.json())["data"]) == 3


async def test_a_receiver_that_recovers_gets_the_event_once(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any, receiver: Receiver
) -> None:
    receiver.statuses = [503, 200]
    headers = await auth_headers("customer")
    await create_hook(client, tree.customer, headers, uri=receiver.url, retries=4)
    await put_user(client, tree, headers)
    await deliver(app)
    assert [got.headers["webhook-id"] for got in receiver.got].count(
        receiver.got[0].headers["webhook-id"]
    ) == 2


async def test_a_hook_that_keeps_failing_disables_itself_until_re_enabled(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any, receiver: Receiver
) -> None:
    receiver.statuses = [500]
    headers = await auth_headers("customer")
    hook = await create_hook(client, tree.customer, headers, uri=receiver.url, retries=0)
    for _ in range(4):
        await put_user(client, tree, headers)
        await deliver(app)
    assert len(receiver.got) == 3  # disabled after the third failed event
    read = await client.get(at(tree.customer, f"/webhooks/{hook['id']}"), headers=headers)
    data = (await read.json())["data"]
    assert data["enabled"] is False and data["disable_reason"] == "too many failed attempts"
    listing = await client.get(at(tree.customer, "/webhooks"), headers=headers)
    [row] = (await listing.json())["data"]
    assert row["enabled"] is False and row["disable_reason"] == "too many failed attempts"
    patched = await client.patch(
        at(tree.customer, "/webhooks"), json={"data": {"re-enable": True}}, headers=headers
    )
    assert patched.status == 200
    read = await client.get(at(tree.customer, f"/webhooks/{hook['id']}"), headers=headers)
    data = (await read.json())["data"]
    assert data["enabled"] is True and "disable_reason" not in data


async def test_a_resellers_hook_sees_sub_accounts_only_when_it_asks(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any, receiver: Receiver
) -> None:
    reseller = await auth_headers("reseller")
    await create_hook(
        client, tree.reseller, reseller, uri=receiver.url + "/all", include_subaccounts=True
    )
    await create_hook(client, tree.reseller, reseller, uri=receiver.url + "/own")
    await put_user(client, tree, await auth_headers("customer"))
    await deliver(app)
    assert [got.path for got in receiver.got] == ["/hook/all"]


async def test_custom_data_type_and_action_filter_object_events(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any, receiver: Receiver
) -> None:
    headers = await auth_headers("customer")
    await create_hook(
        client,
        tree.customer,
        headers,
        uri=receiver.url + "/devices",
        custom_data={"type": "device"},
    )
    await create_hook(
        client,
        tree.customer,
        headers,
        uri=receiver.url + "/users",
        custom_data={"type": "user", "action": "doc_created"},
    )
    await put_user(client, tree, headers)
    await deliver(app)
    assert [got.path for got in receiver.got] == ["/hook/users"]


async def test_a_rotated_secret_and_the_old_one_both_sign_for_a_while(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any, receiver: Receiver
) -> None:
    headers = await auth_headers("customer")
    hook = await create_hook(client, tree.customer, headers, uri=receiver.url, format="json")
    rotated = await client.post(
        at(tree.customer, f"/webhooks/{hook['id']}/secret"), headers=headers
    )
    assert rotated.status == 200
    secret = (await rotated.json())["data"]["secret"]
    assert secret != hook["secret"]
    await put_user(client, tree, headers)
    await deliver(app)
    [got] = receiver.got
    Webhook(secret).verify(got.body, got.headers)
    Webhook(hook["secret"]).verify(got.body, got.headers)


async def test_the_test_endpoint_sends_a_signed_sample_and_says_how_it_went(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any, receiver: Receiver
) -> None:
    headers = await auth_headers("customer")
    hook = await create_hook(client, tree.customer, headers, uri=receiver.url, format="json")
    response = await client.post(
        at(tree.customer, f"/webhooks/{hook['id']}/test"), headers=headers
    )
    body = await response.json()
    assert response.status == 200, body
    assert body["data"]["result"] == "success" and body["data"]["resp_status_code"] == "200"
    [got] = receiver.got
    Webhook(hook["secret"]).verify(got.body, got.headers)
    assert json.loads(got.body)["account_id"] == tree.customer["id"]


async def test_a_failed_event_is_redelivered_on_request(
    client: Client, app: web.Application, tree: Tree, auth_headers: Any, receiver: Receiver
) -> None:
    receiver.statuses = [500, 200]
    headers = await auth_headers("customer")
    hook = await create_hook(client, tree.customer, headers, uri=receiver.url, retries=0)
    await put_user(client, tree, headers)
    await deliver(app)
    event_id = receiver.got[0].headers["webhook-id"]
    path = at(tree.customer, f"/webhooks/{hook['id']}/attempts/{event_id}/redeliver")
    response = await client.post(path, headers=headers)
    assert response.status == 202, await response.json()
    await deliver(app)
    assert [got.headers["webhook-id"] for got in receiver.got] == [event_id, event_id]
    missing = at(tree.customer, f"/webhooks/{hook['id']}/attempts/nope/redeliver")
    assert (await client.post(missing, headers=headers)).status == 404

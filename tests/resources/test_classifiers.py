"""phone_numbers/classifiers: Kazoo's default number classes, and one number classified."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from tests.conftest import Tree
from tests.resources.clients import at


async def test_classifiers_list_kazoos_default_classes(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    response = await client.get(at(tree.customer, "/phone_numbers/classifiers"), headers=headers)
    data = (await response.json())["data"]
    assert response.status == 200
    assert set(data) == {
        "tollfree_us",
        "toll_us",
        "emergency",
        "caribbean",
        "did_us",
        "international",
        "unknown",
    }
    assert data["did_us"] == {
        "friendly_name": "US DID",
        "pretty_print": "SS(###) ### - ####",
        "regex": r"^(\+?1)?([2-9][0-9]{2}[2-9][0-9]{6})$",
    }


async def test_a_number_is_classified_in_e164(
    client: TestClient[Any, Any], tree: Tree, auth_headers: Any
) -> None:
    headers = await auth_headers("customer")
    base = at(tree.customer, "/phone_numbers/classifiers")
    cases = {
        "4155550100": ("did_us", "+14155550100"),
        "8005550100": ("tollfree_us", "+18005550100"),
        "911": ("emergency", "911"),
        "+442079460000": ("international", "+442079460000"),
        "*97": ("unknown", "*97"),
    }
    for number, (name, e164) in cases.items():
        response = await client.get(f"{base}/{number}", headers=headers)
        data = (await response.json())["data"]
        assert (response.status, data["name"], data["e164"], data["number"]) == (
            200,
            name,
            e164,
            number,
        )
    assert (await client.get(base)).status == 401
    sibling = await client.get(base, headers=await auth_headers("other"))
    assert sibling.status == 403

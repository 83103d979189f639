"""Path tokenizing into Kazoo nouns (reference §1.2)."""

from __future__ import annotations

import pytest

from gateway.crossbar.tokenizer import Noun, Path, tokenize

MODULES = frozenset(
    {"accounts", "users", "devices", "vmboxes", "cdrs", "quickcall", "user_auth", "configs"}
    | {"schemas", "phone_numbers"}
)
GREEDY = frozenset({"configs", "schemas"})


def nouns_of(raw_path: str) -> tuple[Noun, ...]:
    path = tokenize(raw_path, MODULES, GREEDY)
    assert path is not None
    return path.nouns


@pytest.mark.parametrize(
    ("raw_path", "expected"),
    [
        (
            "/v2/accounts/A/vmboxes/B/messages/M/raw",
            (Noun("accounts", ("A",)), Noun("vmboxes", ("B", "messages", "M", "raw"))),
        ),
        ("/v2/accounts/A/devices/D", (Noun("accounts", ("A",)), Noun("devices", ("D",)))),
        (
            "/v2/accounts/A/users/U/devices",
            (Noun("accounts", ("A",)), Noun("users", ("U",)), Noun("devices", ())),
        ),
        (
            "/v2/accounts/A/users/U/quickcall/N",
            (Noun("accounts", ("A",)), Noun("users", ("U",)), Noun("quickcall", ("N",))),
        ),
        ("/v2/accounts/A/children", (Noun("accounts", ("A", "children")),)),
        (
            "/v2/accounts/A/vmboxes/B/messages",
            (Noun("accounts", ("A",)), Noun("vmboxes", ("B", "messages"))),
        ),
        ("/v2/accounts/A/cdrs/legs/I", (Noun("accounts", ("A",)), Noun("cdrs", ("legs", "I")))),
        ("/v2/user_auth", (Noun("user_auth", ()),)),
        ("/v2/accounts", (Noun("accounts", ()),)),
    ],
)
def test_each_module_name_starts_a_noun_and_other_tokens_are_its_args(
    raw_path: str, expected: tuple[Noun, ...]
) -> None:
    assert nouns_of(raw_path) == expected


def test_the_handler_is_the_last_noun() -> None:
    assert nouns_of("/v2/accounts/A/users/U/devices")[-1] == Noun("devices", ())


@pytest.mark.parametrize(
    "raw_path",
    ["/v2/accounts/A/users/", "/v2/accounts/A/users//", "/v2/accounts/A/users///"],
)
def test_trailing_slashes_are_ignored(raw_path: str) -> None:
    assert nouns_of(raw_path) == nouns_of("/v2/accounts/A/users")


def test_query_string_is_not_part_of_the_path() -> None:
    assert nouns_of("/v2/accounts/A/users?paginate=false&x=/devices") == (
        Noun("accounts", ("A",)),
        Noun("users", ()),
    )


@pytest.mark.parametrize(
    ("segment", "decoded"),
    [
        ("%2B14155551234", "+14155551234"),
        ("%2b14155551234", "+14155551234"),
        ("a%20b", "a b"),
        ("a%2Fb", "a/b"),
        ("caf%C3%A9", "café"),
        ("+1415", "+1415"),
    ],
)
def test_segments_are_url_decoded_after_splitting(segment: str, decoded: str) -> None:
    assert nouns_of(f"/v2/accounts/A/phone_numbers/{segment}")[-1] == Noun(
        "phone_numbers", (decoded,)
    )


def test_encoded_module_name_still_names_the_module() -> None:
    assert nouns_of("/v2/accounts/A/%75sers") == (Noun("accounts", ("A",)), Noun("users", ()))


def test_account_alias_stands_for_the_token_account() -> None:
    path = tokenize("/v2/account/users/U", MODULES, GREEDY)
    assert path is not None
    assert path.own_account is True
    assert path.nouns[0].name == "accounts"
    assert path.nouns[1:] == (Noun("users", ("U",)),)


def test_bare_account_alias_is_the_token_account_itself() -> None:
    path = tokenize("/v2/account", MODULES, GREEDY)
    assert path is not None
    assert path.own_account is True
    assert [noun.name for noun in path.nouns] == ["accounts"]


def test_plural_accounts_is_not_the_alias() -> None:
    path = tokenize("/v2/accounts/A/users", MODULES, GREEDY)
    assert path is not None
    assert path.own_account is False


@pytest.mark.parametrize(
    "raw_path",
    ["/v2", "/v2/", "/v2/foo", "/v2/shared_auth", "/v2/foo/accounts/A", "/v2//accounts"],
)
def test_unknown_first_token_gives_no_nouns(raw_path: str) -> None:
    assert tokenize(raw_path, MODULES, GREEDY) == Path("2", ())


@pytest.mark.parametrize(
    "raw_path",
    [
        "",
        "/",
        "/foo",
        "/api/v2/accounts",
        "/v/accounts",
        "/vx/accounts",
        "/V2/accounts",
        "/v-1/accounts",
        "/2/accounts",
        "/v%C2%B2/accounts",
    ],
)
def test_non_api_paths_are_not_tokenized(raw_path: str) -> None:
    assert tokenize(raw_path, MODULES, GREEDY) is None


@pytest.mark.parametrize(("prefix", "version"), [("v1", "1"), ("v2", "2"), ("v3", "3")])
def test_any_v_integer_version_is_tokenized_the_same_way(prefix: str, version: str) -> None:
    path = tokenize(f"/{prefix}/accounts/A/users", MODULES, GREEDY)
    assert path == Path(version, (Noun("accounts", ("A",)), Noun("users", ())))


@pytest.mark.parametrize(
    ("raw_path", "expected"),
    [
        ("/v2/accounts/A/configs/foo", Noun("configs", ("foo",))),
        ("/v2/accounts/A/configs/foo/users/U", Noun("configs", ("foo", "users", "U"))),
        ("/v2/schemas/users", Noun("schemas", ("users",))),
        ("/v2/schemas", Noun("schemas", ())),
    ],
)
def test_greedy_modules_swallow_all_remaining_tokens(raw_path: str, expected: Noun) -> None:
    assert nouns_of(raw_path)[-1] == expected


def test_greedy_module_as_first_token_is_the_only_noun() -> None:
    assert nouns_of("/v2/schemas/accounts/devices") == (Noun("schemas", ("accounts", "devices")),)


@pytest.mark.parametrize(
    ("raw_path", "expected"),
    [
        ("/v2/accounts//users", (Noun("accounts", ("",)), Noun("users", ()))),
        ("/v2/accounts/A/users//x", (Noun("accounts", ("A",)), Noun("users", ("", "x")))),
    ],
)
def test_empty_middle_segments_are_kept_as_args(raw_path: str, expected: tuple[Noun, ...]) -> None:
    assert nouns_of(raw_path) == expected


def test_an_id_equal_to_a_module_name_is_read_as_the_module() -> None:
    assert nouns_of("/v2/accounts/users/devices") == (
        Noun("accounts", ()),
        Noun("users", ()),
        Noun("devices", ()),
    )

"""Turns a request path into Kazoo's chain of nouns (pure)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import unquote

# Kazoo: `/v2/account/...` stands for the token's own account.
OWN_ACCOUNT = "account"


@dataclass(frozen=True)
class Noun:
    """A module name and the path segments that follow it."""

    name: str
    args: tuple[str, ...] = ()


@dataclass(frozen=True)
class Path:
    """A tokenized API path; `nouns` is empty when the first token names no module."""

    version: str
    nouns: tuple[Noun, ...]
    own_account: bool = False


def split_path(raw_path: str) -> list[str]:
    """Split on '/', drop trailing empty segments, URL-decode each segment."""
    raw = raw_path.split("?", 1)[0]
    segments = raw.split("/")
    if segments and segments[0] == "":
        segments = segments[1:]
    while segments and segments[-1] == "":
        segments.pop()
    return [unquote(segment) for segment in segments]


def api_version(segment: str) -> str | None:
    """'v2' -> '2'; anything not 'v<integer>' -> None."""
    if len(segment) > 1 and segment[0] == "v" and segment[1:].isascii() and segment[1:].isdigit():
        return segment[1:]
    return None


def tokenize(raw_path: str, modules: Collection[str], greedy: Collection[str] = ()) -> Path | None:
    """Nouns in path order (handler last); None when the path is not an API path."""
    segments = split_path(raw_path)
    if not segments:
        return None
    version = api_version(segments[0])
    if version is None:
        return None
    tokens = segments[1:]
    own_account = bool(tokens) and tokens[0] == OWN_ACCOUNT
    if own_account:
        tokens = ["accounts", OWN_ACCOUNT, *tokens[1:]]
    if not tokens or tokens[0] not in modules:
        return Path(version, ())
    nouns: list[Noun] = []
    name, args = tokens[0], []
    for index, token in enumerate(tokens[1:], start=1):
        if name in greedy:
            args = tokens[index:]
            break
        if token in modules:
            nouns.append(Noun(name, tuple(args)))
            name, args = token, []
        else:
            args.append(token)
    nouns.append(Noun(name, tuple(args)))
    return Path(version, tuple(nouns), own_account)

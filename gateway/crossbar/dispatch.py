"""The one API route: Kazoo's pipeline from body parse to execution."""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Iterator
from functools import partial
from itertools import count

from aiohttp import web

from gateway.auth.credentials import basic_identity, token_of
from gateway.auth.tree import ACCOUNTS, resolve_account
from gateway.crossbar.accept import negotiate
from gateway.crossbar.body import JSON_LIKE, parse_envelope, read_body
from gateway.crossbar.bounds import check_request
from gateway.crossbar.context import Context, Reply
from gateway.crossbar.errors import (
    ApiError,
    DatastoreUnreachable,
    EmptyError,
    Forbidden,
    Gone,
    MethodNotAllowed,
    NoSuchPath,
    TokenRejected,
    Unauthorized,
)
from gateway.crossbar.idempotency import key_of as idempotency_key_of
from gateway.crossbar.idempotency import run_once
from gateway.crossbar.rates import charge_account, charge_address, is_preflight
from gateway.crossbar.render import render_error, render_preflight, render_replay, render_reply
from gateway.crossbar.resource import Handler, Resource, Route
from gateway.crossbar.timing import timed
from gateway.crossbar.tokenizer import Noun, tokenize
from gateway.keys import ACCOUNT_CACHE, RESOURCES, SETTINGS, TOKENS
from gateway.store import StoreUnavailable

log = logging.getLogger(__name__)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
BODY_VERBS = frozenset({"PUT", "POST", "PATCH"})
KNOWN_VERBS = frozenset({"GET", "PUT", "POST", "PATCH", "DELETE", "OPTIONS", "HEAD"})
BANNER = "PBX provisioning gateway: the API lives under /v2/\n"


def _request_ids() -> Iterator[str]:
    """32 hex: a random per-process half and a counter (a random id each costs a syscall)."""
    process = secrets.token_hex(8)
    for number in count():
        yield f"{process}{number & 0xFFFFFFFFFFFFFFFF:016x}"


next_request_id = _request_ids().__next__


def request_id_of(request: web.Request) -> str:
    """The client's X-Request-ID when sane, else a fresh 32-hex id."""
    given = request.headers.get("X-Request-ID", "")
    return given if _REQUEST_ID.match(given) else next_request_id()


async def banner(request: web.Request) -> web.Response:
    """Kazoo answers any non-API path with a plain-text banner."""
    return web.Response(text=BANNER, content_type="text/plain")


async def api(request: web.Request) -> web.StreamResponse:
    """Run one request through the pipeline and render the result."""
    ctx = Context(
        app=request.app,
        request=request,
        request_id=request_id_of(request),
        verb=request.method.upper(),
        timings=[] if request.app[SETTINGS].server_timing else None,
    )
    try:
        with timed(ctx, "prepare"):
            handler = await _prepare(ctx)
        if handler is None:
            return render_preflight(ctx)
        key = idempotency_key_of(ctx)
        if key is None:
            return await _execute(ctx, handler)
        return await run_once(ctx, key, partial(_execute, ctx, handler), render_replay)
    except ApiError as err:
        return render_error(ctx, err)
    except StoreUnavailable:
        log.warning("datastore unreachable (request %s)", ctx.request_id)
        return render_error(ctx, DatastoreUnreachable())
    except ConnectionResetError:
        # The client left before its body was read (a load generator stopping, a closed tab):
        # nothing ran and no one is there to answer.
        log.debug("client went away (request %s)", ctx.request_id)
        return web.Response(status=400)
    except Exception:
        log.exception("unhandled error (request %s)", ctx.request_id)
        return render_error(ctx, ApiError())


async def _execute(ctx: Context, handler: Handler) -> web.StreamResponse:
    """Run the handler; its refusals are answers (an Idempotency-Key keeps them too)."""
    try:
        with timed(ctx, "handler"):
            reply: Reply = await handler(ctx)
        return render_reply(ctx, reply)
    except ApiError as err:
        return render_error(ctx, err)


async def _prepare(ctx: Context) -> Handler | None:
    """Steps before execution, in Kazoo's order; None means a CORS preflight."""
    assert ctx.request is not None
    cost = await charge_address(ctx, is_preflight(ctx.request))
    if ctx.verb not in KNOWN_VERBS:
        raise EmptyError(501)
    check_request(ctx.request)
    registry = ctx.app[RESOURCES]
    path = tokenize(ctx.request.raw_path, registry.resources, registry.greedy)
    if path is None:
        raise NoSuchPath()
    if path.version == "1":
        raise Gone()
    ctx.content_type = content_type = _content_type(ctx)
    if content_type in JSON_LIKE:
        ctx.raw_body = await read_body(ctx.request, ctx.settings.max_upload_size)
    ctx.envelope = parse_envelope(ctx.raw_body, content_type)
    ctx.data = ctx.envelope.get("data", {})
    ctx.verb = _tunnelled_verb(ctx)
    if ctx.verb == "OPTIONS" and _is_preflight(ctx):
        # A browser's preflight carries no credentials and must pass whatever the answer to
        # the real request will be, or the client sees a CORS failure instead of that answer.
        route = None
        if path.nouns:
            try:
                route = _route(path.nouns, registry.resources)[1]
            except ApiError:
                pass
        ctx.allowed = list(route.handlers) if route else []
        return None
    ctx.token = token_of(ctx)
    rejected = False
    if ctx.token:
        ctx.identity = await ctx.app[TOKENS].verify(ctx.token)
        if ctx.identity is None or _account_header_mismatch(ctx):
            ctx.identity = None
            rejected = True
    if not path.nouns:
        if rejected:
            raise TokenRejected()
        raise Unauthorized() if ctx.identity is None else NoSuchPath()
    try:
        resource, route = _route(path.nouns, registry.resources)
    except ApiError:
        if rejected:
            raise TokenRejected() from None
        raise
    if rejected:
        # Kazoo refuses a bad token early, except where no login is needed (a login page's
        # whitelabel, an app's icon): there its public modules ignore it.
        if not _is_public(ctx.verb, resource, route):
            raise TokenRejected()
        ctx.token = None
    ctx.allowed = list(route.handlers)
    if ctx.verb not in route.handlers:
        raise MethodNotAllowed(ctx.allowed)
    ctx.nouns = path.nouns
    if path.own_account:
        if ctx.identity is None:
            raise Unauthorized()
        first = path.nouns[0]
        own = Noun(ACCOUNTS, (ctx.identity.account_id, *first.args[1:]))
        ctx.nouns = (own, *path.nouns[1:])
    await _resolve_account(ctx)
    if not _is_public(ctx.verb, resource, route):
        await _authenticate(ctx)
        _authorize_tree(ctx)
        await _authorize_priv_level(ctx, resource)
        if resource.authorize is not None:
            await resource.authorize(ctx)
    await charge_account(ctx, cost)
    if (
        ctx.verb in BODY_VERBS
        and ctx.request.body_exists
        and content_type not in (resource.content_types | JSON_LIKE)
    ):
        raise EmptyError(415)
    ctx.accept = negotiate(ctx.header("Accept"), _accept_override(ctx))
    for noun in ctx.nouns[:-1]:
        parent = registry.resources[noun.name]
        if parent.check_args is not None:
            await parent.check_args(ctx, noun.args)
        ctx.parents[noun.name] = noun.args
    return route.handlers[ctx.verb]


def _is_public(verb: str, resource: Resource, route: Route) -> bool:
    """True when this verb needs no login here."""
    unscoped = any(route is served for served in resource.unscoped)
    return verb in resource.public or verb in route.public or unscoped


# Kazoo: `accounts/{A}/descendants/<module>` acts on the account's whole subtree (for a
# resource that lists "descendants" among its parents).
SUBTREE = "descendants"


def _route(nouns: tuple[Noun, ...], resources: dict[str, Resource]) -> tuple[Resource, Route]:
    """The handling resource and route; 404 for a chain no resource serves."""
    resource = resources[nouns[-1].name]
    if len(nouns) == 1 and resource.scoped and resource.unscoped:
        unscoped = resource.unscoped_route(nouns[0].args)
        if unscoped is None:
            raise NoSuchPath()
        return resource, unscoped
    for position, noun in enumerate(nouns[:-1]):
        parent = resources[noun.name]
        widening = position == 0 and noun.args[1:] == (SUBTREE,) and SUBTREE in resource.parents
        if (len(noun.args) != 1 and not widening) or (position == 0) == parent.scoped:
            raise NoSuchPath()
        if position > 0 and noun.name not in resource.parents:
            raise NoSuchPath()
    scoped_ok = len(nouns) > 1 if resource.scoped else len(nouns) == 1
    route = resource.route(nouns[-1].args) if scoped_ok else None
    if route is None:
        raise NoSuchPath()
    return resource, route


def _content_type(ctx: Context) -> str:
    """The request's media type; '' when the header is absent (Kazoo reads that as JSON)."""
    raw = ctx.header("Content-Type") or ""
    return raw.split(";", 1)[0].strip().lower()


def _account_header_mismatch(ctx: Context) -> bool:
    """Kazoo: an X-Auth-Account-ID header must name the token's account."""
    wanted = ctx.header("X-Auth-Account-ID")
    return bool(wanted) and ctx.identity is not None and wanted != ctx.identity.account_id


def _tunnelled_verb(ctx: Context) -> str:
    """Kazoo: POST may carry the real verb in `verb` (data, query, envelope)."""
    if ctx.verb != "POST":
        return ctx.verb
    override = ctx.param("verb") or ctx.header("X-HTTP-Method-Override")
    return str(override).upper() if isinstance(override, str) and override else ctx.verb


def _is_preflight(ctx: Context) -> bool:
    headers = ctx.header
    return bool(
        headers("Origin")
        or headers("Access-Control-Request-Method")
        or headers("Access-Control-Request-Headers")
    )


def _accept_override(ctx: Context) -> str | None:
    value = ctx.param("accept")
    return value if isinstance(value, str) else None


async def _resolve_account(ctx: Context) -> None:
    first = ctx.nouns[0]
    if first.name == ACCOUNTS and first.args:
        ctx.account = await resolve_account(ctx.app[ACCOUNT_CACHE], first.args[0])
        ctx.account_id = ctx.account["id"]


async def _authenticate(ctx: Context) -> None:
    if ctx.identity is None:
        ctx.identity = await basic_identity(ctx)
    if ctx.identity is None:
        raise Unauthorized()


async def _authorize_priv_level(ctx: Context, resource: Resource) -> None:
    """Better than Kazoo's default: `user` logins change only what is their own."""
    identity = ctx.identity
    assert identity is not None
    if (
        not resource.scoped
        or ctx.verb == "GET"
        or identity.priv_level == "admin"
        or ctx.settings.permissive_priv_levels
    ):
        return
    if resource.user_may_write is None or not await resource.user_may_write(ctx):
        raise Forbidden()


def _authorize_tree(ctx: Context) -> None:
    assert ctx.identity is not None
    if ctx.account is not None and not ctx.identity.may_access(ctx.account):
        raise Forbidden()

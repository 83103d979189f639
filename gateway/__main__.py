"""Command line: `serve` the gateway, or `create-account` in the store."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import AsyncIterator, Coroutine
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web

from gateway.app import create_app, prepare_store
from gateway.app_catalog import CatalogError, init_apps
from gateway.auth.cache import cache_limits
from gateway.auth.tokens import SESSIONS, TokenService, shared_secret
from gateway.calls.key_commands import intake_key_command
from gateway.keys import RESOURCES, TOKENS
from gateway.observe.logs import configure_logging
from gateway.provision import create_master, has_accounts
from gateway.settings import Settings, SettingsError
from gateway.simulate import simulate
from gateway.store.backup import BackupError, backup, restore
from gateway.store.connect import open_store
from gateway.store.embedded import StoreLocked
from gateway.workers import (
    CannotListen,
    StoreLost,
    seed_demo,
    serve_app,
    serve_worker,
    supervise,
    worker_count,
)

log = logging.getLogger("gateway")
INTAKE_KEY_COMMANDS = {
    "create-intake-key": "create",
    "intake-keys": "list",
    "revoke-intake-key": "revoke",
}
Result = TypeVar("Result")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m gateway")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--fixtures", type=Path, help="load demo fixtures from this folder")
    serve.add_argument("--workers", default="1", help="worker processes on the port (1..64)")
    serve.add_argument("--worker-fd", type=int, help=argparse.SUPPRESS)
    serve.add_argument("--worker-of", type=int, help=argparse.SUPPRESS)
    create = commands.add_parser("create-account", help="create the master account and admin")
    create.add_argument("--name", help="account name (default GATEWAY_ADMIN_ACCOUNT)")
    create.add_argument("--username", required=True)
    create.add_argument("--password", required=True)
    key = commands.add_parser("create-intake-key", help="make a key for a switch adapter")
    key.add_argument("--name", required=True, help="what the key is for")
    commands.add_parser("intake-keys", help="list the stored intake keys")
    revoke = commands.add_parser("revoke-intake-key", help="revoke an intake key")
    revoke.add_argument("id", help="the key's id as listed (12 characters are enough)")
    apps = commands.add_parser("init-apps", help="register the Monster apps of a folder")
    apps.add_argument("directory", type=Path, help="a folder of apps, each with metadata/app.json")
    apps.add_argument("--api-url", help="the API URL the apps should call (default: none)")
    backup = commands.add_parser("backup", help="copy the embedded store into a folder")
    backup.add_argument("directory", type=Path, help="a new or empty folder")
    restore = commands.add_parser("restore", help="restore a backup into an empty data folder")
    restore.add_argument("directory", type=Path, help="a folder `backup` wrote")
    sim = commands.add_parser("simulate", help="drive a running gateway's intake")
    sim.add_argument("--accounts", required=True, help="comma-separated account names or ids")
    sim.add_argument("--url", default="http://127.0.0.1:8000")
    sim.add_argument("--key", help="intake key (default: the first of GATEWAY_INTAKE_KEYS)")
    sim.add_argument("--rate", type=float, default=0.3, help="new calls per second")
    sim.add_argument("--duration", type=float, default=60, help="seconds to run")
    return parser


async def serve(settings: Settings, host: str, port: int, fixtures: Path | None) -> int:
    """Run in this process until interrupted or the store is lost; the exit code."""
    stop = asyncio.Event()
    lost = StoreLost(stop)
    async with open_store(settings, lost) as store:
        app = create_app(settings, store)

        async def seed(app: web.Application) -> AsyncIterator[None]:
            if fixtures is not None:
                await seed_demo(app, fixtures, host, port)
            yield

        app.cleanup_ctx.append(seed)
        site = partial(web.TCPSite, host=host, port=port)
        await serve_app(app, settings, site, f"listening on http://{host}:{port}/v2/", stop)
    return lost.exit_code


def serve_command(settings: Settings, args: argparse.Namespace) -> int:
    """`serve`: in this process, as N workers under a supervisor, or as one of those workers."""
    try:
        if args.worker_fd is not None:
            run(serve_worker(settings, args.host, args.port, args.worker_fd, args.worker_of))
            return 0
        if args.workers == 1:
            return run(serve(settings, args.host, args.port, args.fixtures))
        return run(supervise(settings, args.host, args.port, args.fixtures, args.workers))
    except (CannotListen, StoreLocked) as err:
        print(f"serve: {err}", file=sys.stderr)
        return 1


async def create_account_command(
    settings: Settings, name: str, username: str, password: str
) -> int:
    """Kazoo's `create_account`: the master account and its admin, into an empty store."""
    async with open_store(settings) as store:
        app = create_app(settings, store)
        await prepare_store(store, app[RESOURCES])
        secret = await shared_secret(store, settings.secret_key)
        app[TOKENS] = TokenService(store, secret, settings.token_ttl, cache_limits(settings))
        if await has_accounts(app):
            print("the store already has accounts; create more through the API", file=sys.stderr)
            return 1
        account, user = await create_master(app, name, username, password)
        print(f"created account {account['name']} ({account['id']}) with admin {user['username']}")
        return 0


async def init_apps_command(settings: Settings, directory: Path, api_url: str | None) -> int:
    """Kazoo's `init_apps`: register (or refresh) every app of a folder in the catalog."""
    async with open_store(settings) as store:
        app = create_app(settings, store)
        await prepare_store(store, app[RESOURCES])
        try:
            registered = await init_apps(app, directory, api_url)
        except CatalogError as err:
            print(f"init-apps: {err}", file=sys.stderr)
            return 1
        for doc in registered:
            print(f"registered {doc['name']} ({doc['id']})")
        return 0


def backup_command(settings: Settings, command: str, directory: Path) -> int:
    """`backup DIR` (while serving) or `restore DIR` (into an empty data folder)."""
    if settings.mongo_url is not None:
        print(
            f"{command}: the store is GATEWAY_MONGO_URL's MongoDB; use mongodump/mongorestore",
            file=sys.stderr,
        )
        return 2
    try:
        if command == "backup":
            names = backup(settings.data_dir, str(directory))
        else:
            names = restore(str(directory), settings.data_dir)
    except BackupError as err:
        print(f"{command}: {err}", file=sys.stderr)
        return 1
    if command == "backup":
        print(f"backup: {', '.join(names)} from {settings.data_dir} to {directory}")
        return 0
    ended = run(end_restored_sessions(settings))
    print(f"restore: {', '.join(names)} from {directory} to {settings.data_dir}")
    print(f"restore: {ended} sessions of the backup ended: their users log in again")
    return 0


async def end_restored_sessions(settings: Settings) -> int:
    """Delete the backup's login sessions: one revoked after the backup was taken would
    otherwise work again. How many there were."""
    async with open_store(settings) as store:
        return await store.delete_many(SESSIONS, {})


def run(main: Coroutine[Any, Any, Result]) -> Result:
    """Run on uvloop where it is installed (it cuts the driver's and aiohttp's CPU per request)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = _parser().parse_args(argv)
    if args.command == "serve":
        try:
            args.workers = worker_count(args.workers)
        except ValueError as err:
            print(f"serve: {err}", file=sys.stderr)
            return 2
    try:
        settings = Settings.from_env()
    except SettingsError as err:
        print(f"invalid settings: {err}", file=sys.stderr)
        return 2
    several = args.command == "serve" and (args.workers > 1 or args.worker_fd is not None)
    configure_logging(settings.log_format, several)
    try:
        if args.command == "serve":
            return serve_command(settings, args)
        if args.command == "simulate":
            key = args.key or next(iter(sorted(settings.intake_keys)), None)
            if key is None:
                print("simulate needs --key or GATEWAY_INTAKE_KEYS", file=sys.stderr)
                return 2
            accounts = [name.strip() for name in args.accounts.split(",") if name.strip()]
            return run(simulate(settings, args.url, key, accounts, args.rate, args.duration))
        if args.command in ("backup", "restore"):
            return backup_command(settings, args.command, args.directory)
        if args.command == "init-apps":
            return run(init_apps_command(settings, args.directory, args.api_url))
        if args.command in INTAKE_KEY_COMMANDS:
            action = INTAKE_KEY_COMMANDS[args.command]
            value = str(getattr(args, "name", None) or getattr(args, "id", ""))
            return run(intake_key_command(settings, action, value))
        name = args.name or settings.admin_account
        return run(create_account_command(settings, name, args.username, args.password))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())

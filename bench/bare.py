"""The bare server: aiohttp on uvloop answering GET / with a small JSON body, no access log."""

from __future__ import annotations

import argparse
import asyncio
import signal

import orjson
import uvloop
from aiohttp import web

ROW = {"id": "0123456789abcdef0123456789abcdef", "first_name": "Ada", "last_name": "Lovelace"}


async def handle(request: web.Request) -> web.Response:
    """One small JSON envelope, serialised per request like a real handler would."""
    body = orjson.dumps({"data": ROW, "status": "success"})
    return web.Response(body=body, content_type="application/json")


def make_app() -> web.Application:
    """The app with its one route."""
    app = web.Application()
    app.router.add_get("/", handle)
    return app


async def serve(host: str, port: int) -> None:
    """Serve until SIGTERM or SIGINT."""
    runner = web.AppRunner(make_app(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def main() -> None:
    """Entry point: `python -m bench.bare --port P`."""
    parser = argparse.ArgumentParser(prog="python -m bench.bare")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvloop.run(serve(args.host, args.port))


if __name__ == "__main__":
    main()

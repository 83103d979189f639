"""make e2e: build Monster UI with SmartPBX and Callflows, serve it against a fresh gateway with
the demo fixtures, and drive it in headless Chromium (e2e/monster.spec.mjs)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from e2e.build import build, run

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "e2e"
FIXTURES = ROOT / "fixtures"
SOURCES = {
    "MONSTER_UI": ("monster-ui", "gulpfile.babel.js"),
    "SMARTPBX": ("monster-ui-voip", "metadata/app.json"),
    "CALLFLOWS": ("monster-ui-callflows", "metadata/app.json"),
}
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
BROWSER_TIMEOUT = 900


def check(args: argparse.Namespace) -> str:
    """The sources, npm and a Chromium are there; returns the Chromium to use."""
    problems = []
    for var, (repo, marker) in SOURCES.items():
        value = getattr(args, var.lower())
        if not value or not (Path(value) / marker).is_file():
            given = f"{value} has no {marker}" if value else "not set"
            problems.append(
                f"{var} ({given}): git clone https://github.com/2600hz/{repo}"
                f" and pass {var}=path/to/{repo}"
            )
    names = [os.environ["CHROMIUM"]] if os.environ.get("CHROMIUM") else CHROMIUM_NAMES
    chromium = next(filter(None, map(shutil.which, names)), "")
    for tool, found in (("npm", shutil.which("npm")), ("chromium", chromium)):
        if not found:
            problems.append(f"no {tool} found: apt-get install -y chromium npm")
    if problems:
        print("make e2e MONSTER_UI=DIR SMARTPBX=DIR CALLFLOWS=DIR", file=sys.stderr)
        print("\n".join(f"  {p}" for p in problems), file=sys.stderr)
        raise SystemExit(2)
    return chromium


def demo_logins() -> dict[str, dict[str, str]]:
    """From the fixtures: the admin of the account whose callflow is 'Main number' (the customer)
    and the admin of a reseller account (who can switch to its sub-accounts)."""
    accounts = {a["id"]: a for a in json.loads((FIXTURES / "accounts.json").read_text())}
    flows = json.loads((FIXTURES / "callflows.json").read_text())
    customer = next(f["account_id"] for f in flows if f.get("name") == "Main number")
    reseller = next(a["id"] for a in accounts.values() if a.get("reseller"))
    admins = {
        u["account_id"]: u
        for u in json.loads((FIXTURES / "users.json").read_text())
        if u.get("priv_level") == "admin" and u.get("password")
    }
    return {
        role: {
            "username": admins[account]["username"],
            "password": admins[account]["password"],
            "account": accounts[account]["name"],
            "accountId": account,
        }
        for role, account in (("customer", customer), ("reseller", reseller))
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def gateway(port: int, apps_dir: Path, log: Path) -> Iterator[str]:
    """A gateway on a fresh embedded store with the fixtures; yields its /v2/ URL."""
    data_dir = tempfile.mkdtemp(prefix="gateway-e2e-")
    env = {**os.environ, "GATEWAY_DATA_DIR": data_dir, "GATEWAY_APPS_DIR": str(apps_dir)}
    command = [sys.executable, "-m", "gateway", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--fixtures", str(FIXTURES)]
    with log.open("w") as out:
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}/v2/"
    try:
        wait_until_up(url + "schemas", proc, log)
        yield url
    finally:
        stop(proc)
        shutil.rmtree(data_dir, ignore_errors=True)


def wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{log.read_text()}\ne2e: the gateway exited ({proc.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"e2e: the gateway did not answer {url} within 60 s, see {log}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM a child started in its own session, then SIGKILL what is left of that session
    (the gateway stops its embedded store on SIGTERM; node stops Chromium)."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def static_server(root: Path) -> Iterator[str]:
    """Serve `root` on a loopback port from a thread; yields its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def write_config(dist: Path, api_url: str) -> None:
    """Monster's config.js: the gateway as the API, no Braintree, no first-use walkthrough."""
    config = {
        "api": {"default": api_url},
        "disableBraintree": True,
        "whitelabel": {
            "companyName": "Gateway",
            "applicationTitle": "Monster UI",
            "disableFirstUseWalkthrough": True,
            "logoutTimer": 0,
        },
    }
    (dist / "js" / "config.js").write_text(f"define({json.dumps(config, indent=2)});\n")


def app_links(voip: Path, callflows: Path) -> Path:
    """GATEWAY_APPS_DIR: a folder holding voip/ and callflows/ (links to the app sources)."""
    apps = WORK / "apps"
    shutil.rmtree(apps, ignore_errors=True)
    apps.mkdir(parents=True)
    for name, source in (("voip", voip), ("callflows", callflows)):
        (apps / name).symlink_to(source.resolve(), target_is_directory=True)
    return apps


def install_driver() -> Path:
    """playwright-core into build/e2e/node_modules, next to a copy of the browser script."""
    stamp = WORK / "node_modules" / ".e2e-package"
    package = (ROOT / "e2e" / "package.json").read_text()
    if not stamp.exists() or stamp.read_text() != package:
        (WORK / "package.json").write_text(package)
        run(["npm", "install", "--no-audit", "--no-fund"], WORK, WORK / "npm-driver.log")
        stamp.write_text(package)
    spec = WORK / "monster.spec.mjs"
    shutil.copy2(ROOT / "e2e" / "monster.spec.mjs", spec)
    return spec


def browse(spec: Path, env: dict[str, str]) -> int:
    """Run the browser script; Chromium goes down with it, also on a timeout or Ctrl-C."""
    proc = subprocess.Popen(["node", str(spec)], cwd=WORK, env=env, start_new_session=True)
    try:
        return proc.wait(BROWSER_TIMEOUT)
    except subprocess.TimeoutExpired:
        print(f"e2e: the browser run took more than {BROWSER_TIMEOUT} s", file=sys.stderr)
        return 1
    finally:
        stop(proc)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    for var in SOURCES:
        parser.add_argument(f"--{var.lower().replace('_', '-')}", dest=var.lower(), default="")
    args = parser.parse_args()
    chromium = check(args)
    monster, voip, callflows = (Path(getattr(args, v.lower())).resolve() for v in SOURCES)
    started = time.monotonic()
    dist = build(monster, voip, callflows, WORK)
    spec = install_driver()
    print(f"e2e: build ready in {time.monotonic() - started:.0f} s", flush=True)
    screenshots = WORK / "screenshots"
    shutil.rmtree(screenshots, ignore_errors=True)
    screenshots.mkdir()
    with ExitStack() as stack:
        port = free_port()
        write_config(dist, f"http://127.0.0.1:{port}/v2/")
        api = stack.enter_context(gateway(port, app_links(voip, callflows), WORK / "gateway.log"))
        site = stack.enter_context(static_server(dist))
        print(f"e2e: gateway {api}, Monster UI {site}", flush=True)
        env = {
            **os.environ,
            "MONSTER_URL": site,
            "API_URL": api,
            "CHROMIUM": chromium,
            "SCREENSHOTS": str(screenshots),
            "LOGINS": json.dumps(demo_logins()),
        }
        started = time.monotonic()
        code = browse(spec, env)
        print(f"e2e: browser run {time.monotonic() - started:.0f} s, exit {code}", flush=True)
    print(f"e2e: report.json, gateway.log and build.log in {WORK}, screenshots in {screenshots}")
    return code


if __name__ == "__main__":
    sys.exit(main())

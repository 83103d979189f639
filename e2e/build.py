"""Build Monster UI with SmartPBX and Callflows into build/e2e/monster-ui/dist.

Monster's sources are copied, never changed in place. Two patches make the build work with
dart-sass (node-sass no longer compiles): the import in gulp/helpers/helpers.js, and `+`/`-`
without whitespace inside `calc(...)`, which dart-sass refuses. node_modules is kept while
Monster's lockfile stays the same, and dist is kept while no input file changed.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

SKIPPED = {".git", "node_modules", "dist", "distDev", "distRequired", "tmp"}
NODE_SASS = "import nodeSass from 'node-sass';"
DART_SASS = "import nodeSass from 'sass';"
CALC = re.compile(r"calc\(([^;{}]*)\)")
# a number (with its unit) or a closing parenthesis, then + or - glued to what follows
TIGHT_OPERATOR = re.compile(r"((?<![\w.-])\d*\.?\d+[a-z%]*|\))([+-])(?=[\d.(])")


def fingerprint(*trees: Path) -> str:
    """Hash of this script and of every input file's path, size and modification time."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for tree in trees:
        for path in sorted(_files(tree)):
            stat = path.stat()
            digest.update(
                f"{path.relative_to(tree)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode()
            )
    return digest.hexdigest()


def _files(tree: Path) -> list[Path]:
    found = []
    for path in tree.iterdir():
        if path.name in SKIPPED:
            continue
        if path.is_dir() and not path.is_symlink():
            found.extend(_files(path))
        elif path.is_file():
            found.append(path)
    return found


def copy_sources(monster: Path, voip: Path, callflows: Path, dest: Path) -> None:
    """Replace everything in `dest` but node_modules with fresh copies of the inputs."""
    dest.mkdir(parents=True, exist_ok=True)
    for old in dest.iterdir():
        if old.name == "node_modules":
            continue
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old)
        else:
            old.unlink()
    ignore = shutil.ignore_patterns(*SKIPPED)
    for item in monster.iterdir():
        if item.name in SKIPPED:
            continue
        if item.is_dir():
            shutil.copytree(item, dest / item.name, ignore=ignore, symlinks=True)
        else:
            shutil.copy2(item, dest / item.name)
    for name, app in (("voip", voip), ("callflows", callflows)):
        target = dest / "src" / "apps" / name
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(app, target, ignore=ignore, symlinks=True)


def patch_sources(dest: Path) -> None:
    """Use dart-sass, and give the operators of calc() the whitespace dart-sass needs."""
    helpers = dest / "gulp" / "helpers" / "helpers.js"
    text = helpers.read_text()
    if NODE_SASS in text:
        helpers.write_text(text.replace(NODE_SASS, DART_SASS))
    elif DART_SASS not in text:
        raise SystemExit(f"{helpers}: no node-sass import to replace; the build may fail")
    for scss in (dest / "src").rglob("*.scss"):
        text = scss.read_text()
        patched = CALC.sub(_spaced_calc, text)
        if patched != text:
            scss.write_text(patched)


def _spaced_calc(match: re.Match[str]) -> str:
    return "calc(" + TIGHT_OPERATOR.sub(r"\1 \2 ", match[1]) + ")"


def npm_install(dest: Path, lock_key: str, log: Path) -> None:
    """npm install unless node_modules was installed from the same lockfile."""
    stamp = dest / "node_modules" / ".e2e-lockfile"
    if stamp.exists() and stamp.read_text() == lock_key:
        return
    shutil.rmtree(dest / "node_modules", ignore_errors=True)
    # --ignore-scripts skips node-sass's native build (it fails on current Node; dart-sass
    # stands in) and the preinstall hook, which only rewrites the lockfile's resolutions.
    run(["npm", "install", "--ignore-scripts", "--no-audit", "--no-fund"], dest, log)
    run(["npm", "install", "--no-save", "--ignore-scripts", "--no-audit", "sass@1"], dest, log)
    stamp.write_text(lock_key)


def build(monster: Path, voip: Path, callflows: Path, work: Path) -> Path:
    """Build (or reuse) Monster UI with both apps; returns its dist folder."""
    dest = work / "monster-ui"
    dist = dest / "dist"
    log = work / "build.log"
    key = fingerprint(monster, voip, callflows)
    stamp = work / "dist.fingerprint"
    if dist.is_dir() and stamp.exists() and stamp.read_text() == key:
        print(f"e2e: reusing {dist} (inputs unchanged)", flush=True)
        return dist
    stamp.unlink(missing_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    log.write_text("")
    print(f"e2e: building Monster UI into {dist} (log: {log})", flush=True)
    copy_sources(monster, voip, callflows, dest)
    patch_sources(dest)
    locks = (monster / name for name in ("package.json", "package-lock.json"))
    lock_key = hashlib.sha256(b"".join(p.read_bytes() for p in locks if p.exists())).hexdigest()
    npm_install(dest, lock_key, log)
    run(["npx", "gulp", "build-dev"], dest, log)
    if not (dist / "apps" / "voip").is_dir() or not (dist / "apps" / "callflows").is_dir():
        raise SystemExit(f"e2e: the build left no apps/voip or apps/callflows in {dist}")
    stamp.write_text(key)
    return dist


def run(command: list[str], cwd: Path, log: Path) -> None:
    """Run a build step, its output appended to `log`; on failure show the log's tail."""
    with log.open("a") as out:
        out.write(f"\n$ {' '.join(command)}\n")
        out.flush()
        done = subprocess.run(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    if done.returncode:
        tail = "".join(log.read_text().splitlines(keepends=True)[-40:])
        shown = " ".join(command)
        raise SystemExit(f"{tail}\ne2e: `{shown}` failed ({done.returncode}), see {log}")

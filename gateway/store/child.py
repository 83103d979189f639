"""The embedded store's process: it locks its data folder, ends with the gateway that started
it, then runs nx-27017 in this process.

`python -m gateway.store.child --parent PID -- <nx-27017 arguments>`; exit code LOCKED (with
one line on stderr) when another store holds the folder.
"""

from __future__ import annotations

import fcntl
import os
import sys
from pathlib import Path
from typing import IO

from gateway.store.lifeline import die_with_parent, watch_parent

LOCKED = 75
LOCK_FILE = ".store.lock"
MEMORY = "memory"


class FolderInUse(Exception):
    """Another process holds the data folder's lock; the message is one line."""


def lock_folder(folder: str) -> IO[str]:
    """Hold the folder's exclusive lock for as long as the returned file stays open (the
    process's life); FolderInUse when another process holds it."""
    path = Path(folder) / LOCK_FILE
    handle = path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise FolderInUse(f"the data folder {folder} is in use by {holder}") from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}\n")
    handle.flush()
    return handle


def main(argv: list[str]) -> int:
    """Lock, tie to the parent, run the store."""
    parent = int(argv[argv.index("--parent") + 1])
    store_args = argv[argv.index("--") + 1 :]
    data = store_args[store_args.index("--data-dir") + 1]
    die_with_parent(parent)
    watch_parent(parent)
    lock = None
    if data != MEMORY:
        try:
            lock = lock_folder(data)
        except FolderInUse as err:
            print(err, file=sys.stderr, flush=True)
            return LOCKED
    from nx_27017.nx_27017 import main as run_store

    sys.argv = ["nx-27017", *store_args]
    try:
        run_store()
    finally:
        if lock is not None:
            lock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

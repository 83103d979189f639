"""Backups of the embedded store: a consistent copy of each database file of its data folder,
taken while it serves, and a restore into an empty data folder.

Each database (documents and stored files alike) is one SQLite file, copied with SQLite's
online backup in one step: a read transaction, so the copy is the database as of one moment,
while the store goes on writing (WAL mode).
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from gateway.store.child import MEMORY, FolderInUse, lock_folder

MANIFEST = "backup.json"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is one line."""


def _databases(folder: Path) -> list[Path]:
    return sorted(path for path in folder.glob("*.db") if path.is_file())


def _copy(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source)) as reading, closing(sqlite3.connect(target)) as copy:
        reading.backup(copy)


def backup(data_dir: str, target_dir: str) -> list[str]:
    """Copy every database of the data folder into `target_dir` (new or empty); their names."""
    if data_dir == MEMORY:
        raise BackupError("an in-memory store keeps nothing to back up")
    source, target = Path(data_dir), Path(target_dir)
    found = _databases(source) if source.is_dir() else []
    if not found:
        raise BackupError(f"no store in {data_dir}")
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target_dir} is not empty")
    target.mkdir(parents=True, exist_ok=True)
    for database in found:
        _copy(database, target / database.name)
    names = [database.name for database in found]
    manifest = {
        "format": FORMAT,
        "taken_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "databases": names,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return names


def restore(source_dir: str, data_dir: str) -> list[str]:
    """Copy a backup's databases into an empty data folder no store is serving; their names."""
    if data_dir == MEMORY:
        raise BackupError("an in-memory store cannot be restored into")
    source, target = Path(source_dir), Path(data_dir)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
        names = [str(name) for name in manifest["databases"]]
    except (OSError, ValueError, KeyError, TypeError):
        raise BackupError(
            f"{source_dir} holds no backup ({MANIFEST} missing or unreadable)"
        ) from None
    if manifest.get("format") != FORMAT or not all((source / name).is_file() for name in names):
        raise BackupError(f"{source_dir} is not a complete backup of this format")
    target.mkdir(parents=True, exist_ok=True)
    try:
        lock = lock_folder(data_dir)
    except FolderInUse as err:
        raise BackupError(f"{err}: stop it before restoring") from None
    with lock:
        if _databases(target):
            raise BackupError(f"{data_dir} already holds a store: restore needs an empty folder")
        for name in names:
            _copy(source / name, target / name)
    return names

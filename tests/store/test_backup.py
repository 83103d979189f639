"""Backups of the embedded store: a consistent copy taken while it is written, stored files
included, restored into an empty folder without its login sessions; and every refusal, through
the functions and the CLI."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from gateway.auth.tokens import SESSIONS
from gateway.settings import Settings
from gateway.store import Store
from gateway.store.backup import MANIFEST, BackupError, backup, restore
from gateway.store.connect import connect
from gateway.store.embedded import EmbeddedServer

AUDIO = bytes(range(256)) * 1200  # two GridFS chunks and a bit


async def _chunks(data: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(data), 64 * 1024):
        yield data[start : start + 64 * 1024]


class Served:
    """An embedded server on a folder and a store connected to it."""

    def __init__(self, data_dir: Path) -> None:
        self.server = EmbeddedServer(str(data_dir))
        self.store: Store | None = None

    async def __aenter__(self) -> Store:
        url = await self.server.start()
        self.store = Store(connect(url, Settings()), "gateway")
        return self.store

    async def __aexit__(self, *_: object) -> None:
        if self.store is not None:
            await self.store.close()
        await self.server.stop()
        self.server.cleanup()


async def test_a_backup_taken_while_writing_is_one_moment_of_the_store_with_its_files(
    tmp_path: Path,
) -> None:
    data, copy, restored = tmp_path / "data", tmp_path / "backup", tmp_path / "restored"
    written: list[int] = []
    async with Served(data) as store:
        saved = await store.files.save(_chunks(AUDIO), "audio/wav", "greeting.wav", 10**7)
        for n in range(1, 51):
            await store.insert("writes", {"id": f"w{n:05d}", "n": n})
            written.append(n)
        done = asyncio.Event()

        async def write_on() -> None:
            n = written[-1]
            while not done.is_set():
                n += 1
                await store.insert("writes", {"id": f"w{n:05d}", "n": n})
                written.append(n)

        writing = asyncio.create_task(write_on())
        await asyncio.sleep(0.2)
        before = len(written)
        names = await asyncio.to_thread(backup, str(data), str(copy))
        done.set()
        await writing
    assert names == ["admin.db", "gateway.db"]
    manifest = json.loads((copy / MANIFEST).read_text())
    assert manifest["databases"] == names and manifest["format"] == 1

    assert restore(str(copy), str(restored)) == names
    async with Served(restored) as store:
        found = sorted(doc["n"] for doc in await store.find("writes", {}))
        handle = await store.files.open(saved.file_id)
        assert handle is not None
        audio = b"".join([chunk async for chunk in store.files.read_range(handle, 0, len(AUDIO))])
    # Every write acknowledged before the backup began is in it, and what it holds has no gap:
    # the copy is the store as of one moment while the writes went on.
    assert len(found) >= before
    assert found == list(range(1, len(found) + 1))
    assert len(found) < len(written)
    assert audio == AUDIO


async def test_a_restore_needs_an_empty_folder_no_store_serves(tmp_path: Path) -> None:
    data, copy = tmp_path / "data", tmp_path / "backup"
    async with Served(data) as store:
        await store.insert("writes", {"id": "kept", "n": 1})
        backup(str(data), str(copy))
        with pytest.raises(BackupError, match="stop it before restoring"):
            restore(str(copy), str(data))
    with pytest.raises(BackupError, match="already holds a store"):
        restore(str(copy), str(data))
    async with Served(data) as store:
        assert [doc["id"] for doc in await store.find("writes", {})] == ["kept"]


def test_a_backup_refuses_a_folder_without_a_store_or_a_target_in_use(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="no store in"):
        backup(str(tmp_path / "nothing"), str(tmp_path / "backup"))
    with pytest.raises(BackupError, match="in-memory"):
        backup("memory", str(tmp_path / "backup"))
    data = tmp_path / "data"
    data.mkdir()
    (data / "gateway.db").write_bytes(b"")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    with pytest.raises(BackupError, match="is not empty"):
        backup(str(data), str(busy))
    assert [path.name for path in busy.iterdir()] == ["notes.txt"]


def test_a_restore_refuses_what_is_not_a_whole_backup(tmp_path: Path) -> None:
    source, target = tmp_path / "backup", tmp_path / "data"
    source.mkdir()
    with pytest.raises(BackupError, match="holds no backup"):
        restore(str(source), str(target))
    (source / MANIFEST).write_text(json.dumps({"format": 1, "databases": ["gateway.db"]}))
    with pytest.raises(BackupError, match="not a complete backup"):
        restore(str(source), str(target))
    (source / MANIFEST).write_text("{not json")
    with pytest.raises(BackupError, match="holds no backup"):
        restore(str(source), str(target))
    assert not target.exists() or not any(target.glob("*.db"))


def _gateway(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != "GATEWAY_MONGO_URL"}
    return subprocess.run(
        [sys.executable, "-m", "gateway", *args],
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_the_backup_and_restore_commands(tmp_path: Path) -> None:
    data, copy, restored = tmp_path / "data", tmp_path / "backup", tmp_path / "restored"
    async with Served(data) as store:
        await store.insert("writes", {"id": "kept", "n": 1})
        await store.insert(SESSIONS, {"id": "s1", "account_id": "a" * 32, "method": "md5"})
        taken = await asyncio.to_thread(_gateway, "backup", str(copy), GATEWAY_DATA_DIR=str(data))
    assert taken.returncode == 0, taken.stderr
    assert "gateway.db" in taken.stdout

    again = await asyncio.to_thread(_gateway, "backup", str(copy), GATEWAY_DATA_DIR=str(data))
    assert again.returncode == 1
    assert again.stderr.strip().splitlines() == [f"backup: {copy} is not empty"]

    back = await asyncio.to_thread(_gateway, "restore", str(copy), GATEWAY_DATA_DIR=str(restored))
    assert back.returncode == 0, back.stderr
    assert "1 sessions of the backup ended" in back.stdout
    async with Served(restored) as store:
        assert [doc["id"] for doc in await store.find("writes", {})] == ["kept"]
        # A session revoked after the backup must not work again: none is restored.
        assert await store.find(SESSIONS, {}) == []

    remote = await asyncio.to_thread(
        _gateway, "backup", str(tmp_path / "elsewhere"), GATEWAY_MONGO_URL="mongodb://db:27017/"
    )
    assert remote.returncode == 2
    assert "mongodump" in remote.stderr
    assert not (tmp_path / "elsewhere").exists()

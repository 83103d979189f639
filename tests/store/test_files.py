"""Attachments in GridFS: streamed in, read back by range, bounded, deletable."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest

from gateway.store import Store
from gateway.store.files import CHUNK, TooLarge


async def chunks_of(data: bytes, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def read_all(store: Store, file_id: str, start: int, end: int) -> bytes:
    handle = await store.files.open(file_id)
    assert handle is not None
    return b"".join([part async for part in store.files.read_range(handle, start, end)])


async def test_a_file_spanning_several_chunks_reads_back_whole_and_by_range(
    store: Store,
) -> None:
    data = os.urandom(CHUNK * 2 + 1000)
    saved = await store.files.save(chunks_of(data), "audio/mpeg", "greeting.mp3", 10 << 20)
    assert saved.length == len(data) and len(saved.file_id) == 32
    assert await read_all(store, saved.file_id, 0, len(data) - 1) == data
    start, end = CHUNK - 10, CHUNK + 10
    assert await read_all(store, saved.file_id, start, end) == data[start : end + 1]
    handle = await store.files.open(saved.file_id)
    assert handle is not None and handle.length == len(data)


async def test_an_upload_past_the_limit_keeps_nothing(store: Store) -> None:
    with pytest.raises(TooLarge):
        await store.files.save(chunks_of(b"x" * 5000, 1000), "audio/wav", "big.wav", 4096)
    assert await store.files.find_count() == 0


async def test_a_deleted_file_is_gone(store: Store) -> None:
    saved = await store.files.save(chunks_of(b"abc"), "text/plain", "a.txt", 100)
    await store.files.delete(saved.file_id)
    await store.files.delete(saved.file_id)
    assert await store.files.open(saved.file_id) is None


async def test_files_of_one_account_are_deleted_together(store: Store) -> None:
    mine = await store.files.save(chunks_of(b"a"), "audio/wav", "a.wav", 100, "a" * 32)
    also = await store.files.save(chunks_of(b"b"), "audio/wav", "b.wav", 100, "a" * 32)
    other = await store.files.save(chunks_of(b"c"), "audio/wav", "c.wav", 100, "b" * 32)
    assert await store.files.delete_for_account("a" * 32) == 2
    assert await store.files.open(mine.file_id) is None
    assert await store.files.open(also.file_id) is None
    assert await store.files.open(other.file_id) is not None

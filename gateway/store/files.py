"""Binary attachments (voicemail audio, media, photos) in GridFS, streamed both ways."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from gridfs.asynchronous.grid_file import AsyncGridFSBucket, AsyncGridIn, AsyncGridOut
from gridfs.errors import NoFile
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

from gateway.store.ids import new_id

log = logging.getLogger(__name__)
CHUNK = 255 * 1024


class TooLarge(Exception):
    """An upload passed its size limit; nothing was kept."""


@dataclass(frozen=True)
class StoredFile:
    """What is known of a stored file."""

    file_id: str
    length: int
    content_type: str
    filename: str


class Files:
    """Upload and download of attachments through one GridFS bucket."""

    def __init__(self, database: AsyncDatabase[Any], bucket: str = "attachments") -> None:
        self._bucket = AsyncGridFSBucket(database, bucket_name=bucket, chunk_size_bytes=CHUNK)

    async def save(
        self,
        chunks: AsyncIterator[bytes],
        content_type: str,
        filename: str,
        limit: int,
        account_id: str | None = None,
    ) -> StoredFile:
        """Store a stream under a new id; past `limit` bytes nothing is kept (TooLarge)."""
        file_id = new_id()
        stream = self._bucket.open_upload_stream_with_id(
            file_id, filename, metadata={"content_type": content_type, "account_id": account_id}
        )
        length = 0
        try:
            async for chunk in chunks:
                length += len(chunk)
                if length > limit:
                    raise TooLarge()
                await stream.write(chunk)
        except BaseException:
            await self._discard(stream, file_id)
            raise
        await stream.close()
        return StoredFile(file_id, length, content_type, filename)

    async def _discard(self, stream: AsyncGridIn, file_id: str) -> None:
        # nx-27017 keeps an unfinished GridFS file out of the store and answers abort with an
        # error; MongoDB deletes the chunks written so far.
        try:
            await stream.abort()
        except OperationFailure:
            log.info("abort of unfinished upload %s: nothing was kept", file_id)

    async def open(self, file_id: str) -> AsyncGridOut | None:
        """A readable handle, or None when the file is gone."""
        try:
            return await self._bucket.open_download_stream(file_id)
        except NoFile:
            return None

    async def read_range(self, handle: AsyncGridOut, start: int, end: int) -> AsyncIterator[bytes]:
        """Bytes start..end (inclusive), a chunk at a time."""
        await handle.seek(start)
        remaining = end - start + 1
        while remaining > 0:
            data = await handle.read(min(CHUNK, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data

    async def find_count(self) -> int:
        """How many files are stored (for tests and maintenance)."""
        return len([item async for item in self._bucket.find({})])

    async def delete_for_account(self, account_id: str) -> int:
        """Remove every file uploaded in one account; how many went."""
        found = [item._id async for item in self._bucket.find({"metadata.account_id": account_id})]
        for file_id in found:
            await self.delete(file_id)
        return len(found)

    async def delete(self, file_id: str) -> None:
        """Remove a file (no error when it is already gone)."""
        try:
            await self._bucket.delete(file_id)
        except (NoFile, OperationFailure):
            pass

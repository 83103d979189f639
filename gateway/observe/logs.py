"""Log lines as text (the layout of old) or as one JSON object each."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import orjson

# With several processes each text line names the one that wrote it.
TEXT_FORMAT = {
    False: "%(asctime)s %(levelname)s %(name)s %(message)s",
    True: "%(asctime)s %(levelname)s [%(process)d] %(name)s %(message)s",
}


class JsonFormatter(logging.Formatter):
    """`time`, `level`, `logger`, `message`, `process`, `exc` for an exception, and the
    record's `fields` (the access log's) when it has them."""

    def format(self, record: logging.LogRecord) -> str:
        """One line of JSON."""
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exc"] = record.exc_text
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update((key, value) for key, value in fields.items() if key not in line)
        return orjson.dumps(line, default=str).decode()


def configure_logging(log_format: str, several: bool) -> None:
    """Root logging at INFO on stderr: `json` (GATEWAY_LOG_FORMAT) or text."""
    if log_format == "json":
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        logging.basicConfig(level=logging.INFO, handlers=[handler])
    else:
        logging.basicConfig(level=logging.INFO, format=TEXT_FORMAT[several])

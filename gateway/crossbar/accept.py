"""Response type negotiation: the Accept header and `?accept=` (pure)."""

from __future__ import annotations

from gateway.crossbar.errors import EmptyError

JSON = "application/json"
CSV = "text/csv"
# Kazoo's default providers: JSON types render JSON, the rest CSV.
DEFAULT_PROVIDERS = {
    "application/json": JSON,
    "application/x-json": JSON,
    "text/csv": CSV,
    "text/comma-separated-values": CSV,
    "application/octet-stream": CSV,
}
_SHORT = {"csv": CSV, "json": JSON}


def negotiate(accept_header: str | None, override: str | None) -> str:
    """JSON or CSV for this request; 406 (empty body) when nothing offered fits."""
    if override:
        value = override.strip().lower()
        return _SHORT.get(value) or DEFAULT_PROVIDERS.get(value, JSON)
    if not accept_header:
        return JSON
    for media in _ranked(accept_header):
        if media in ("*/*", "application/*"):
            return JSON
        if media == "text/*":
            return CSV
        if media in DEFAULT_PROVIDERS:
            return DEFAULT_PROVIDERS[media]
    raise EmptyError(406)


def _ranked(header: str) -> list[str]:
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        media, *options = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for option in options:
            if option.startswith("q="):
                try:
                    quality = float(option[2:])
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            ranked.append((-quality, position, media.lower()))
    return [media for _, _, media in sorted(ranked)]

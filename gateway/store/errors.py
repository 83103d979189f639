"""Errors the store raises; they name no driver type."""


class DuplicateValue(Exception):
    """A unique index refused the write; `index` names the rule that fired."""

    def __init__(self, index: str) -> None:
        super().__init__(index)
        self.index = index


class Conflict(Exception):
    """The document changed between read and write (revision mismatch)."""


class StoreUnavailable(Exception):
    """The database could not be reached."""

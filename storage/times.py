"""One text form for moments in the database, so that they sort and compare as strings."""

from __future__ import annotations

from datetime import UTC, datetime


def stamp(moment: datetime) -> str:
    """UTC, to the second: "2021-11-01T10:00:00+00:00"."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_stamp(text: str) -> datetime:
    """The moment a `stamp` wrote."""
    return datetime.fromisoformat(text)

"""How instants are stored: integer seconds since the epoch, always UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def to_ts(instant: datetime) -> int:
    return int(instant.astimezone(UTC).timestamp())


def from_ts(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)

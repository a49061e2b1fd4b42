"""What the engine moves around, and what a feature provides to it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from bot.db.timestamps import from_ts

if TYPE_CHECKING:
    import discord


@dataclass(frozen=True)
class DueItem:
    id: int
    kind: str
    ref: str
    guild_id: int | None
    occurrence: str
    due_at: datetime
    expires_at: datetime | None
    payload: dict[str, Any]
    attempts: int

    @classmethod
    def from_row(cls, row: Any) -> DueItem:
        return cls(
            id=row["id"],
            kind=row["kind"],
            ref=row["ref"],
            guild_id=row["guild_id"],
            occurrence=row["occurrence"],
            due_at=from_ts(row["due_at"]),
            expires_at=None if row["expires_at"] is None else from_ts(row["expires_at"]),
            payload=json.loads(row["payload"]),
            attempts=row["attempts"],
        )


@dataclass(frozen=True)
class Problem:
    """A delivery that was missed or failed, for the moderators' `/config rappels`."""

    kind: str
    status: str
    error: str | None
    at: datetime


@dataclass(frozen=True)
class Schedule:
    """When an item is next due, for which occurrence, and until when it is worth sending."""

    occurrence: str
    due_at: datetime
    expires_at: datetime | None = None
    payload: dict[str, Any] | None = None


@dataclass
class Outgoing:
    """One message to deliver. `target` is 'channel:<id>' or 'dm:<user id>'."""

    target: str
    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    view: discord.ui.View | None = None
    allowed_mentions: discord.AllowedMentions | None = None
    # For DMs: where to mention the member instead when their DMs are closed (None: nowhere).
    fallback_channel_id: int | None = None
    fallback_content: str | None = None

    @property
    def is_dm(self) -> bool:
        return self.target.startswith("dm:")

    @property
    def target_id(self) -> int:
        return int(self.target.split(":", 1)[1])


class ReminderHandler(Protocol):
    """What a feature registers with the engine for one `kind` of item."""

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        """The messages for this occurrence (empty: nothing to send any more)."""
        ...

    async def next_schedule(self, item: DueItem) -> Schedule | None:
        """After an occurrence is settled: the next one (recurring items), or None to finish."""
        ...

    async def on_permanent_failure(self, item: DueItem, target: str, code: str) -> bool:
        """A target failed for good (channel deleted, permission lost). True when the feature
        told the server's moderators itself; otherwise the engine tells them, once."""
        ...

    async def on_delivered(self, item: DueItem, target: str, message: discord.Message) -> None:
        """A message was delivered (e.g. remember its id)."""
        ...


class OneShotHandler:
    """Defaults for handlers of items that happen once and need no bookkeeping."""

    async def next_schedule(self, item: DueItem) -> Schedule | None:
        return None

    async def on_permanent_failure(self, item: DueItem, target: str, code: str) -> bool:
        return False

    async def on_delivered(self, item: DueItem, target: str, message: discord.Message) -> None:
        return None

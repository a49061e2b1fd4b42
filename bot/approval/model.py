"""What the approval pattern moves around, and what a feature provides to it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import discord


class Status(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"  # the feature took it back (author erased, thing deleted)


class Action(StrEnum):
    APPROVE = "approve"
    REFUSE = "refuse"


@dataclass(frozen=True)
class Request:
    id: int
    guild_id: int
    kind: str
    ref: str
    author_id: int | None
    channel_id: int | None
    lang: str
    status: Status
    mod_channel_id: int | None
    mod_message_id: int | None
    decided_by: int | None
    decided_at: datetime | None
    reason: str | None
    created_at: datetime

    def with_(self, **changes: Any) -> Request:
        return replace(self, **changes)


class ApprovalHandler(Protocol):
    """What a feature registers with `bot.approvals.register(kind, handler)`."""

    async def card(self, request: Request, lang: str) -> discord.Embed:
        """What the moderators read on the card (in the server's language)."""
        ...

    async def approved(self, request: Request, moderator_id: int) -> None:
        """Carry it out (publish…). A `UserError` refuses the click: the request stays
        pending and the moderator reads why."""
        ...

    async def refused(self, request: Request) -> None:
        """Tidy up after a refusal (the thing will not be carried out)."""
        ...

    async def notice(self, request: Request) -> str | None:
        """The author's notice of the decision (status and reason set), in `request.lang`;
        None: nothing to tell (the thing is gone)."""
        ...

    # Optional: `def extra_items(self, request, lang) -> list[discord.ui.Item]` — the feature's
    # own buttons on the card, between Approuver and Refuser (dynamic items bound to its flows).

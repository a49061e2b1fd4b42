"""Rules of scheduled announcements; no Discord, no SQL, time passed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.user_error import UserError
from bot.when import parse_when

TEXT_LIMIT = 1800  # leaves room in Discord's 2000 for the late note
KIND = "annonce"
# An announcement is still worth posting late for this long (then recorded as missed).
USEFUL_FOR = timedelta(hours=6)
LIST_LIMIT = 25  # what `/annonce liste` shows
LIST_PREVIEW = 60  # characters of each text in the list


class Status(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    CANCELLED = "cancelled"
    FAILED = "failed"


@dataclass(frozen=True)
class Announcement:
    id: int
    guild_id: int
    channel_id: int
    author_id: int | None
    text: str
    due_at: datetime
    zone: str
    status: Status


def validate_text(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise UserError("errors.text_empty")
    if len(cleaned) > TEXT_LIMIT:
        raise UserError("errors.text_too_long", length=len(cleaned), limit=TEXT_LIMIT)
    return cleaned


def understand_when(text: str, zone: ZoneInfo, now: datetime, lang: str) -> datetime:
    """The instant (UTC) a member meant; raises a translated-key error otherwise."""
    return parse_when(text, zone=zone, now=now, lang_hint=lang).astimezone(UTC)


def require_cancellable(announcement: Announcement | None, guild_id: int, number: int) -> None:
    if announcement is None or announcement.guild_id != guild_id:
        raise UserError("annonce.error.unknown", id=number)
    if announcement.status is not Status.PENDING:
        raise UserError("annonce.error.not_pending", id=number)


def ref_for(announcement_id: int) -> str:
    return f"annonce:{announcement_id}"


def id_from_ref(ref: str) -> int:
    return int(ref.split(":", 1)[1])

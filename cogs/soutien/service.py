"""Soutien entre pairs: the rules. No Discord, no SQL; time is passed in as `now`.

Anonymity rests on two keyed hashes (HMAC-SHA256 with a per-install secret kept in the `meta`
table, never in the repository):
- the pseudonym, stable per (author, thread): "Collègue #4F2";
- the author key, stable per author, used for blocks and rate limits without storing the id.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.regions import REGIONS
from bot.secrecy import kinds_found
from bot.user_error import UserError

REPLY_KIND = "soutien.reply"  # engine kind: "a new reply in your thread", by DM
PURGE_KIND = "soutien.purge"  # engine kind: the daily retention purge

# Modal text inputs allow 4000 characters, but a post must fit one message with its header.
TEXT_MAX = 1800
TEXT_MIN = 1
RETENTION_DEFAULT = 30
RETENTION_MIN, RETENTION_MAX = 1, 365
RATE_WINDOW = timedelta(hours=1)
RATE_MAX = 6  # anonymous posts per member per window, all threads together
PURGE_EVERY = timedelta(days=1)
INACTIVE_AFTER = timedelta(days=7)  # threads with no activity for this long are archived
NOTIFY_DELAY = timedelta(minutes=2)  # replies arriving together make one DM
NOTIFY_EXPIRES = timedelta(days=1)  # a reply notice later than this is no news any more
DRAFT_TTL = timedelta(minutes=15)  # an interaction token's life: the warning is useless after
DRAFT_TOKEN_BYTES = 8  # 16 hex digits in the buttons' custom ids
NOTIFY_REF_BYTES = 12  # the opaque reminder ref of a reply notice
PSEUDO_DIGITS = 3
PSEUDO_DIGITS_MAX = 16  # a SHA-256 prefix this long never collides within one thread
THREAD_NAME_MAX = 100
REGION_CODE_SHOWN = 10  # an unknown region code is echoed this short


class ThreadKind(StrEnum):
    PRIVATE = "private"
    ANONYMOUS = "anonymous"


class Opening(StrEnum):
    """The two ways in offered by `/soutien ouvrir` (also in the buttons' custom ids)."""

    PRIVATE = "private"
    ANONYMOUS = "anon"


class DraftAction(StrEnum):
    """What a member may do with a text the guard questioned."""

    EDIT = "edit"
    POST = "post"
    CANCEL = "cancel"


class ModAction(StrEnum):
    REMOVE = "remove"
    BLOCK = "block"


class ConfigField(StrEnum):
    CHANNEL = "channel"
    ROLE = "role"
    ALERTS = "alerts"
    REGION = "region"
    RETENTION = "retention"


class ConfigGap(StrEnum):
    """What keeps a saved configuration from being whole, told to the moderator who saved it."""

    NO_CHANNEL = "no_channel"  # members cannot open anything yet
    NO_ROLE = "no_role"  # nobody is brought into private threads
    ROLE_GONE = "role_gone"  # the configured role was deleted
    EMPTY_ROLE = "empty_role"  # the role has no members
    ROLE_UNCHECKED = "role_unchecked"  # membership could not be counted and none is known


class Audience(StrEnum):
    """Who, besides the member who opened it, can see a private thread."""

    ROLE_AND_MODERATORS = "role_and_moderators"
    ROLE = "role"
    MODERATORS = "moderators"  # those who may manage threads in the channel
    NOBODY = "nobody"


@dataclass(frozen=True)
class SoutienConfig:
    guild_id: int
    channel_id: int | None = None
    supporter_role_id: int | None = None
    alert_channel_id: int | None = None
    region: str | None = None
    retention_days: int = RETENTION_DEFAULT


def config_gaps(
    config: SoutienConfig, *, role_exists: bool, role_members: int | None
) -> list[ConfigGap]:
    """What is missing for private threads to reach someone.

    `role_members` is the configured role's member count, or None when it could not be counted
    (then `ROLE_UNCHECKED`: the caller passes None only when no member is known to have it).
    """
    gaps = [] if config.channel_id is not None else [ConfigGap.NO_CHANNEL]
    if config.supporter_role_id is None:
        gaps.append(ConfigGap.NO_ROLE)
    elif not role_exists:
        gaps.append(ConfigGap.ROLE_GONE)
    elif role_members is None:
        gaps.append(ConfigGap.ROLE_UNCHECKED)
    elif role_members == 0:
        gaps.append(ConfigGap.EMPTY_ROLE)
    return gaps


def audience(*, role: bool, moderators: bool) -> Audience:
    if role:
        return Audience.ROLE_AND_MODERATORS if moderators else Audience.ROLE
    return Audience.MODERATORS if moderators else Audience.NOBODY


def _mac(secret: bytes, message: str) -> str:
    return hmac.new(secret, message.encode(), hashlib.sha256).hexdigest().upper()


def pseudonym(secret: bytes, author_id: int, thread_id: int, digits: int = PSEUDO_DIGITS) -> str:
    """The stable pseudonym code of `author_id` in `thread_id` (e.g. "4F2")."""
    return _mac(secret, f"pseudo:{author_id}:{thread_id}")[:digits]


def author_key(secret: bytes, author_id: int) -> str:
    """A keyed hash standing for the author in blocks and rate limits (not reversible)."""
    return _mac(secret, f"author:{author_id}")[:32]


def pick_pseudonym(secret: bytes, author_id: int, thread_id: int, taken_by_others: set[str]) -> str:
    """The author's code, lengthened in the rare case another author of the thread has it."""
    for digits in range(PSEUDO_DIGITS, PSEUDO_DIGITS_MAX + 1):
        code = pseudonym(secret, author_id, thread_id, digits)
        if code not in taken_by_others:
            return code
    raise RuntimeError("pseudonym space exhausted")  # 16 hex digits: cannot happen


def clean_text(text: str | None) -> str:
    """The text to post, validated: not empty, not over-long."""
    value = (text or "").strip()
    if len(value) < TEXT_MIN:
        raise UserError("soutien.error.empty")
    if len(value) > TEXT_MAX:
        raise UserError("soutien.error.too_long", length=len(value), limit=TEXT_MAX)
    return value


def guard_findings(text: str, now: datetime) -> list[str]:
    """The kinds of identifying details found (empty: nothing to warn about)."""
    return kinds_found(text, ref_year=now.year)


def check_rate(recent: list[datetime], now: datetime) -> None:
    """Refuse a post when the member already posted RATE_MAX times in the window."""
    inside = sorted(at for at in recent if now - at < RATE_WINDOW)
    if len(inside) >= RATE_MAX:
        wait = inside[0] + RATE_WINDOW - now
        minutes = max(1, math.ceil(wait / timedelta(minutes=1)))
        raise UserError("soutien.error.rate", count=RATE_MAX, n=minutes)


def validate_retention(days: int) -> int:
    if not RETENTION_MIN <= days <= RETENTION_MAX:
        raise UserError("soutien.error.retention", low=RETENTION_MIN, high=RETENTION_MAX)
    return days


def validate_region(region: str | None) -> str | None:
    if region is not None and region not in REGIONS:
        raise UserError("soutien.error.region", region=region[:REGION_CODE_SHOWN])
    return region


def retention_cutoff(now: datetime, days: int) -> datetime:
    """Links last used before this instant are purged."""
    return now - timedelta(days=days)


def thread_title(prefix: str, stamp: str) -> str:
    return f"{prefix} {stamp}"[:THREAD_NAME_MAX]


@dataclass(frozen=True)
class Draft:
    """A text the guard questioned. Kept in memory only: unpublished support texts never reach
    the database; a restart drops them (the member is told to write again)."""

    user_id: int
    guild_id: int
    thread_id: int | None
    text: str
    created: datetime


class Drafts:
    """The questioned texts waiting for the member's choice, by opaque token, for `DRAFT_TTL`."""

    def __init__(self) -> None:
        self._by_token: dict[str, Draft] = {}

    def __len__(self) -> int:
        return len(self._by_token)

    def keep(self, draft: Draft) -> str:
        """Keep `draft` (dropping stale ones); returns its token."""
        for token in [
            k for k, d in self._by_token.items() if draft.created - d.created > DRAFT_TTL
        ]:
            del self._by_token[token]
        token = secrets.token_hex(DRAFT_TOKEN_BYTES)
        self._by_token[token] = draft
        return token

    def take(self, token: str, user_id: int, now: datetime) -> Draft:
        """The member's draft, used once; refused when gone, stale or someone else's."""
        draft = self._by_token.get(token)
        if draft is None or now - draft.created > DRAFT_TTL:
            self._by_token.pop(token, None)
            raise UserError("soutien.error.draft_gone")
        if draft.user_id != user_id:
            raise UserError("soutien.error.not_yours")
        return self._by_token.pop(token)

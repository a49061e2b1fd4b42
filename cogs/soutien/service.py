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
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.regions import REGIONS
from bot.secrecy import kinds_found
from bot.user_error import UserError

# Modal text inputs allow 4000 characters, but a post must fit one message with its header.
TEXT_MAX = 1800
TEXT_MIN = 1
RETENTION_DEFAULT = 30
RETENTION_MIN, RETENTION_MAX = 1, 365
RATE_WINDOW = timedelta(hours=1)
RATE_MAX = 6  # anonymous posts per member per window, all threads together
PURGE_EVERY = timedelta(days=1)
INACTIVE_AFTER = timedelta(days=7)  # threads with no activity for this long are archived
PSEUDO_DIGITS = 3
THREAD_NAME_MAX = 100


@dataclass(frozen=True)
class SoutienConfig:
    guild_id: int
    channel_id: int | None = None
    supporter_role_id: int | None = None
    alert_channel_id: int | None = None
    region: str | None = None
    retention_days: int = RETENTION_DEFAULT


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
    for digits in range(PSEUDO_DIGITS, 17):
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
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        raise UserError("soutien.error.rate", count=RATE_MAX, minutes=minutes)


def validate_retention(days: int) -> int:
    if not RETENTION_MIN <= days <= RETENTION_MAX:
        raise UserError("soutien.error.retention", low=RETENTION_MIN, high=RETENTION_MAX)
    return days


def validate_region(region: str | None) -> str | None:
    if region is not None and region not in REGIONS:
        raise UserError("soutien.error.region", region=region[:10])
    return region


def retention_cutoff(now: datetime, days: int) -> datetime:
    """Links last used before this instant are purged."""
    return now - timedelta(days=days)


def thread_title(prefix: str, stamp: str) -> str:
    return f"{prefix} {stamp}"[:THREAD_NAME_MAX]

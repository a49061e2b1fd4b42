"""The engine's rules as pure functions: lateness, retries, nonces. No Discord, no SQL."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

ON_TIME_GRACE = timedelta(minutes=2)
# Without an end (e.g. a notice with no event), a late message is still worth it for this long.
LATE_WITHOUT_EXPIRY = timedelta(hours=6)
MAX_TRANSIENT_ATTEMPTS = 5
# A process claims the due items it sends for this long, and renews the claim every third of
# it while it works; a process that died loses its claims when they run out (another process,
# or itself restarted, then takes them over).
CLAIM_LEASE = timedelta(seconds=30)
BASE_BACKOFF = timedelta(seconds=15)


class Timeliness(enum.Enum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSED = "missed"


def timeliness(due_at: datetime, expires_at: datetime | None, now: datetime) -> Timeliness:
    """The late policy, in one place.

    - sent within ON_TIME_GRACE of its time: on time;
    - later, but before what it announces has begun (``expires_at``): sent, marked late;
    - later still (or, with no ``expires_at``, more than LATE_WITHOUT_EXPIRY late): missed —
      recorded in the ledger and logged, never silently dropped, never sent.
    """
    lateness = now - due_at
    if lateness <= ON_TIME_GRACE:
        return Timeliness.ON_TIME
    limit = expires_at if expires_at is not None else due_at + LATE_WITHOUT_EXPIRY
    return Timeliness.LATE if now < limit else Timeliness.MISSED


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after `attempts` transient failures (15 s, 30 s, 60 s, …)."""
    return BASE_BACKOFF * (2 ** max(0, attempts - 1))


def gives_up(attempts: int) -> bool:
    return attempts >= MAX_TRANSIENT_ATTEMPTS


def nonce_for(kind: str, ref: str, occurrence: str, target: str) -> str:
    """Discord's message nonce (≤ 25 chars) derived from the delivery key, so a retried send
    after a crash between "Discord accepted" and "we recorded it" is deduplicated by Discord."""
    digest = hashlib.blake2b(f"{kind}|{ref}|{occurrence}|{target}".encode(), digest_size=10)
    return str(int.from_bytes(digest.digest(), "big"))[:25]


# -- retention of the ledger --------------------------------------------------------------------
# How often a run prunes, and how many rows one statement removes (a short write each).
PRUNE_EVERY = timedelta(hours=1)
PRUNE_CHUNK = 500


@dataclass(frozen=True)
class Retention:
    """How long the ledger keeps a row once its item has moved on (an item still at that
    occurrence keeps all its rows, whatever their age).

    - Deliveries (sent, late, fallback, skipped) serve exactly-once only while their occurrence
      can still be sent: Discord honours a nonce for minutes, retries end within minutes, an
      item still at that occurrence keeps its rows anyway, and an occurrence is not planned
      again once past. Two weeks cover that with room to spare, and keep a weekly series'
      last two occurrences side by side (« was last week's sent? »).
    - Problems (missed, failed) and anything else are what `/config rappels` shows moderators:
      kept for 30 days, a month of moderation.
    """

    delivered: timedelta = timedelta(days=14)
    problems: timedelta = timedelta(days=30)

    def cutoffs(self, now: datetime) -> tuple[datetime, datetime]:
        return now - self.delivered, now - self.problems

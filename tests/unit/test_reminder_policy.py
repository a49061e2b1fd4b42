"""The engine's pure rules: late policy, retry backoff, nonces."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.reminders.policy import (
    LATE_WITHOUT_EXPIRY,
    MAX_TRANSIENT_ATTEMPTS,
    ON_TIME_GRACE,
    Timeliness,
    backoff,
    gives_up,
    nonce_for,
    timeliness,
)

DUE = datetime(2027, 3, 26, 17, 0, tzinfo=UTC)


def test_on_time_within_grace() -> None:
    assert timeliness(DUE, DUE + timedelta(hours=1), DUE) is Timeliness.ON_TIME
    assert timeliness(DUE, None, DUE + ON_TIME_GRACE) is Timeliness.ON_TIME


def test_late_while_the_event_has_not_begun() -> None:
    start = DUE + timedelta(hours=24)
    assert timeliness(DUE, start, DUE + timedelta(hours=3)) is Timeliness.LATE
    assert timeliness(DUE, start, start - timedelta(seconds=1)) is Timeliness.LATE


def test_missed_once_the_event_began() -> None:
    start = DUE + timedelta(hours=1)
    assert timeliness(DUE, start, start) is Timeliness.MISSED
    assert timeliness(DUE, start, start + timedelta(days=2)) is Timeliness.MISSED


def test_without_expiry_late_then_missed() -> None:
    assert timeliness(DUE, None, DUE + LATE_WITHOUT_EXPIRY / 2) is Timeliness.LATE
    assert timeliness(DUE, None, DUE + LATE_WITHOUT_EXPIRY) is Timeliness.MISSED


@given(st.integers(min_value=0, max_value=10**6))
def test_timeliness_is_monotonic_in_lateness(seconds: int) -> None:
    order = [Timeliness.ON_TIME, Timeliness.LATE, Timeliness.MISSED]
    expiry = DUE + timedelta(hours=5)
    now = DUE + timedelta(seconds=seconds)
    later = now + timedelta(minutes=10)
    assert order.index(timeliness(DUE, expiry, now)) <= order.index(timeliness(DUE, expiry, later))


def test_backoff_grows_and_attempts_are_bounded() -> None:
    waits = [backoff(n) for n in range(1, MAX_TRANSIENT_ATTEMPTS + 1)]
    assert waits == sorted(waits) and len(set(waits)) == len(waits)
    assert not gives_up(MAX_TRANSIENT_ATTEMPTS - 1)
    assert gives_up(MAX_TRANSIENT_ATTEMPTS)


@given(st.text(max_size=40), st.text(max_size=40), st.text(max_size=30), st.text(max_size=30))
def test_nonce_fits_discord_and_is_stable(kind: str, ref: str, occ: str, target: str) -> None:
    nonce = nonce_for(kind, ref, occ, target)
    assert 1 <= len(nonce) <= 25 and nonce.isdigit()
    assert nonce == nonce_for(kind, ref, occ, target)


def test_nonce_differs_per_occurrence_and_target() -> None:
    base = nonce_for("apero", "s1:o1", "2027-03-26T17:00Z", "channel:1")
    assert base != nonce_for("apero", "s1:o1", "2027-04-02T16:00Z", "channel:1")
    assert base != nonce_for("apero", "s1:o1", "2027-03-26T17:00Z", "dm:2")

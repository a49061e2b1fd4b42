"""The support space's pure rules: pseudonyms, author keys, texts, rate limit, settings."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.user_error import UserError
from cogs.soutien import service

SECRET = bytes(range(32))
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@given(st.integers(min_value=1, max_value=2**63), st.integers(min_value=1, max_value=2**63))
def test_pseudonym_is_stable_short_and_hides_the_id(author: int, thread: int) -> None:
    code = service.pseudonym(SECRET, author, thread)
    assert code == service.pseudonym(SECRET, author, thread)
    assert len(code) == service.PSEUDO_DIGITS and code == code.upper()


def test_pseudonym_depends_on_thread_and_secret() -> None:
    codes = {service.pseudonym(SECRET, 42, thread) for thread in range(200)}
    assert len(codes) > 150  # per thread, not per author
    other = [service.pseudonym(b"another install", 42, thread) for thread in range(200)]
    same = [service.pseudonym(SECRET, 42, thread) for thread in range(200)]
    assert sum(a == b for a, b in zip(other, same, strict=True)) < 5  # the secret matters
    assert service.author_key(SECRET, 42) != service.author_key(b"another install", 42)


def test_pick_pseudonym_lengthens_on_collision() -> None:
    mine = service.pseudonym(SECRET, 1, 9)
    picked = service.pick_pseudonym(SECRET, 1, 9, {mine})
    assert picked.startswith(mine) and len(picked) == service.PSEUDO_DIGITS + 1


@pytest.mark.parametrize("text", ["", "   ", "\n\t", None])
def test_empty_text_is_refused(text: str | None) -> None:
    with pytest.raises(UserError) as err:
        service.clean_text(text)
    assert err.value.key == "soutien.error.empty"


def test_long_text_is_refused_with_its_length() -> None:
    with pytest.raises(UserError) as err:
        service.clean_text("a" * (service.TEXT_MAX + 1))
    assert err.value.params == {"length": service.TEXT_MAX + 1, "limit": service.TEXT_MAX}
    assert service.clean_text("  a" * 3 + " ") == "a  a  a"


def test_rate_limit_counts_the_window_only() -> None:
    recent = [NOW - timedelta(minutes=m) for m in range(service.RATE_MAX)]
    with pytest.raises(UserError) as err:
        service.check_rate(recent, NOW)
    oldest = NOW - timedelta(minutes=service.RATE_MAX - 1)
    expected = math.ceil((oldest + service.RATE_WINDOW - NOW).total_seconds() / 60)
    assert err.value.params["n"] == expected
    service.check_rate(recent[:-1], NOW)
    service.check_rate([NOW - service.RATE_WINDOW] * 50, NOW)  # all outside the window


def test_guard_findings_use_the_current_year() -> None:
    assert service.guard_findings("Né le 03/04/2010, il est suivi chez nous.", NOW) == [
        "birth_date"
    ]
    assert service.guard_findings("Réunion le 12/12 à 14h.", NOW) == []


@pytest.mark.parametrize("days", [0, 366, -3])
def test_retention_bounds(days: int) -> None:
    with pytest.raises(UserError):
        service.validate_retention(days)
    assert service.validate_retention(30) == 30


def test_config_gaps_say_what_keeps_private_threads_from_reaching_anyone() -> None:
    bare = service.SoutienConfig(guild_id=1)
    whole = replace(bare, channel_id=2, supporter_role_id=3)
    gaps = service.config_gaps
    assert gaps(bare, role_exists=False, role_members=None) == [
        service.ConfigGap.NO_CHANNEL,
        service.ConfigGap.NO_ROLE,
    ]
    assert gaps(whole, role_exists=True, role_members=4) == []
    assert gaps(whole, role_exists=True, role_members=0) == [service.ConfigGap.EMPTY_ROLE]
    assert gaps(whole, role_exists=True, role_members=None) == [service.ConfigGap.ROLE_UNCHECKED]
    assert gaps(whole, role_exists=False, role_members=None) == [service.ConfigGap.ROLE_GONE]


def test_audience_of_a_private_thread() -> None:
    Audience = service.Audience
    assert service.audience(role=True, moderators=True) is Audience.ROLE_AND_MODERATORS
    assert service.audience(role=True, moderators=False) is Audience.ROLE
    assert service.audience(role=False, moderators=True) is Audience.MODERATORS
    assert service.audience(role=False, moderators=False) is Audience.NOBODY


def test_drafts_are_taken_once_by_their_author_within_their_time() -> None:
    drafts = service.Drafts()
    token = drafts.keep(service.Draft(7, 1, None, "texte", NOW))
    with pytest.raises(UserError) as err:
        drafts.take(token, 8, NOW)
    assert err.value.key == "soutien.error.not_yours"
    assert drafts.take(token, 7, NOW).text == "texte"
    with pytest.raises(UserError) as err:
        drafts.take(token, 7, NOW)
    assert err.value.key == "soutien.error.draft_gone"
    late = drafts.keep(service.Draft(7, 1, None, "vieux", NOW))
    with pytest.raises(UserError) as err:
        drafts.take(late, 7, NOW + service.DRAFT_TTL + timedelta(seconds=1))
    assert err.value.key == "soutien.error.draft_gone" and len(drafts) == 0
    # keeping a new draft drops the stale ones
    drafts.keep(service.Draft(7, 1, None, "a", NOW))
    drafts.keep(service.Draft(7, 1, None, "b", NOW + service.DRAFT_TTL * 2))
    assert len(drafts) == 1

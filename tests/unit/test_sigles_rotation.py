"""The sigle of the week: which sigle comes next (cogs.sigles.rotation), and when it is posted."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.user_error import UserError
from cogs.sigles import rotation
from cogs.sigles.glossary import Entry, load_glossary
from cogs.sigles.rotation import Shown, WeeklySettings
from cogs.sigles.service import ident

GUILD = 123456789012345678


def entry(sigle: str, region: str, *, historique: bool = False, origin: str = "shipped") -> Entry:
    return Entry(
        sigle=sigle,
        region=region,
        developpe=f"{sigle} développé",
        explication="…",
        domaine="institutions",
        source="https://example.org",
        historique=historique,
        origin=origin,
    )


def run(entries: list[Entry], weeks: int, guild_id: int = GUILD) -> list[rotation.Pick]:
    """Pick `weeks` sigles in a row, as the store would remember them (current round only)."""
    history: list[Shown] = []
    picks = []
    for _ in range(weeks):
        pick = rotation.choose(entries, guild_id, history)
        assert pick is not None
        picks.append(pick)
        shown = Shown(ident(pick.entry), pick.entry.region, pick.round)
        history = [h for h in history if h.round == pick.round] + [shown]
    return picks


SMALL = [entry(f"F{i}", "FR") for i in range(5)] + [entry(f"Q{i}", "QC") for i in range(3)]


def test_no_repeat_until_the_whole_pool_was_shown_then_a_new_round() -> None:
    picks = run(SMALL, 2 * len(SMALL) + 1)
    first = [p.entry for p in picks[: len(SMALL)]]
    assert sorted(first, key=ident) == sorted(SMALL, key=ident)  # each exactly once
    assert {p.round for p in picks[: len(SMALL)]} == {0}
    second = [p.entry for p in picks[len(SMALL) : 2 * len(SMALL)]]
    assert sorted(second, key=ident) == sorted(SMALL, key=ident)
    assert {p.round for p in picks[len(SMALL) : 2 * len(SMALL)]} == {1}
    assert picks[-1].round == 2


def test_regions_alternate_while_both_have_sigles_left() -> None:
    regions = [p.entry.region for p in run(SMALL, len(SMALL))]
    assert regions == ["FR", "QC", "FR", "QC", "FR", "QC", "FR", "FR"]


def test_regions_cycle_in_order_over_the_shipped_glossary() -> None:
    pool = rotation.pool(load_glossary())
    picks = run(pool, 12)
    assert [p.entry.region for p in picks[:8]] == ["FR", "QC", "BE", "CH"] * 2
    assert len({ident(p.entry) for p in picks}) == 12
    assert not any(p.entry.historique for p in picks)


def test_the_order_is_deterministic_and_seeded_by_the_server() -> None:
    assert [p.entry for p in run(SMALL, 8)] == [p.entry for p in run(SMALL, 8)]
    pool = rotation.pool(load_glossary())
    one = [p.entry.sigle for p in run(pool, 6, guild_id=1)]
    other = [p.entry.sigle for p in run(pool, 6, guild_id=2)]
    assert one != other
    # The input order does not matter: only the server and the entries do.
    assert [p.entry for p in run(list(reversed(SMALL)), 8)] == [p.entry for p in run(SMALL, 8)]


def test_an_entry_added_mid_round_is_shown_in_that_round() -> None:
    history: list[Shown] = []
    for pick in run(SMALL, 3):
        history.append(Shown(ident(pick.entry), pick.entry.region, pick.round))
    added = entry("NOUVEAU", "QC", origin="guild")
    pool = [*SMALL, added]
    shown = []
    for _ in range(len(pool) - 3):
        pick = rotation.choose(pool, GUILD, history)
        assert pick is not None and pick.round == 0
        shown.append(pick.entry)
        history.append(Shown(ident(pick.entry), pick.entry.region, pick.round))
    assert added in shown
    assert Counter(ident(e) for e in shown).most_common(1)[0][1] == 1


def test_an_entry_removed_mid_round_does_not_block_the_round() -> None:
    picks = run(SMALL, 2)
    history = [Shown(ident(p.entry), p.entry.region, p.round) for p in picks]
    smaller = [e for e in SMALL if e != picks[0].entry]
    for _ in range(len(smaller) - 1):
        pick = rotation.choose(smaller, GUILD, history)
        assert pick is not None and pick.round == 0
        history.append(Shown(ident(pick.entry), pick.entry.region, pick.round))
    pick = rotation.choose(smaller, GUILD, history)
    assert pick is not None and pick.round == 1


def test_historical_entries_are_left_out_and_an_empty_pool_picks_nothing() -> None:
    old = entry("OLD", "FR", historique=True)
    assert rotation.pool([old, *SMALL]) == SMALL
    assert rotation.choose(rotation.pool([old]), GUILD, []) is None


def test_next_post_is_the_apero_computation_in_the_servers_zone() -> None:
    settings = WeeklySettings(GUILD, 1, weekday=6, at=rotation.parse_hour("9h"))
    paris = ZoneInfo("Europe/Paris")
    # Sunday 22 March 9:00 CET = 8:00 UTC; Sunday 29 March 9:00 CEST = 7:00 UTC.
    first = rotation.next_post(settings, paris, datetime(2026, 3, 16, tzinfo=UTC))
    assert first.start == datetime(2026, 3, 22, 8, tzinfo=UTC)
    second = rotation.next_post(settings, paris, first.start)
    assert second.start == datetime(2026, 3, 29, 7, tzinfo=UTC)
    schedule = rotation.schedule_for(second)
    assert schedule.occurrence == second.start.isoformat() and schedule.due_at == second.start


@pytest.mark.parametrize(("text", "at"), [("9h", time(9)), ("09:30", time(9, 30))])
def test_parse_hour(text: str, at: time) -> None:
    assert rotation.parse_hour(text) == at


def test_parse_hour_refuses_with_the_features_key() -> None:
    with pytest.raises(UserError) as caught:
        rotation.parse_hour("25h")
    assert caught.value.key == "sigles.error.bad_hour"

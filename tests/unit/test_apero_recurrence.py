"""Apéro rules: reminders across DST, skips, what moderators type, who may act on a series.

The weekly occurrences themselves are tested in test_recurrence.py (bot.recurrence), the
offsets' grammar in test_when_offsets.py (bot.when.offsets); here, what Apéro makes of them.

2026 transitions: Montréal springs forward on Sunday 8 March and falls back on Sunday 1 November;
Paris springs forward on Sunday 29 March and falls back on Sunday 25 October. The expected instants
below are written from those UTC offsets (Paris +1/+2, Montréal −5/−4), not from the code.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.db import Database
from bot.i18n import t
from bot.user_error import UserError
from bot.when.offsets import Offset
from cogs.apero import service
from cogs.apero.cog import SUGGESTIONS
from cogs.apero.service import (
    Draft,
    Series,
    SeriesFields,
    build_fields,
    clean_link,
    edited_fields,
    parse_day,
    parse_hour,
    parse_offsets,
    reminder_after,
)
from cogs.apero.store import AperoStore

PARIS = ZoneInfo("Europe/Paris")
MONTREAL = ZoneInfo("America/Montreal")
FRIDAY, THURSDAY, SATURDAY, SUNDAY = 4, 3, 5, 6
EVE_18H = Offset(days=1, at=time(18))
QUARTER = Offset(minutes=15)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def fields(weekday: int = FRIDAY, at: time = time(18), zone: str = "Europe/Paris") -> SeriesFields:
    return SeriesFields(
        name="Apéro du vendredi", weekday=weekday, at=at, zone=zone, channel_id=1, link="https://x"
    )


def series(host_id: int | None = None, **changes: object) -> Series:
    return Series(id=7, guild_id=1, fields=fields(), host_id=host_id).with_(**changes)


# -- reminders -----------------------------------------------------------------------------------
def test_day_before_at_1800_uses_that_days_offset() -> None:
    """Sunday 29 March 11:00 Paris: the eve is still winter time, the apéro summer time."""
    spec = fields(SUNDAY, time(11)).spec
    occ, due = reminder_after(spec, EVE_18H, utc(2026, 3, 27)) or (None, None)
    assert occ is not None and occ.start == utc(2026, 3, 29, 9)
    assert due == utc(2026, 3, 28, 17)  # 18:00 CET
    occ, due = reminder_after(spec, QUARTER, utc(2026, 3, 27)) or (None, None)
    assert due == utc(2026, 3, 29, 8, 45)  # an exact duration before the start


def test_montreal_eve_before_november_change() -> None:
    spec = fields(SUNDAY, time(10), "America/Montreal").spec
    found = reminder_after(spec, EVE_18H, utc(2026, 10, 30))
    assert found is not None
    assert found[0].start == utc(2026, 11, 1, 15)  # 10:00 EST
    assert found[1] == utc(2026, 10, 31, 22)  # 18:00 EDT


def test_next_reminder_moves_on_once_due_has_passed() -> None:
    spec = fields().spec
    # Thursday 5 March 18:00 CET = 17:00 UTC is the eve of 6 March: just after it, next week.
    found = reminder_after(spec, EVE_18H, utc(2026, 3, 5, 17))
    assert found is not None and found[0].day == date(2026, 3, 13)
    assert found[1] == utc(2026, 3, 12, 17)
    # Skipping the 13th moves the reminder to the 20th's eve.
    found = reminder_after(spec, EVE_18H, utc(2026, 3, 5, 17), {date(2026, 3, 13)})
    assert found is not None and found[1] == utc(2026, 3, 19, 17)


def test_reminder_is_never_after_its_start() -> None:
    spec = fields(SUNDAY, time(3)).spec
    same_day = Offset(days=0, at=time(2, 30))  # falls in the gap on 29 March
    found = reminder_after(spec, same_day, utc(2026, 3, 28, 12))
    assert found is not None and found[1] == found[0].start == utc(2026, 3, 29, 1)


def test_reminders_after_one_per_offset_none_when_paused() -> None:
    active = series()
    got = service.reminders_after(active, utc(2026, 3, 2, 9), set())
    assert [(o.code, due) for o, _, due in got] == [
        ("d1@18:00", utc(2026, 3, 5, 17)),
        ("m15", utc(2026, 3, 6, 16, 45)),
    ]
    assert service.reminders_after(active.with_(paused=True), utc(2026, 3, 2, 9), set()) == []


def test_following_is_next_weeks_even_when_due_the_same_day() -> None:
    # « le jour même à 9h » for Friday 6 March: the next one is Friday 13 March, 9:00 Paris.
    morning = Offset(days=0, at=time(9))
    found = service.following(series(), morning, date(2026, 3, 6), {date(2026, 3, 13)})
    assert found is not None and found[0].day == date(2026, 3, 20)
    assert found[1] == utc(2026, 3, 20, 8)  # 9:00 CET


def test_an_item_is_still_due_only_for_a_running_series_keeping_that_reminder() -> None:
    day = date(2026, 3, 6)
    assert service.still_due(series(), QUARTER, day, set())
    assert not service.still_due(None, QUARTER, day, set())
    assert not service.still_due(series(paused=True), QUARTER, day, set())
    assert not service.still_due(series(), Offset(minutes=30), day, set())  # removed since
    assert not service.still_due(series(), QUARTER, day, {day})


def test_ref_round_trip() -> None:
    assert service.parse_ref(service.ref_for(7, EVE_18H)) == (7, EVE_18H)
    assert service.ref_for(7, QUARTER).startswith(service.ref_prefix(7))


# -- who may act ---------------------------------------------------------------------------------
def test_rights_moderators_everything_hosts_their_series_only() -> None:
    assert service.may_manage(1, moderator=True, host_id=None)
    assert service.may_manage(2, moderator=False, host_id=2)
    assert not service.may_manage(2, moderator=False, host_id=3)
    assert not service.may_manage(2, moderator=False, host_id=None)
    with pytest.raises(UserError) as caught:
        service.require_manager(2, moderator=False, host_id=3, name="Apéro")
    assert caught.value.key == "apero.error.not_manager"


def test_a_host_changes_neither_the_channel_nor_the_role() -> None:
    old = fields()
    later = old.with_(at=time(19), welcome="Bienvenue")
    service.require_moderator_fields(old, later, moderator=False)  # allowed
    for moved in (old.with_(channel_id=2), old.with_(role_id=5)):
        service.require_moderator_fields(old, moved, moderator=True)
        with pytest.raises(UserError) as caught:
            service.require_moderator_fields(old, moved, moderator=False)
        assert caught.value.key == "apero.error.moderators_choose_channel"


@pytest.mark.parametrize(
    ("is_bot", "is_member", "user_id", "key"),
    [
        (True, True, 9, "apero.error.host_is_bot"),
        (False, False, 9, "apero.error.host_not_member"),
        (False, True, 2, "apero.error.already_host"),
    ],
)
def test_who_may_host(is_bot: bool, is_member: bool, user_id: int, key: str) -> None:
    service.check_host(series(host_id=2), 9, is_bot=False, is_member=True)  # allowed
    with pytest.raises(UserError) as caught:
        service.check_host(series(host_id=2), user_id, is_bot=is_bot, is_member=is_member)
    assert caught.value.key == key


# -- what moderators type ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18h", time(18)),
        ("18h30", time(18, 30)),
        ("18 h 30", time(18, 30)),
        ("17:45", time(17, 45)),
        ("6pm", time(18)),
        ("6:30 pm", time(18, 30)),
        ("12am", time(0)),
        ("midi", time(12)),
        ("0h", time(0)),
    ],
)
def test_parse_hour(text: str, expected: time) -> None:
    assert parse_hour(text) == expected


@pytest.mark.parametrize("text", ["25h", "18h75", "13pm", "vendredi", "", "18h30 du soir", "-1"])
def test_parse_hour_refuses(text: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_hour(text)
    assert caught.value.key == "apero.error.bad_hour"


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("la veille à 18h, 15 min avant", ["d1@18:00", "m15"]),
        ("15 min avant et la veille a 18h", ["d1@18:00", "m15"]),
        ("the day before at 6pm; 1h30 before", ["d1@18:00", "m90"]),
        ("2 jours avant à 10h, le jour même à 9h", ["d2@10:00", "d0@09:00"]),
        ("1 h avant, 1 heure avant", ["m60"]),
        ("6 jours avant à 9h", ["d6@09:00"]),
    ],
)
def test_parse_offsets_through_the_core(text: str, codes: list[str]) -> None:
    assert [o.code for o in parse_offsets(text, time(18))] == codes


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("bientôt", "when.error.bad_offset"),
        ("7 jours avant à 10h", "when.error.offset_range"),  # a week ahead: the previous one
        ("7 j", "when.error.offset_range"),
        ("le jour même à 19h", "when.error.offset_after_start"),
        ("1 min, 2 min, 3 min, 4 min, 5 min, 6 min", "when.error.too_many_offsets"),
    ],
)
def test_parse_offsets_refuses(text: str, key: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_offsets(text, time(18))
    assert caught.value.key == key


@pytest.mark.parametrize(
    "link", ["ftp://x.org/a", "javascript:alert(1)", "meet.jit.si/x", "http://"]
)
def test_links_must_be_http(link: str) -> None:
    with pytest.raises(UserError) as caught:
        clean_link(link)
    assert caught.value.key == "errors.bad_url"


def test_build_fields_checks_zone_place_and_defaults() -> None:
    common = dict(
        name="  Apéro   du vendredi ",
        weekday=FRIDAY,
        hour="18h",
        channel_id=1,
        voice_channel_id=None,
        role_id=None,
        reminders=None,
    )
    built = build_fields(zone="Europe/Paris", link="https://meet.jit.si/apero", **common)
    assert built.name == "Apéro du vendredi"
    assert [o.code for o in built.offsets] == ["d1@18:00", "m15"]  # the default
    with pytest.raises(UserError) as caught:
        build_fields(zone="Europe/Pariss", link="https://meet.jit.si/apero", **common)
    assert caught.value.key == "config.error.bad_zone"
    with pytest.raises(UserError) as caught:
        build_fields(zone="Europe/Paris", link=None, **common)
    assert caught.value.key == "apero.error.no_place"


def test_edited_fields_keep_what_is_not_given() -> None:
    old = fields().with_(offsets=(Offset(days=0, at=time(17)),), welcome="Salut", role_id=5)
    same = edited_fields(old)
    assert same == old
    earlier = edited_fields(old, hour="17h30", welcome="-", no_role=True)
    assert earlier.welcome is None and earlier.role_id is None and earlier.at == time(17, 30)
    # A kept « le jour même à 17h » no longer fits a 16:00 start: refused, nothing changes.
    with pytest.raises(UserError) as caught:
        edited_fields(old, hour="16h30")
    assert caught.value.key == "when.error.offset_after_start"


def test_names_are_compared_without_case_nor_accents() -> None:
    assert service.name_taken(["Apéro du Vendredi"], "apero du vendredi")
    assert not service.name_taken(["Apéro du vendredi"], "Apéro du jeudi")
    with pytest.raises(UserError) as caught:
        service.check_new(["x"] * service.MAX_SERIES_PER_GUILD, "y")
    assert caught.value.key == "apero.error.too_many_series"
    assert service.name_matches("Apéro du vendredi", " APERO ")


def test_parse_day_forms() -> None:
    now = utc(2026, 11, 20, 12)
    assert parse_day("2026-12-25", PARIS, now) == date(2026, 12, 25)
    assert parse_day("25/12", PARIS, now) == date(2026, 12, 25)
    assert parse_day("2/1", PARIS, now) == date(2027, 1, 2)  # the next 2 January
    assert parse_day("25/12/27", PARIS, now) == date(2027, 12, 25)
    # No 29 February in 2027: the next one is in 2028, not a refusal.
    assert parse_day("29/02", PARIS, utc(2027, 3, 10, 12)) == date(2028, 2, 29)
    for bad in ("31/02", "noël", "2026-13-01"):
        with pytest.raises(UserError) as caught:
            parse_day(bad, PARIS, now)
        assert caught.value.key == "apero.error.bad_date"


def test_an_occurrence_is_named_in_words_when_refused() -> None:
    with pytest.raises(UserError) as caught:
        service.occurrence_named(series(), "2026-03-12", utc(2026, 3, 2, 9))
    assert caught.value.key == "apero.error.not_occurrence"
    words = caught.value.params_in("fr")
    assert words["date"] == "jeudi 12 mars 2026" and words["weekday"] == "vendredi"
    assert caught.value.params_in("en")["weekday"] == "Friday"


# -- the store -----------------------------------------------------------------------------------
async def test_a_preview_saved_before_the_upgrade_still_reads(tmp_path: Path) -> None:
    """Drafts stored their offsets as a JSON list of codes and their time as 'HH:MM'."""
    db = await Database.open(tmp_path / "a.db")
    try:
        old = (
            '{"name": "Apéro", "weekday": 4, "at_time": "18:00", "zone": "Europe/Paris",'
            ' "channel_id": 1, "link": "https://x", "voice_channel_id": null, "role_id": null,'
            ' "offsets": ["d1@18:00", "m15"], "welcome": null}'
        )
        row = await db.execute_returning(
            "INSERT INTO apero_drafts (guild_id, author_id, data, created_at)"
            " VALUES (1, 2, ?, 0) RETURNING id",
            (old,),
        )
        assert row is not None
        draft_id = row[0]
        store = AperoStore(db)
        draft = await store.draft(draft_id)
        assert draft == Draft(draft_id, 1, 2, fields().with_(name="Apéro"))
        series_id = await store.create_from_draft(draft, 2, utc(2026, 3, 2))
        assert series_id is not None
        saved = await store.get(series_id)
        assert saved is not None and saved.fields.offsets == (EVE_18H, QUARTER)
        assert await store.create_from_draft(draft, 2, utc(2026, 3, 2)) is None  # once
    finally:
        await db.close()


async def test_erasing_a_host_hands_their_series_back_in_one_step(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "b.db")
    try:
        store = AperoStore(db)
        draft = await store.save_draft(1, 2, fields(), utc(2026, 3, 2))
        series_id = await store.create_from_draft(draft, 2, utc(2026, 3, 2))
        assert series_id is not None
        await store.set_host(series_id, 3)
        assert not await store.clear_host(series_id, 4)  # not that host: nothing
        erased = await store.erase_member(3)
        assert [s.id for s in erased.hosted] == [series_id] and erased.count == 1
        assert (await store.get(series_id)).host_id is None  # type: ignore[union-attr]
        assert (await store.erase_member(3)).hosted == []  # told once
    finally:
        await db.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_suggested_reminder_setting_is_understood(lang: str) -> None:
    for i in range(1, SUGGESTIONS + 1):
        assert parse_offsets(t(f"apero.suggestion.{i}", lang), time(18))

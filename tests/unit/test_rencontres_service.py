"""Rencontres' pure rules: validation, the waiting list, reminder times, limits, calendars,
the participants' file; and the store's queries against a real database."""

from __future__ import annotations

import csv
import io
import re
import shutil
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.db import Database, migrations
from bot.discord_text import EMBED_FIELD_VALUE_LIMIT, EMBED_TOTAL_LIMIT
from bot.i18n import catalogs, placeholders, read_catalog
from bot.personal_data import Label
from bot.user_error import UserError
from bot.when.offsets import Offset
from cogs.rencontres import ics, render, service
from cogs.rencontres.service import (
    Answer,
    Attendance,
    Choice,
    Format,
    Presence,
    Rencontre,
    Status,
)
from cogs.rencontres.store import RencontreStore

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def event(**changes: object) -> Rencontre:
    base = Rencontre(
        id=7,
        guild_id=1,
        organiser_id=2,
        title="Café",
        description="",
        starts_at=NOW + timedelta(days=4),
        duration_min=120,
        zone="Europe/Paris",
        format=Format.PRESENTIEL,
        place="Lyon",
        link=None,
        capacity=None,
        status=Status.PUBLISHED,
    )
    return base.with_(**changes)


def apply(att: Attendance, user: int, choice: str, cap: int | None) -> service.RsvpOutcome:
    outcome = service.answer(att, user, Choice(choice), cap)
    att.answers = att.after(outcome.changes).answers
    return outcome


@pytest.mark.parametrize(
    ("typed", "rank"),
    [
        ("", 3),
        ("12", 0),
        ("#12", 0),
        (" CAFÉ ", 1),
        ("cafe res", 1),
        ("reseau", 2),
        ("l'ASS", 2),
        ("seau", 3),
        ("pique-nique", None),
        ("13", None),
    ],
)
def test_match_rank_ignores_case_and_accents(typed: str, rank: int | None) -> None:
    assert service.match_rank(event(id=12, title="Café réseau l'ASS"), typed) == rank


def test_pick_events_best_match_then_soonest_within_the_limit() -> None:
    later = event(id=1, title="Réseau jeunes", starts_at=NOW + timedelta(days=9))
    sooner = event(id=2, title="Café réseau", starts_at=NOW + timedelta(days=1))
    other = event(id=3, title="Atelier", starts_at=NOW + timedelta(days=2), organiser_id=5)
    events = [later, sooner, other]
    assert service.pick_events(events, "", 25) == [sooner, other, later]
    assert service.pick_events(events, "réseau", 25) == [later, sooner]
    assert service.pick_events(events, "", 2) == [sooner, other]
    assert service.pick_events(events, "", 25, may_manage=5) == [other]


def test_waiting_list_is_first_come_first_served() -> None:
    att = Attendance()
    assert apply(att, 1, "go", 2).status == "going"
    assert apply(att, 2, "go", 2).status == "going"
    third = apply(att, 3, "go", 2)
    assert (third.status, third.position) == ("waiting", 1)
    assert apply(att, 4, "go", 2).position == 2
    left = apply(att, 1, "leave", 2)
    assert left.status is None and left.promoted == (3,)
    assert att.of("going") == [2, 3] and att.of("waiting") == [4]
    maybe = apply(att, 2, "maybe", 2)
    assert maybe.promoted == (4,) and att.of("maybe") == [2]
    assert apply(att, 4, "leave", 2).promoted == ()  # nobody left waiting
    with pytest.raises(UserError) as error:
        apply(att, 3, "go", 2)
    assert error.value.key == "rencontre.error.already_going"
    with pytest.raises(UserError):
        apply(att, 99, "leave", 2)


def test_waiting_member_who_withdraws_promotes_nobody() -> None:
    att = Attendance()
    for user in (1, 2, 3):
        apply(att, user, "go", 2)
    assert apply(att, 3, "leave", 2).promoted == ()
    assert att.of("going") == [1, 2]


def test_raising_the_cap_promotes_lowering_it_demotes_nobody() -> None:
    att = Attendance()
    for user in (1, 2, 3, 4):
        apply(att, user, "go", 2)
    assert [a.user_id for a in service.promote_after_resize(att, 3)] == [3]
    assert service.promote_after_resize(att, 1) == []
    assert [a.user_id for a in service.promote_after_resize(att, None)] == [3, 4]


@settings(max_examples=200, deadline=None)
@given(
    cap=st.one_of(st.none(), st.integers(2, 5)),
    steps=st.lists(
        st.tuples(st.integers(1, 8), st.sampled_from(["go", "maybe", "leave"])), max_size=60
    ),
)
def test_rsvp_invariants(cap: int | None, steps: list[tuple[int, str]]) -> None:
    att = Attendance()
    for user, choice in steps:
        before = (list(att.of("going")), list(att.of("waiting")))
        try:
            apply(att, user, choice, cap)
        except UserError:
            assert (att.of("going"), att.of("waiting")) == before  # refused: unchanged
        going, waiting = att.of("going"), att.of("waiting")
        assert cap is None or len(going) <= cap
        assert not waiting or (cap is not None and len(going) == cap)  # no one waits for nothing
        assert len({a.user_id for a in att.answers}) == len(att.answers)
        # the waiting order is arrival order (by seq), never reshuffled
        seqs = {a.user_id: a.seq for a in att.answers}
        assert [seqs[u] for u in waiting] == sorted(seqs[u] for u in waiting)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        (None, 120),
        ("", 120),
        ("2h", 120),
        ("1h30", 90),
        ("1 h 30", 90),
        ("45 min", 45),
        ("90mn", 90),
    ],
)
def test_durations(text: str | None, minutes: int) -> None:
    assert service.parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["toute la nuit", "10 min", "25h", "0h", "2 jours"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(UserError):
        service.parse_duration(text)


def test_offsets() -> None:
    assert service.parse_offsets("24h, 1h") == (Offset(minutes=1440), Offset(minutes=60))
    assert service.parse_offsets("2 j; 30 min") == (Offset(minutes=2880), Offset(minutes=30))
    assert service.parse_offsets("la veille à 18h") == (Offset(days=1, at=time(18)),)
    for bad in ("bientôt", "0 min", "15 j", "1h,2h,3h,4h,5h,6h"):
        with pytest.raises(UserError):
            service.parse_offsets(bad)


def test_reminder_times_skip_the_past() -> None:
    start = NOW + timedelta(hours=5)
    hour, day = Offset(minutes=60), Offset(minutes=1440)
    assert service.reminder_times(event(starts_at=start), (day, hour), NOW) == [
        (hour, start - timedelta(hours=1))
    ]


def test_reminder_times_at_a_wall_time_in_the_events_zone() -> None:
    """Friday 6 March 2026, 18:00 in Montréal (23:00 UTC): the eve at 18:00 there, 23:00 UTC;
    « le jour même à 20h » would come after the start: nothing to remind of."""
    start = datetime(2026, 3, 6, 23, 0, tzinfo=UTC)
    montreal = event(starts_at=start, zone="America/Montreal")
    eve, same_day = Offset(days=1, at=time(18)), Offset(days=0, at=time(20))
    hour = Offset(minutes=60)
    assert service.reminder_times(montreal, (same_day, hour, eve), NOW) == [
        (eve, datetime(2026, 3, 5, 23, 0, tzinfo=UTC)),
        (hour, datetime(2026, 3, 6, 22, 0, tzinfo=UTC)),
    ]


@pytest.mark.parametrize(
    "link", ["ftp://x.org", "javascript:alert(1)", "http://", "https//x.org", "x.org", "http://a b"]
)
def test_links_must_be_http(link: str) -> None:
    with pytest.raises(UserError) as error:
        service.validate_link(link)
    assert error.value.key == "rencontre.error.bad_link"


def test_require_open_and_manager() -> None:
    with pytest.raises(UserError, match="unknown"):
        service.require_open(None, NOW)
    with pytest.raises(UserError, match="cancelled"):
        service.require_open(event(status=Status.CANCELLED), NOW)
    over = event(starts_at=NOW - timedelta(hours=3))
    with pytest.raises(UserError, match="ended"):
        service.require_open(over, NOW)
    service.require_manager(event(), 2, moderator=False)
    service.require_manager(event(), 3, moderator=True)
    with pytest.raises(UserError, match="not_organiser"):
        service.require_manager(event(), 3, moderator=False)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_worst_case_embed_fits_discord(lang: str) -> None:
    big = event(
        title="É" * service.TITLE_MAX,
        description="*" * service.DESCRIPTION_MAX,
        place="à" * service.PLACE_MAX,
        capacity=500,
        zone="Asia/Kolkata",
        status=Status.CANCELLED,
    )
    att = Attendance([Answer(10**18 + i, list(Presence)[i % 3], i) for i in range(1500)])
    embed = render.event_embed(big, att, lang)
    assert len(embed) <= EMBED_TOTAL_LIMIT
    assert all(len(f.value or "") <= 1024 for f in embed.fields)
    more = r"et encore \d+$" if lang == "fr" else r"and \d+ more$"
    assert re.search(more, render.people([10**18 + i for i in range(500)], lang))


def test_calendar_is_valid_and_keeps_the_zone() -> None:
    data = ics.calendar(
        [event(description="Bienvenue", zone="America/Montreal")],
        host="test",
        now=NOW,
        name="Passerelle",
    )
    cal = icalendar.Calendar.from_ical(data)
    [vevent] = cal.walk("VEVENT")
    assert vevent.decoded("DTSTART") == NOW + timedelta(days=4)
    assert str(vevent.decoded("DTSTART").tzinfo) == "America/Montreal"
    assert str(vevent["UID"]) == "rencontre-7@test"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["America/Montreal"]


def _participants(lang: str) -> str:
    rows = [
        render.Participant("=HYPERLINK(1)", 5, Presence.GOING, NOW),
        render.Participant("Zoé; « la Rouge »", 6, Presence.WAITING, NOW + timedelta(minutes=5)),
        render.Participant("@here", 7, Presence.MAYBE, NOW),
    ]
    return render.participants_csv(rows, lang, event().tz).decode("utf-8")


def test_participants_file_in_french_and_english() -> None:
    french = _participants("fr")
    assert french.startswith("\ufeffnom;identifiant;statut;répondu le\r\n")
    rows = list(csv.reader(io.StringIO(french.removeprefix("\ufeff")), delimiter=";"))
    assert rows[1:] == [
        ["'=HYPERLINK(1)", "5", "Je viens", "2026-03-02 10:00"],  # Paris time, formula defused
        ["Zoé; « la Rouge »", "6", "Liste d'attente", "2026-03-02 10:05"],
        ["'@here", "7", "Peut-être", "2026-03-02 10:00"],
    ]
    english = _participants("en")
    assert english.startswith("name,user id,status,answered at\r\n")
    rows = list(csv.reader(io.StringIO(english)))
    assert [r[2] for r in rows[1:]] == ["Going", "Waiting list", "Maybe"]


@pytest.mark.parametrize(
    ("capacity", "going", "fr", "en"),
    [
        (5, 0, "5 places libres sur 5", "5 seats left of 5"),
        (5, 4, "1 place libre sur 5", "1 seat left of 5"),
        (5, 5, "complet (5 places)", "full (5 seats)"),
        (None, 3, "sans limite", "no limit"),
    ],
)
def test_seats_read_right(capacity: int | None, going: int, fr: str, en: str) -> None:
    assert render.seats_text(capacity, going, "fr") == fr
    assert render.seats_text(capacity, going, "en") == en


def test_a_duration_reads_in_words() -> None:
    embed = render.event_embed(event(duration_min=150), Attendance(), "fr")
    assert "durée 2 h 30" in embed.fields[0].value
    assert len(embed.fields[0].value) <= EMBED_FIELD_VALUE_LIMIT


def test_catalogs_have_the_same_keys_and_placeholders() -> None:
    base = Path(service.__file__).with_name("locales")
    fr, en = read_catalog(base / "fr.po"), read_catalog(base / "en.po")
    assert fr.keys() == en.keys()
    for key in fr:
        assert placeholders(fr[key]) == placeholders(en[key]), key
        assert fr[key] and en[key], key
    assert catalogs()["fr"]["rencontre.button.go"] == "Je viens"


async def test_personal_data_export_and_erase(database: Path | str) -> None:
    db = await Database.open(database)
    try:
        store = RencontreStore(db)
        details = service.details_of(event())
        published = await store.create_draft(1, 2, details, "fr", NOW)
        await store.set_fields(published.id, NOW, status=Status.PUBLISHED)
        draft = await store.create_draft(1, 2, details, "fr", NOW)
        await store.change_answers(
            published.id, 1, lambda _, a: service.answer(a, 5, Choice.GO, None), NOW
        )
        answers, _, _ = await store.export(5)
        assert answers.as_dicts() == [
            {
                "rencontre.data.number": published.id,
                "rencontre.data.title": "Café",
                "rencontre.data.answer": Label("rencontre.data.answer.going"),
            }
        ]
        _, organised, _ = await store.export(2)
        assert len(organised.rows) == 2
        await store.set_manager(published.id, 7, NOW)
        _, _, managed = await store.export(7)
        assert managed.as_dicts() == [
            {
                "rencontre.data.number": published.id,
                "rencontre.data.title": "Café",
                "rencontre.data.state": Label("rencontre.data.state.published"),
            }
        ]
        assert (await store.erase(5)).count == 1
        assert all(not item.rows for item in await store.export(5))
        erased = await store.erase(2)  # the draft goes, the published event loses its organiser
        assert erased.count == 2 and erased.managed == []
        gone = await store.erase(7)  # the meet-up entrusted to 7 goes back
        assert gone.count == 1 and [e.id for e in gone.managed] == [published.id]
        assert await store.get(draft.id) is None
        kept = await store.get(published.id)
        assert kept is not None and kept.organiser_id == 0 and kept.manager_id is None
    finally:
        await db.close()


async def test_the_list_page_counts_attendees_in_one_query(database: Path | str) -> None:
    db = await Database.open(database)
    try:
        store = RencontreStore(db)
        ids = []
        for days in (3, 1, 2):
            details = service.details_of(event(starts_at=NOW + timedelta(days=days)))
            draft = await store.create_draft(1, 2, details, "fr", NOW)
            await store.set_fields(draft.id, NOW, status=Status.PUBLISHED)
            ids.append(draft.id)
        for user in (5, 6):
            await store.change_answers(
                ids[1], 1, lambda _, a, u=user: service.answer(a, u, Choice.GO, None), NOW
            )
        await store.change_answers(
            ids[1], 1, lambda _, a: service.answer(a, 7, Choice.MAYBE, None), NOW
        )
        listed, total = await store.upcoming_page(1, NOW, limit=2, offset=0)
        assert total == 3
        assert [(item.event.id, item.going) for item in listed] == [(ids[1], 2), (ids[2], 0)]
        listed, total = await store.upcoming_page(1, NOW, limit=2, offset=2)
        assert [(item.event.id, item.going) for item in listed] == [(ids[0], 0)] and total == 3
        # an event still running is listed; once over it is not
        running = NOW + timedelta(days=1, hours=1)
        assert ids[1] in [e.id for e in await store.upcoming(1, running, limit=10)]
        over = NOW + timedelta(days=1, hours=2)
        assert ids[1] not in [e.id for e in await store.upcoming(1, over, limit=10)]
        assert await store.count_upcoming(1, over) == 2
        assert await store.upcoming_page(1, over, limit=2, offset=4) == ([], 0)
    finally:
        await db.close()


async def test_answers_are_decided_and_written_in_one_transaction(database: Path | str) -> None:
    db = await Database.open(database)
    try:
        store = RencontreStore(db)
        draft = await store.create_draft(1, 2, service.details_of(event(capacity=2)), "fr", NOW)
        await store.set_fields(draft.id, NOW, status=Status.PUBLISHED)

        def go(user: int):  # type: ignore[no-untyped-def]
            return lambda e, a: service.answer(a, user, Choice.GO, e.capacity)

        for user in (5, 6, 7):
            changed = await store.change_answers(draft.id, 1, go(user), NOW)
        assert changed.result.status is Presence.WAITING
        # what the redraw shows is what a fresh read finds
        assert changed.attendance.answers == (await store.attendance(draft.id)).answers
        with pytest.raises(UserError):  # refused: nothing written
            await store.change_answers(draft.id, 1, go(5), NOW)
        with pytest.raises(UserError, match="unknown"):  # another server's event
            await store.change_answers(draft.id, 99, go(8), NOW)
        assert len((await store.attendance(draft.id)).answers) == 3
    finally:
        await db.close()


async def test_settings_read_old_and_new_offsets(database: Path | str) -> None:
    db = await Database.open(database)
    try:
        store = RencontreStore(db)
        assert await store.settings(1) == (None, service.DEFAULT_OFFSETS)
        # stored before the shared parser: bare minutes
        await db.execute(
            "INSERT INTO rencontre_settings (guild_id, events_channel_id, reminder_offsets)"
            " VALUES (1, 5, '1440,60')"
        )
        assert await store.settings(1) == (5, (Offset(minutes=1440), Offset(minutes=60)))
        offsets = service.parse_offsets("la veille à 18h, 1h")
        await store.save_settings(1, 5, offsets)
        assert await store.settings(1) == (5, offsets)
    finally:
        await db.close()


async def test_migration_stores_the_end_of_existing_events(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    for step in migrations()[:7]:
        shutil.copy(step.path, folder / step.path.name)
    path = tmp_path / "old.db"
    db = await Database.open(path, migrations_dir=folder)
    await db.execute(
        "INSERT INTO rencontres (guild_id, organiser_id, title, starts_at, duration_min, zone,"
        " format, status, created_at, updated_at) VALUES (1, 2, 'Café', 1000, 90, 'Europe/Paris',"
        " 'presentiel', 'published', 0, 0)"
    )
    await db.close()
    db = await Database.open(path)
    try:
        assert await db.fetchval("SELECT ends_at FROM rencontres") == 1000 + 90 * 60
    finally:
        await db.close()

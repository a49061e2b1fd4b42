"""Rencontres' pure rules: validation, the waiting list, reminder times, limits, calendars."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.discord_text import EMBED_TOTAL_LIMIT
from bot.i18n import catalogs, placeholders, read_catalog
from bot.user_error import UserError
from cogs.rencontres import ics, render, service
from cogs.rencontres.service import Answer, Attendance, Rencontre

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
        format="presentiel",
        place="Lyon",
        link=None,
        capacity=None,
        status="published",
    )
    return base.with_(**changes)


def apply(att: Attendance, user: int, choice: str, cap: int | None) -> service.RsvpOutcome:
    outcome = service.answer(att, user, choice, cap)
    rows = {a.user_id: a for a in att.answers}
    for change in outcome.changes:
        if isinstance(change, Answer):
            rows[change.user_id] = change
        else:
            rows.pop(change[0], None)
    att.answers = list(rows.values())
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
    assert service.parse_offsets("24h, 1h") == (1440, 60)
    assert service.parse_offsets("2 j; 30 min") == (2880, 30)
    for bad in ("bientôt", "1 min", "30 j", "1h,2h,3h,4h,5h,6h"):
        with pytest.raises(UserError):
            service.parse_offsets(bad)


def test_reminder_times_skip_the_past() -> None:
    start = NOW + timedelta(hours=5)
    assert service.reminder_times(start, (1440, 60), NOW) == [(60, start - timedelta(hours=1))]


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
        service.require_open(event(status="cancelled"), NOW)
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
        status="cancelled",
    )
    att = Attendance(
        [Answer(10**18 + i, ("going", "maybe", "waiting")[i % 3], i) for i in range(1500)]
    )
    embed = render.event_embed(big, att, lang)
    assert len(embed) <= EMBED_TOTAL_LIMIT
    assert all(len(f.value or "") <= 1024 for f in embed.fields)
    assert render.people([10**18 + i for i in range(500)], lang).endswith(
        "autres" if lang == "fr" else "more"
    )


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


def test_csv_neutralises_formulas() -> None:
    data = ics.participants_csv([("=HYPERLINK(1)", 5, "going", "x")]).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in data


def test_catalogs_have_the_same_keys_and_placeholders() -> None:
    from pathlib import Path

    base = Path(service.__file__).with_name("locales")
    fr, en = read_catalog(base / "fr.po"), read_catalog(base / "en.po")
    assert fr.keys() == en.keys()
    for key in fr:
        assert placeholders(fr[key]) == placeholders(en[key]), key
        assert fr[key] and en[key], key
    assert catalogs()["fr"]["rencontre.button.go"] == "Je viens"


async def test_personal_data_export_and_erase(tmp_path: Path) -> None:
    from bot.db import Database
    from bot.personal_data import Label
    from cogs.rencontres.store import RencontreStore

    db = await Database.open(tmp_path / "p.db")
    try:
        store = RencontreStore(db)
        details = service.details_of(event())
        published = await store.create_draft(1, 2, details, "fr", NOW)
        await store.set_fields(published.id, NOW, status="published")
        draft = await store.create_draft(1, 2, details, "fr", NOW)
        await store.change_answers(published.id, lambda a: service.answer(a, 5, "go", None), NOW)
        answers, _ = await store.export(5)
        assert answers.as_dicts() == [
            {
                "rencontre.data.number": published.id,
                "rencontre.data.title": "Café",
                "rencontre.data.answer": Label("rencontre.data.answer.going"),
            }
        ]
        _, organised = await store.export(2)
        assert len(organised.rows) == 2
        assert await store.erase(5) == 1
        assert all(not item.rows for item in await store.export(5))
        assert await store.erase(2) == 2  # the draft goes, the published event loses its organiser
        assert await store.get(draft.id) is None
        kept = await store.get(published.id)
        assert kept is not None and kept.organiser_id == 0
    finally:
        await db.close()

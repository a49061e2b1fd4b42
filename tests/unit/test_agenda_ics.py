"""Calendar feeds read back by independent implementations: icalendar parses them, and
recurring-ical-events expands the weekly series over two years, compared with bot.recurrence
(the engine's own rule), across both DST changes in Paris and in Montréal."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.agenda import Agenda, AgendaEvent, AgendaSeries, EventStatus
from bot.recurrence import WeeklySpec, next_occurrences
from bot.web import ics

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TWO_YEARS = timedelta(days=730)


def series(**kw: object) -> AgendaSeries:
    base: dict[str, object] = {
        "key": "apero-1",
        "guild_id": 1,
        "title": "Apéro visio",
        "weekday": 4,
        "at": time(18, 0),
        "zone": "Europe/Paris",
        "duration": timedelta(hours=1),
        "first_day": date(2026, 3, 6),
        "updated_at": NOW,
    }
    return AgendaSeries(**(base | kw))  # type: ignore[arg-type]


def event(**kw: object) -> AgendaEvent:
    base: dict[str, object] = {
        "key": "rencontre-1",
        "guild_id": 1,
        "title": "Café réseau",
        "start": datetime(2026, 3, 6, 17, 0, tzinfo=UTC),
        "end": datetime(2026, 3, 6, 19, 0, tzinfo=UTC),
        "zone": "Europe/Paris",
        "updated_at": NOW,
    }
    return AgendaEvent(**(base | kw))  # type: ignore[arg-type]


def parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def expand(data: bytes, start: datetime, end: datetime) -> list[datetime]:
    found = recurring_ical_events.of(parse(data)).between(start, end)
    return sorted(e["DTSTART"].dt.astimezone(UTC) for e in found)


# Series chosen to cross both DST changes: Paris (last Sundays of March and October) and
# Montréal (second Sunday of March, first of November), at ordinary hours, at the hour that
# does not exist in spring and at the hour that happens twice in autumn.
CASES = [
    ("Europe/Paris", 4, time(18, 0)),
    ("America/Montreal", 2, time(19, 30)),
    # Sundays 02:30 Paris: missing on 29 March 2026, twice on 25 October 2026.
    ("Europe/Paris", 6, time(2, 30)),
    ("America/Montreal", 6, time(2, 30)),  # Sundays: 8 March 2026 02:30 does not exist
    ("America/Montreal", 6, time(1, 30)),  # Sundays: 1 November 2026 01:30 happens twice
]


@pytest.mark.parametrize(("zone", "weekday", "at"), CASES)
def test_weekly_series_expand_like_bot_recurrence_over_two_years(
    zone: str, weekday: int, at: time
) -> None:
    spec = WeeklySpec(weekday, at, ZoneInfo(zone))
    first = next_occurrences(spec, NOW, 1)[0].day
    # Skip a few weeks, one of them a DST change day when the series is on Sundays.
    skipped = (first + timedelta(weeks=2), first + timedelta(weeks=30), date(2026, 3, 29))
    skipped = tuple(d for d in skipped if d.weekday() == weekday)
    item = series(weekday=weekday, at=at, zone=zone, first_day=first, skipped=skipped)
    data = ics.render(Agenda(series=(item,)), name="Test", lang="fr", now=NOW)

    start = datetime.combine(first, time.min, tzinfo=ZoneInfo(zone))
    expected = [o.start for o in next_occurrences(spec, start, 104, set(skipped))]
    expected = [s for s in expected if s < start + TWO_YEARS]
    assert expand(data, start, start + TWO_YEARS) == expected
    assert len(expected) >= 100  # two years of weeks, minus the skipped ones


def test_the_series_crosses_both_dst_changes_at_the_same_wall_time() -> None:
    """18:00 Paris stays 18:00 Paris: 17:00 UTC in winter, 16:00 UTC in summer; Montréal sees
    12:00 most weeks, 13:00 in the weeks between the two countries' changes."""
    data = ics.render(Agenda(series=(series(),)), name="Test", lang="fr", now=NOW)
    got = expand(data, NOW, NOW + timedelta(days=70))
    paris = [d.astimezone(ZoneInfo("Europe/Paris")).time() for d in got]
    assert set(paris) == {time(18, 0)}
    assert {d.hour for d in got} == {17, 16}
    montreal = {d.astimezone(ZoneInfo("America/Montreal")).time() for d in got}
    assert montreal == {time(12, 0), time(13, 0)}


def test_each_zone_used_has_its_vtimezone_and_every_time_names_it() -> None:
    agenda = Agenda(
        events=(event(), event(key="rencontre-2", zone="America/Montreal")),
        series=(series(),),
    )
    cal = parse(ics.render(agenda, name="Test", lang="fr", now=NOW))
    zones = {tz["TZID"] for tz in cal.walk("VTIMEZONE")}
    assert zones == {"Europe/Paris", "America/Montreal"}
    for vevent in cal.walk("VEVENT"):
        assert vevent["DTSTART"].params["TZID"] in zones


def test_event_properties_survive_the_round_trip() -> None:
    item = event(
        title="Café; réseau, « ASS »\nsoir",
        place="Café des Arts, 12 rue de la Paix; Lyon",
        video_link="https://meet.example.org/abc",
        message_url="https://discord.com/channels/1/2/3",
        description="Ligne 1\nLigne 2 avec un \\ et des , ;",
        sequence=3,
        status=EventStatus.CANCELLED,
    )
    [vevent] = parse(ics.render(Agenda(events=(item,)), name="T", lang="fr", now=NOW)).walk(
        "VEVENT"
    )
    assert str(vevent["SUMMARY"]) == item.title
    assert str(vevent["LOCATION"]) == item.place
    assert str(vevent["URL"]) == item.message_url
    assert str(vevent["UID"]) == "rencontre-1@passerelle.discord"
    assert vevent["SEQUENCE"] == 3
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert vevent["DTSTART"].dt == item.start.astimezone(ZoneInfo("Europe/Paris"))
    assert vevent["DTEND"].dt == item.end
    description = str(vevent["DESCRIPTION"])
    assert description.startswith(item.description)
    assert item.video_link in description and item.message_url in description


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=0, max_size=400))
def test_any_title_round_trips_and_every_line_fits_75_octets(title: str) -> None:
    data = ics.render(Agenda(events=(event(title=title),)), name=title, lang="fr", now=NOW)
    assert all(len(line) <= ics.FOLD_OCTETS for line in data.split(b"\r\n"))
    [vevent] = parse(data).walk("VEVENT")
    # RFC 5545 text has no bare CR: line breaks of any kind come back as \n.
    assert str(vevent["SUMMARY"]) == title.replace("\r\n", "\n").replace("\r", "\n")


def test_same_data_same_bytes() -> None:
    agenda = Agenda(events=(event(),), series=(series(),))
    first = ics.render(agenda, name="T", lang="fr", now=NOW)
    later = ics.render(agenda, name="T", lang="fr", now=NOW + timedelta(days=3))
    assert first == later  # no « now » inside: ETags stay put while nothing changes

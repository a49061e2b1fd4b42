"""Calendar feeds (RFC 5545) from the agenda's plain values.

The time zones are `icalendar`'s (`Timezone.from_tzinfo`: a VTIMEZONE per zone used, from the
IANA data), cached per zone and range. The VEVENTs are written here, line by line: icalendar's
object model costs about 1 ms per event (1.0–1.2 s for a feed of 1,000, measured), five times
the budget of a rebuilt feed, while these few properties need only RFC 5545's escaping (§3.3.11)
and folding (§3.1). Every test reads the feeds back with icalendar and expands them with
recurring-ical-events, an independent implementation.

Decisions:
* times are written in the organiser's (or the series') zone with its VTIMEZONE, so calendars
  follow DST changes; a series is one event with `RRULE:FREQ=WEEKLY` and its skipped days as
  `EXDATE`s at the same wall time;
* no METHOD (a feed, not a scheduling message), so `DTSTAMP` is, like `LAST-MODIFIED`, the
  item's last change, never « now »: the same data gives
  the same bytes, hence a stable `ETag`;
* `URL` points back to the Discord message; the video link is `CONFERENCE` (RFC 7986) and is
  repeated in the description and, with no place, in `LOCATION`, for calendars that show only
  those.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar

from bot.agenda import Agenda, AgendaEvent, AgendaSeries
from bot.i18n import t

PRODID = "-//Passerelle//Agenda//FR"
FOLD_OCTETS = 75  # RFC 5545 §3.1: lines SHOULD NOT be longer than 75 octets
CONTINUATION = 0xC0  # UTF-8: bytes 10xxxxxx continue a character; never fold before one
CONTINUATION_BITS = 0x80
CRLF = "\r\n"
REFRESH = "PT1H"  # how often calendar apps are asked to come back
TIMEZONE_YEARS_AHEAD = 10  # a VTIMEZONE covers its zone's changes until then
ITEM_CACHE = 20_000  # rendered items kept (a few hundred bytes each)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """One content line, folded at 75 octets without splitting a UTF-8 character."""
    if len(line) <= FOLD_OCTETS and (line.isascii() or len(line.encode()) <= FOLD_OCTETS):
        return line
    raw = line.encode("utf-8")
    parts = []
    start, width = 0, FOLD_OCTETS
    while len(raw) - start > width:
        end = start + width
        while raw[end] & CONTINUATION == CONTINUATION_BITS:
            end -= 1
        parts.append(raw[start:end])
        start, width = end, FOLD_OCTETS - 1  # continuation lines start with a space
    parts.append(raw[start:])
    return b"\r\n ".join(parts).decode("utf-8")


def _stamp(d: datetime) -> str:
    # strftime is several times slower, and a feed writes thousands of these
    return f"{d.year:04d}{d.month:02d}{d.day:02d}T{d.hour:02d}{d.minute:02d}{d.second:02d}"


def utc(instant: datetime) -> str:
    return _stamp(instant.astimezone(UTC)) + "Z"


def local(instant: datetime, zone: str) -> str:
    return _stamp(instant.astimezone(ZoneInfo(zone)))


@lru_cache(maxsize=64)
def vtimezone(zone: str, first: date, last: date) -> str:
    """The zone's VTIMEZONE between two dates (icalendar, from the IANA data), folded lines."""
    component = icalendar.Timezone.from_tzinfo(
        ZoneInfo(zone), tzid=zone, first_date=first, last_date=last
    )
    return component.to_ical().decode("utf-8").rstrip(CRLF)


def _description(item: AgendaEvent | AgendaSeries, lang: str) -> str:
    parts = [item.description.strip()] if item.description.strip() else []
    if item.video_link:
        parts.append(t("agenda.ics.video", lang, link=item.video_link))
    if item.message_url:
        parts.append(t("agenda.ics.discord", lang, link=item.message_url))
    return "\n\n".join(parts)


def _common(item: AgendaEvent | AgendaSeries, lang: str) -> Iterator[str]:
    yield f"UID:{escape(item.uid)}"
    yield f"DTSTAMP:{utc(item.updated_at)}"
    yield f"LAST-MODIFIED:{utc(item.updated_at)}"
    yield f"SEQUENCE:{item.sequence}"
    yield f"SUMMARY:{escape(item.title)}"
    location = item.place or item.video_link
    if location:
        yield f"LOCATION:{escape(location)}"
    description = _description(item, lang)
    if description:
        yield f"DESCRIPTION:{escape(description)}"
    if item.message_url:
        yield f"URL:{item.message_url}"
    if item.video_link:
        yield f"CONFERENCE;VALUE=URI;FEATURE=VIDEO:{item.video_link}"


def event_lines(event: AgendaEvent, lang: str) -> Iterator[str]:
    yield "BEGIN:VEVENT"
    yield from _common(event, lang)
    yield f"STATUS:{event.status.value}"
    yield f"DTSTART;TZID={event.zone}:{local(event.start, event.zone)}"
    yield f"DTEND;TZID={event.zone}:{local(event.end, event.zone)}"
    yield "END:VEVENT"


def series_lines(series: AgendaSeries, lang: str) -> Iterator[str]:
    at = series.at
    start = f"{series.first_day:%Y%m%d}T{at:%H%M%S}"
    yield "BEGIN:VEVENT"
    yield from _common(series, lang)
    yield "STATUS:CONFIRMED"
    yield f"DTSTART;TZID={series.zone}:{start}"
    yield f"DURATION:{_duration(series.duration)}"
    yield f"RRULE:FREQ=WEEKLY;BYDAY={WEEKDAYS[series.weekday]}"
    skipped = [
        f"{day:%Y%m%d}T{at:%H%M%S}"
        for day in series.skipped
        if day >= series.first_day and day.weekday() == series.weekday
    ]
    if skipped:
        yield f"EXDATE;TZID={series.zone}:{','.join(skipped)}"
    yield "END:VEVENT"


# An item's lines depend only on the item (a frozen value) and the language: kept, so a feed
# rebuilt after one edit writes one event again, not a thousand.
@lru_cache(maxsize=ITEM_CACHE)
def _event_block(event: AgendaEvent, lang: str) -> str:
    return CRLF.join(fold(line) for line in event_lines(event, lang))


@lru_cache(maxsize=ITEM_CACHE)
def _series_block(series: AgendaSeries, lang: str) -> str:
    return CRLF.join(fold(line) for line in series_lines(series, lang))


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes or not hours else "")


def _zones(agenda: Agenda) -> dict[str, date]:
    """Each zone used, with the first day it must cover."""
    first: dict[str, date] = {}
    days: Iterable[tuple[str, date]] = [
        *((e.zone, e.start.astimezone(ZoneInfo(e.zone)).date()) for e in agenda.events),
        *((s.zone, s.first_day) for s in agenda.series),
    ]
    for zone, day in days:
        if zone not in first or day < first[zone]:
            first[zone] = day
    return first


def render(agenda: Agenda, *, name: str, lang: str, now: datetime) -> bytes:
    """One VCALENDAR: the events, the series, the VTIMEZONEs they use."""
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"NAME:{escape(name)}",
        f"X-WR-CALNAME:{escape(name)}",
        f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}",
        f"X-PUBLISHED-TTL:{REFRESH}",
    ]
    out = [fold(line) for line in head]
    last = date(now.year + TIMEZONE_YEARS_AHEAD, 1, 1)
    for zone, first in sorted(_zones(agenda).items()):
        out.append(vtimezone(zone, date(first.year, 1, 1), last))
    out.extend(_event_block(event, lang) for event in agenda.events)
    out.extend(_series_block(series, lang) for series in agenda.series)
    out.append("END:VCALENDAR")
    return (CRLF.join(out) + CRLF).encode("utf-8")

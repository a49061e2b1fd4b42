"""Calendar files (RFC 5545) and CSV exports for Rencontres. No Discord."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime

import icalendar

from cogs.rencontres.service import Rencontre, osm_link

PRODID = "-//Passerelle//Rencontres//FR"


def _vevent(event: Rencontre, host: str, now: datetime) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", f"rencontre-{event.id}@{host}")
    vevent.add("dtstamp", now)
    # Local times with the organiser's zone: calendars show it right across DST changes.
    vevent.add("dtstart", event.starts_at.astimezone(event.tz))
    vevent.add("dtend", event.ends_at.astimezone(event.tz))
    vevent.add("summary", event.title)
    description = event.description
    if event.link:
        description = f"{description}\n\n{event.link}".strip()
        vevent.add("url", event.link)
        vevent.add("location", event.link)
    if event.place:
        vevent.add("location", event.place)
        vevent.add("url", osm_link(event.place))
    if description:
        vevent.add("description", description)
    vevent.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
    vevent.add("sequence", 0)
    return vevent


def calendar(events: Iterable[Rencontre], *, host: str, now: datetime, name: str) -> bytes:
    """One VCALENDAR with a VEVENT per event and the VTIMEZONEs they use."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(_vevent(event, host, now))
    cal.add_missing_timezones()
    return cal.to_ical()


def participants_csv(rows: Iterable[tuple[str, int, str, str]]) -> bytes:
    """(name, user id, status, answered at) rows, UTF-8 with BOM so spreadsheets read accents."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "user_id", "status", "answered_at"])
    for name, user_id, status, at in rows:
        # A leading =, +, - or @ would be a formula in a spreadsheet: neutralise it.
        safe = "'" + name if name[:1] in ("=", "+", "-", "@", "\t", "\r") else name
        writer.writerow([safe, str(user_id), status, at])
    return ("\ufeff" + out.getvalue()).encode("utf-8")

"""Calendar files (RFC 5545) of Rencontres, for members' agendas. No Discord.

A module of its own: a separate file format with its own rules (zones as VTIMEZONEs, UIDs,
status), pure and tested on its own; the Discord side of Rencontres is in render.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import icalendar

from cogs.rencontres.service import Rencontre, Status, osm_link

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
    vevent.add("status", "CANCELLED" if event.status is Status.CANCELLED else "CONFIRMED")
    vevent.add("sequence", event.revision)  # the same as in the subscribed feeds
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

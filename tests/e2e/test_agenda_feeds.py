"""What the calendar feeds hold, through the real features: meet-ups (SEQUENCE after an edit,
CANCELLED for 30 days, then gone), apéro series (RRULE, EXDATE after a skip), a member's own
feed (what they answered), read back by icalendar and recurring-ical-events."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar
import recurring_ical_events
from agenda_support import fill_agenda, publish
from apero_support import advance_to, reminders_in
from discord_server import Harness
from web_support import get, token_in

FRIDAY_18H = datetime(2026, 3, 6, 17, 0, tzinfo=UTC)


async def feed(world: Harness, token: str, **headers: str) -> tuple[int, Any, Any]:
    status, answer_headers, body = await get(world, f"/feed/{token}.ics", headers=headers)
    cal = icalendar.Calendar.from_ical(body) if status == 200 else None
    return status, answer_headers, cal


def vevents(cal: Any) -> dict[str, Any]:
    return {str(v["UID"]).split("@")[0]: v for v in cal.walk("VEVENT")}


async def server_token(world: Harness) -> str:
    return token_in((await world.guild.slash(world.alice, "agenda lien")).text)


async def test_the_server_feed_holds_the_meetup_and_the_series(web_world: Harness) -> None:
    message = await fill_agenda(web_world)
    _, _, cal = await feed(web_world, await server_token(web_world))
    found = vevents(cal)
    assert set(found) == {"rencontre-1", "apero-1"}
    meetup = found["rencontre-1"]
    assert str(meetup["SUMMARY"]) == "Café réseau ASS"
    assert meetup["DTSTART"].dt == FRIDAY_18H and meetup["DTSTART"].params["TZID"] == "Europe/Paris"
    assert str(meetup["LOCATION"]).startswith("Café des Arts")
    assert str(meetup["URL"]).endswith(f"/{message.channel_id}/{message.id}")
    assert meetup["SEQUENCE"] == 0 and str(meetup["STATUS"]) == "CONFIRMED"
    series = found["apero-1"]
    assert series["RRULE"]["FREQ"] == ["WEEKLY"] and series["RRULE"]["BYDAY"] == ["FR"]
    assert series["DTSTART"].dt == FRIDAY_18H
    assert "meet.jit.si" in str(series["CONFERENCE"])
    assert {tz["TZID"] for tz in cal.walk("VTIMEZONE")} == {"Europe/Paris"}
    # Nobody is named: neither who organised nor who answered.
    text = cal.to_ical().decode()
    for user in (web_world.alice, web_world.bob):
        assert str(user.id) not in text and user.username not in text.lower()


async def test_an_edit_raises_the_sequence_and_changes_the_etag(web_world: Harness) -> None:
    await fill_agenda(web_world)
    token = await server_token(web_world)
    _, headers, cal = await feed(web_world, token)
    assert vevents(cal)["rencontre-1"]["SEQUENCE"] == 0
    etag = headers["ETag"]
    assert (await feed(web_world, token, **{"If-None-Match": etag}))[0] == 304

    await web_world.guild.slash(
        web_world.alice, "rencontre modifier", evenement="1", quand="samedi 11h"
    )
    status, headers, cal = await feed(web_world, token, **{"If-None-Match": etag})
    assert status == 200 and headers["ETag"] != etag
    meetup = vevents(cal)["rencontre-1"]
    assert meetup["SEQUENCE"] == 1
    assert meetup["DTSTART"].dt == datetime(2026, 3, 7, 10, 0, tzinfo=UTC)
    await web_world.guild.slash(
        web_world.alice, "rencontre modifier", evenement="1", titre="Café réseau, 2e"
    )
    _, _, cal = await feed(web_world, token)
    assert vevents(cal)["rencontre-1"]["SEQUENCE"] == 2
    # The .ics members download in Discord says the same.
    download = await web_world.guild.slash(web_world.bob, "rencontre ics", evenement="1")
    assert "SEQUENCE:2" in download.attachments[0].text


async def test_a_cancelled_meetup_stays_cancelled_for_30_days_then_goes(
    web_world: Harness,
) -> None:
    await fill_agenda(web_world)
    token = await server_token(web_world)
    bob = token_in((await web_world.guild.slash(web_world.bob, "agenda mon-lien")).text)
    await web_world.guild.slash(web_world.alice, "rencontre annuler", evenement="1")
    for who in (token, bob):
        meetup = vevents((await feed(web_world, who))[2])["rencontre-1"]
        assert str(meetup["STATUS"]) == "CANCELLED" and meetup["SEQUENCE"] == 1

    await web_world.advance(days=29, hours=23)
    assert "rencontre-1" in vevents((await feed(web_world, token))[2])
    await web_world.advance(hours=2)  # 30 days after the cancellation
    for who in (token, bob):
        assert "rencontre-1" not in vevents((await feed(web_world, who))[2])
    assert "apero-1" in vevents((await feed(web_world, token))[2])  # the series goes on


async def test_a_past_meetup_stays_30_days_after_its_end(web_world: Harness) -> None:
    await fill_agenda(web_world)
    token = await server_token(web_world)
    await advance_to(web_world, FRIDAY_18H + timedelta(days=30, hours=1, minutes=59))
    assert "rencontre-1" in vevents((await feed(web_world, token))[2])
    await web_world.advance(minutes=2)  # ended (19:00 Paris) 30 days ago
    assert "rencontre-1" not in vevents((await feed(web_world, token))[2])


async def test_a_skipped_week_is_an_exdate_and_a_new_sequence(web_world: Harness) -> None:
    await fill_agenda(web_world)
    token = await server_token(web_world)
    [choice] = await web_world.guild.autocomplete(web_world.alice, "apero sauter", serie="")
    await web_world.guild.slash(
        web_world.alice, "apero sauter", serie=choice["value"], date="13/03"
    )
    _, _, cal = await feed(web_world, token)
    series = vevents(cal)["apero-1"]
    assert series["SEQUENCE"] == 1
    [exdate] = series["EXDATE"].dts
    assert exdate.dt.date() == date(2026, 3, 13)
    days = [
        e["DTSTART"].dt.date()
        for e in recurring_ical_events.of(cal).between(FRIDAY_18H, FRIDAY_18H + timedelta(days=22))
        if str(e["UID"]).startswith("apero-1")
    ]
    assert days == [date(2026, 3, 6), date(2026, 3, 20), date(2026, 3, 27)]


async def test_a_members_feed_holds_what_they_answered_and_follow(web_world: Harness) -> None:
    await fill_agenda(web_world)  # bob: « Je viens » to meet-up 1
    other = await publish(web_world, web_world.alice, titre="Atelier CV", quand="mardi 18h")
    await other.click("Peut-être", by=web_world.carol)
    bob = token_in((await web_world.guild.slash(web_world.bob, "agenda mon-lien")).text)
    carol = token_in((await web_world.guild.slash(web_world.carol, "agenda mon-lien")).text)
    assert set(vevents((await feed(web_world, bob))[2])) == {"rencontre-1"}
    _, _, carols = await feed(web_world, carol)
    assert set(vevents(carols)) == {"rencontre-2"}
    assert "My Passerelle agenda" in str(carols["X-WR-CALNAME"])  # carol reads English

    # Bob says « Je serai là » under the apéro's reminder: the series joins his feed.
    annonces = web_world.guild.channel("annonces")
    await advance_to(web_world, FRIDAY_18H - timedelta(minutes=15))
    await reminders_in(annonces)[-1].click("Je serai là (0)", by=web_world.bob)
    assert set(vevents((await feed(web_world, bob))[2])) == {"rencontre-1", "apero-1"}
    # « Je me retire »: the meet-up leaves his feed.
    message = next(m for m in web_world.guild.default_channel.messages if m.buttons())
    await message.click("Je me retire", by=web_world.bob)
    assert set(vevents((await feed(web_world, bob))[2])) == {"apero-1"}

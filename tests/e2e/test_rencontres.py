"""Rencontres end to end: members create, answer, edit and cancel meet-ups on the test Discord.

START (tests/conftest.py) is Monday 2 March 2026, 10:00 in Paris; "vendredi 18h" is then
Friday 6 March 2026, 18:00 Paris = 17:00 UTC = 12:00 Montréal.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
from datetime import UTC, datetime
from typing import Any

import icalendar
from discord import EntityType, EventStatus
from discord_server import Harness
from discord_server import permissions as P

FRIDAY_18H = datetime(2026, 3, 6, 17, 0, tzinfo=UTC)


async def create(world: Harness, user: Any, **options: Any) -> Any:
    defaults: dict[str, Any] = {
        "titre": "Café réseau ASS",
        "quand": "vendredi 18h",
        "format": "presentiel",
        "lieu": "Café des Arts, 12 rue de la Paix, Lyon",
    }
    return await world.guild.slash(user, "rencontre creer", **(defaults | options))


async def publish(world: Harness, user: Any, **options: Any) -> Any:
    """Create and publish; returns the public message."""
    preview = await create(world, user, **options)
    assert preview.ephemeral and preview.components, preview.text
    done = await preview.click("Publier", by=user)
    assert "https://discord.com/channels/" in done.text, done.text
    link = re.search(r"channels/\d+/(\d+)/(\d+)", done.text)
    assert link is not None
    channel = world.state.channels[int(link[1])]
    return next(m for m in channel.messages if m.id == int(link[2]))


def thread_of(world: Harness, message: Any) -> Any:
    return next(t for t in world.guild.threads if t.id == message.id)


def field(message: Any, name: str) -> str:
    [embed] = message.embeds
    return next(f["value"] for f in embed["fields"] if f["name"].startswith(name))


async def count_rows(world: Harness, table: str) -> int:
    return int(await world.bot.db.fetchval(f"SELECT COUNT(*) FROM {table}"))


# -- create, preview, publish ---------------------------------------------------------------------
async def test_preview_shows_the_understood_date_then_publish_posts_embed_thread_and_event(
    world: Harness,
) -> None:
    general = world.guild.default_channel
    preview = await create(world, world.bob, places=5)
    assert preview.ephemeral
    # the understood date in the organiser's zone and in Paris and Montréal, in words
    assert "vendredi 6 mars 2026 à 18:00 (Europe/Paris)" in preview.text
    assert "Montréal : vendredi 6 mars 2026 à 12:00" in preview.text
    assert [b["label"] for b in preview.message.buttons()] == ["Publier", "Modifier", "Annuler"]
    assert general.messages == []  # nothing public before "Publier"

    message = await publish(world, world.bob, places=5)
    assert message.channel_id == general.id
    ts = int(FRIDAY_18H.timestamp())
    when = field(message, "Quand")
    assert f"<t:{ts}:F>" in when and f"<t:{ts}:R>" in when
    where = field(message, "Présentiel")
    assert "https://www.openstreetmap.org/search?query=Caf%C3%A9+des+Arts" in where
    assert field(message, "Organisation") == world.bob.mention
    assert field(message, "Places") == "5 places libres sur 5"  # nobody yet: not full
    assert [b["label"] for b in message.buttons()] == ["Je viens", "Peut-être", "Je me retire"]
    thread = thread_of(world, message)
    assert thread.name == "Café réseau ASS"
    [mirror] = world.guild.events
    assert mirror.entity_type is EntityType.external and mirror.location.startswith("Café des Arts")
    assert datetime.fromisoformat(mirror.scheduled_start_time) == FRIDAY_18H
    assert datetime.fromisoformat(mirror.scheduled_end_time) == FRIDAY_18H.replace(hour=19)


async def test_configured_events_channel_and_english_member(world: Harness) -> None:
    annonces = world.guild.channel("annonces")
    reply = await world.guild.slash(world.alice, "rencontre reglages", salon=annonces)
    assert reply.ephemeral and annonces.mention in reply.text
    preview = await world.guild.slash(
        world.carol,
        "rencontre creer",
        titre="Walk and talk",
        quand="friday 6pm",
        format="visio",
        lien="https://meet.example.org/abc",
        zone="America/Montreal",
    )
    assert "Friday, March 6, 2026 at 6:00 PM (America/Montreal)" in preview.text, preview.text
    assert [b["label"] for b in preview.message.buttons()] == ["Publish", "Edit", "Cancel"]
    await preview.click("Publish", by=world.carol)
    [message] = annonces.messages
    assert "https://meet.example.org/abc" in message.text
    [mirror] = world.guild.events
    assert mirror.location == "https://meet.example.org/abc"


async def test_edit_button_opens_a_modal_for_the_description(world: Harness) -> None:
    preview = await create(world, world.bob)
    form = await preview.click("Modifier", by=world.bob)
    assert form.modal is not None
    values = {
        "Titre": "Café réseau ASS",
        "Quand": "samedi 10h",
        "Lieu (adresse)": "Parc de la Tête d'Or, Lyon",
        "Places (vide : sans limite)": "4",
        "Description": "On se retrouve **près du lac**.\nVenez comme vous êtes !",
    }
    updated = await form.submit_modal(values, by=world.bob)
    assert "samedi 7 mars 2026 à 10:00" in updated.text, updated.text
    assert "près du lac" in updated.text
    published = await updated.click("Publier", by=world.bob)
    assert "https://discord.com/channels/" in published.text
    [message] = world.guild.default_channel.messages
    assert message.embeds[0]["description"].startswith("On se retrouve")
    assert field(message, "Places") == "4 places libres sur 4"


# -- answers, waiting list, promotion, restart ----------------------------------------------------
async def test_full_event_puts_members_on_the_waiting_list_and_promotes_in_order(
    world: Harness,
) -> None:
    dave = await world.guild.add_member("dave")
    erin = await world.guild.add_member("erin", dms_open=False)
    message = await publish(world, world.alice, places=2)
    thread = thread_of(world, message)

    assert "vous venez" in (await message.click("Je viens", by=world.bob)).text
    await message.click("Je viens", by=world.carol)
    waiting = await message.click("Je viens", by=dave)
    assert waiting.ephemeral and "position 1" in waiting.text
    assert "position 2" in (await message.click("Je viens", by=erin)).text
    again = await message.click("Je viens", by=dave)
    assert "déjà sur la liste d'attente (position 1)" in again.text
    assert field(message, "Places") == "complet (2 places)"
    assert field(message, "Liste d'attente") == f"1. {dave.mention}, 2. {erin.mention}"
    assert {world.bob.id, world.carol.id} <= thread.member_ids and dave.id not in thread.member_ids

    # bob withdraws: dave (first waiting) is promoted and told by DM
    assert "retiré" in (await message.click("Je me retire", by=world.bob)).text
    assert world.bob.mention not in field(message, "Je viens")
    assert field(message, "Je viens") == f"{world.carol.mention}, {dave.mention}"
    [dm] = dave.dms
    assert "une place s'est libérée" in dm.content and "Café réseau ASS" in dm.content
    assert dave.id in thread.member_ids

    # carol moves to "maybe": erin is promoted; her DMs are closed: a mention in the thread
    await message.click("Peut-être", by=world.carol)
    assert field(message, "Peut-être") == world.carol.mention
    assert erin.dms == []
    [notice] = [m for m in thread.messages if erin.mention in m.content]
    assert "liste d'attente" in notice.content
    assert notice.allowed_mentions.get("parse") in (None, [])
    assert [str(u) for u in notice.allowed_mentions["users"]] == [str(erin.id)]
    assert "Liste d'attente" not in message.text  # the list is empty again


async def test_buttons_work_after_a_restart(world: Harness) -> None:
    message = await publish(world, world.alice)
    event_id = await world.bot.db.fetchval("SELECT id FROM rencontres")
    await world.restart()
    # Clicked by its custom_id: the one every release posted (`rencontre:<id>:go`), so the
    # messages already in servers keep working after an upgrade.
    reply = await message.click(f"rencontre:{event_id}:go", by=world.bob)
    assert reply.ephemeral and "vous venez" in reply.text
    assert field(message, "Je viens") == world.bob.mention
    assert world.bob.id in thread_of(world, message).member_ids


async def test_published_event_list_is_paginated(world: Harness) -> None:
    for n in range(12):
        await publish(world, world.alice, titre=f"Rencontre {n:02d}", quand=f"{10 + n}/03 18h")
    page = await world.guild.slash(world.bob, "rencontre liste")
    assert page.ephemeral and "Rencontres à venir (12)" in page.text
    assert "Rencontre 00" in page.text and "Rencontre 09" in page.text
    assert "Rencontre 10" not in page.text and "Page 1 sur 2" in page.text
    second = await page.click("Suivantes ▶", by=world.bob)
    assert "Rencontre 11" in second.text and "Rencontre 00" not in second.text
    assert "Page 2 sur 2" in second.text


def views_kept_alive() -> list[asyncio.Task[Any]]:
    """discord.py keeps a view with a timeout alive by a timer task until it expires."""
    return [
        task
        for task in asyncio.all_tasks()
        if "timeout_task_impl" in getattr(task.get_coro(), "__qualname__", "")
    ]


async def test_ephemeral_answers_keep_no_view_alive(world: Harness) -> None:
    for n in range(12):
        await publish(world, world.alice, titre=f"Rencontre {n:02d}", quand=f"{10 + n}/03 18h")
    page = await world.guild.slash(world.bob, "rencontre liste")
    seen = await world.guild.slash(world.bob, "rencontre voir", evenement="1")
    preview = await create(world, world.bob)
    assert page.components and seen.components and preview.components
    assert views_kept_alive() == []
    # the buttons are bound to ids: they still work
    second = await page.click("Suivantes ▶", by=world.bob)
    assert "Page 2 sur 2" in second.text
    assert "vous venez" in (await seen.click("Je viens", by=world.bob)).text
    assert "C'est publié" in (await preview.click("Publier", by=world.bob)).text
    assert views_kept_alive() == []


async def test_a_burst_of_clicks_ends_on_the_final_state(world: Harness) -> None:
    """Eight members click « Je viens » at once on five seats: each is answered, the five
    first are in, the three others wait in order, and the public message shows exactly that."""
    message = await publish(world, world.alice, places=5)
    members = [await world.guild.add_member(f"membre{n}") for n in range(8)]
    answers = [r.text for r in await world.click_together(message, "Je viens", by=members)]
    assert all(answers)
    going = [m for m, text in zip(members, answers, strict=True) if "vous venez" in text]
    waiting = [m for m, text in zip(members, answers, strict=True) if "liste d'attente" in text]
    assert len(going) == 5 and len(waiting) == 3
    # Simultaneous clicks arrive in the order the database decides (PostgreSQL's row lock is not
    # first come, first served): each member is told their position, and the list follows it.
    positions = {
        m: int(re.search(r"en position (\d+)", text).group(1))  # type: ignore[union-attr]
        for m, text in zip(members, answers, strict=True)
        if m in waiting
    }
    assert sorted(positions.values()) == [1, 2, 3]
    assert sorted(field(message, "Je viens").split(", ")) == sorted(m.mention for m in going)
    assert field(message, "Liste d'attente") == ", ".join(
        f"{positions[m]}. {m.mention}" for m in sorted(waiting, key=positions.__getitem__)
    )
    assert field(message, "Places") == "complet (5 places)"


async def test_a_late_redraw_never_overwrites_a_newer_one(world: Harness) -> None:
    """Two clicks at once; the first one's answer to Discord is slowed by a 429, so the second
    redraws the message first: the first's redraw, older, must not bring back its state."""
    message = await publish(world, world.alice)
    dave = await world.guild.add_member("dave")
    world.faults.rate_limit(times=1, retry_after=0.3, route=r"^/interactions/\d+/[^/]+/callback$")
    replies = await world.click_together(message, "Je viens", by=[world.bob, dave])
    assert world.faults.injected  # one answer was slowed
    assert all("vous venez" in r.text for r in replies)
    # Both are shown (a stale redraw would show one); in the order the database decided.
    assert sorted(field(message, "Je viens").split(", ")) == sorted(
        [world.bob.mention, dave.mention]
    )


# -- reminders ------------------------------------------------------------------------------------
async def test_reminders_in_the_thread_and_by_dm_with_closed_dm_fallback(world: Harness) -> None:
    dave = await world.guild.add_member("dave", dms_open=False)
    opted = await world.guild.slash(world.bob, "rappels", **{"messages-prives": "on"})
    assert opted.ephemeral and "activés" in opted.text
    await world.guild.slash(dave, "rappels", **{"messages-prives": "on"})
    message = await publish(world, world.alice)
    thread = thread_of(world, message)
    for member in (world.bob, world.carol, dave):
        await message.click("Je viens", by=member)

    await world.advance(days=3, hours=7, minutes=59)  # Thursday 17:59 Paris: nothing yet
    assert not [m for m in thread.messages if "Rappel" in m.content]
    await world.advance(minutes=2)  # Thursday 18:01: the 24 h reminder
    [day_before] = [m for m in thread.messages if "Rappel" in m.content]
    for member in (world.bob, world.carol, dave):
        assert member.mention in day_before.content
    assert {str(u) for u in day_before.allowed_mentions["users"]} == {
        str(world.bob.id),
        str(world.carol.id),
        str(dave.id),
    }
    assert day_before.allowed_mentions.get("parse") in (None, [])
    [bob_dm] = world.bob.dms
    assert "Café réseau ASS" in bob_dm.content and "Rappel" in bob_dm.content
    assert world.carol.dms == []  # did not opt in
    [fallback] = [m for m in thread.messages if "messages privés sont fermés" in m.content]
    assert fallback.content.startswith(dave.mention)

    await world.advance(hours=23)  # Friday 17:01: the 1 h reminder, once
    assert len([m for m in thread.messages if m.content.startswith("⏰")]) == 2
    assert len(world.bob.dms) == 2
    await world.advance(minutes=30)
    assert len([m for m in thread.messages if m.content.startswith("⏰")]) == 2


async def test_server_reminder_offsets(world: Harness) -> None:
    refused = await world.guild.slash(world.bob, "rencontre reglages", rappels="3h")
    assert refused.ephemeral and "modération" in refused.text
    bad = await world.guild.slash(world.alice, "rencontre reglages", rappels="bientôt")
    assert "non compris" in bad.text
    saved = await world.guild.slash(world.alice, "rencontre reglages", rappels="3h")
    assert "3 h" in saved.text
    message = await publish(world, world.alice)
    thread = thread_of(world, message)
    await world.advance(days=4, hours=4, minutes=59)  # Friday 14:59 Paris
    assert not [m for m in thread.messages if m.content.startswith("⏰")]
    await world.advance(minutes=2)  # 15:01, 3 h before
    assert len([m for m in thread.messages if m.content.startswith("⏰")]) == 1


async def test_a_reminder_the_day_before_at_a_set_hour(world: Harness) -> None:
    saved = await world.guild.slash(
        world.alice, "rencontre reglages", rappels="la veille à 9h, 30 min avant"
    )
    assert "la veille à 9 h, 30 min avant" in saved.text, saved.text
    message = await publish(world, world.alice)  # Friday 6 March, 18:00 Paris
    thread = thread_of(world, message)
    await world.advance(days=2, hours=22, minutes=59)  # Thursday 8:59 Paris
    assert not [m for m in thread.messages if m.content.startswith("⏰")]
    await world.advance(minutes=2)  # Thursday 9:01
    assert len([m for m in thread.messages if m.content.startswith("⏰")]) == 1
    await world.advance(days=1, hours=8, minutes=30)  # Friday 17:31
    assert len([m for m in thread.messages if m.content.startswith("⏰")]) == 2


# -- edit and cancel --------------------------------------------------------------------------
async def test_edit_tells_attendees_moves_reminders_and_the_mirror(world: Harness) -> None:
    message = await publish(world, world.alice, places=2)
    thread = thread_of(world, message)
    await message.click("Je viens", by=world.bob)
    await message.click("Je viens", by=world.carol)
    dave = await world.guild.add_member("dave")
    await message.click("Je viens", by=dave)  # waiting

    refused = await world.guild.slash(
        world.bob, "rencontre modifier", evenement="1", quand="samedi 11h"
    )
    assert refused.ephemeral and "organise" in refused.text
    done = await world.guild.slash(
        world.alice, "rencontre modifier", evenement="1", quand="samedi 11h", places=3
    )
    assert done.ephemeral and "date" in done.text and "places" in done.text, done.text
    saturday = datetime(2026, 3, 7, 10, 0, tzinfo=UTC)
    assert f"<t:{int(saturday.timestamp())}:F>" in field(message, "Quand")
    [notice] = [m for m in thread.messages if m.content.startswith("✏️")]
    for member in (world.bob, world.carol, dave):
        assert member.mention in notice.content
    assert dave.mention in field(message, "Je viens")  # the extra seat went to the waiting member
    [mirror] = world.guild.events
    assert datetime.fromisoformat(mirror.scheduled_start_time) == saturday

    await world.advance(days=3, hours=8, minutes=5)  # Thursday 18:05: the old 24 h time
    assert not [m for m in thread.messages if m.content.startswith("⏰")]
    await world.advance(hours=17)  # Friday 11:05: 24 h before the new time
    assert len([m for m in thread.messages if m.content.startswith("⏰")]) == 1


async def test_cancel_tells_attendees_and_stops_everything(world: Harness) -> None:
    message = await publish(world, world.alice)
    thread = thread_of(world, message)
    await message.click("Je viens", by=world.bob)

    refused = await world.guild.slash(world.bob, "rencontre annuler", evenement="1")
    assert refused.ephemeral and "organise" in refused.text
    done = await world.guild.slash(
        world.alice, "rencontre annuler", evenement="1", raison="Météo @everyone"
    )
    assert done.ephemeral and "annulée" in done.text
    [notice] = [m for m in thread.messages if m.content.startswith("❌")]
    assert world.bob.mention in notice.content
    assert "@everyone" not in notice.content.replace("@\u200beveryone", "")
    assert [str(u) for u in notice.allowed_mentions["users"]] == [str(world.bob.id)]
    assert message.embeds[0]["title"].startswith("ANNULÉE")
    assert message.buttons() == []
    [mirror] = world.guild.events
    assert mirror.status is EventStatus.canceled

    again = await world.guild.slash(world.alice, "rencontre annuler", evenement="1")
    assert "a été annulée" in again.text
    await world.advance(days=5)
    assert not [m for m in thread.messages if m.content.startswith("⏰")]
    assert world.bob.dms == []


async def test_ended_event_is_archived_and_takes_no_more_answers(world: Harness) -> None:
    message = await publish(world, world.alice)
    thread = thread_of(world, message)
    await world.advance(days=4, hours=9, minutes=1)  # Friday 19:01 < end 20:00
    assert message.buttons()
    await world.advance(hours=1)  # 20:01: over
    assert message.buttons() == []
    assert message.embeds[0]["title"].startswith("Terminée")
    assert any("terminée" in m.content for m in thread.messages)
    seen = await world.guild.slash(world.bob, "rencontre voir", evenement="1")
    assert seen.ephemeral and seen.message.buttons() == []
    listed = await world.guild.slash(world.bob, "rencontre liste")
    assert "Café réseau ASS" not in listed.text
    assert await count_rows(world, "rencontres") == 1  # archived, not deleted


# -- the scheduled-event mirror without permission ------------------------------------------------
async def test_without_manage_events_the_organiser_is_told_once_and_publishing_goes_on(
    world: Harness,
) -> None:
    bot_role = world.guild.role("Passerelle")
    no_events = ~(P.MANAGE_EVENTS | P.CREATE_EVENTS)
    await world.set_role_permissions(bot_role, P.BOT_DEFAULT & no_events)
    await world.set_role_permissions(world.guild.state.everyone, P.DEFAULT_EVERYONE & no_events)
    preview = await create(world, world.bob)
    done = await preview.click("Publier", by=world.bob)
    assert "Gérer les événements" in done.text
    assert len(world.guild.default_channel.messages) == 1
    assert world.guild.events == []
    second = await (await create(world, world.bob, quand="samedi 18h")).click(
        "Publier", by=world.bob
    )
    assert "https://discord.com/channels/" in second.text
    assert "Gérer les événements" not in second.text  # said once
    assert len(world.guild.default_channel.messages) == 2
    # editing an event without a mirror works too
    edited = await world.guild.slash(world.bob, "rencontre modifier", evenement="1", titre="Apéro")
    assert "titre" in edited.text


# -- calendars and attendee lists -----------------------------------------------------------------
async def test_ics_files_parse_back_with_zone_place_link_and_description(world: Harness) -> None:
    await publish(world, world.alice, places=3)
    visio = await (
        await world.guild.slash(
            world.bob,
            "rencontre creer",
            titre="Visio Québec",
            quand="samedi 14h",
            format="visio",
            lien="https://meet.example.org/qc",
            zone="America/Montreal",
        )
    ).click("Publier", by=world.bob)
    assert "https://discord.com" in visio.text

    one = await world.guild.slash(world.bob, "rencontre ics", evenement=str(1))
    [attachment] = one.attachments
    assert attachment.filename == "rencontre-1.ics"
    cal = icalendar.Calendar.from_ical(attachment.data)
    [event] = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Café réseau ASS"
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Paris" and (start.hour, start.minute) == (18, 0)
    assert start == FRIDAY_18H and event.decoded("DTEND") == FRIDAY_18H.replace(hour=19)
    assert str(event["LOCATION"]) == "Café des Arts, 12 rue de la Paix, Lyon"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]

    every = await world.guild.slash(world.bob, "rencontre ics")
    cal = icalendar.Calendar.from_ical(every.attachments[0].data)
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"Café réseau ASS", "Visio Québec"}
    qc = events["Visio Québec"]
    start = qc.decoded("DTSTART")
    assert str(start.tzinfo) == "America/Montreal" and start.hour == 14
    assert str(qc["URL"]) == "https://meet.example.org/qc"
    assert "https://meet.example.org/qc" in str(qc["DESCRIPTION"])
    assert {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")} == {"Europe/Paris", "America/Montreal"}


async def test_participants_list_and_csv_for_the_organiser_only(world: Harness) -> None:
    message = await publish(world, world.alice, places=2)
    for member in (world.bob, world.carol):
        await message.click("Je viens", by=member)
    dave = await world.guild.add_member("dave")
    await message.click("Je viens", by=dave)
    erin = await world.guild.add_member("erin")
    await message.click("Peut-être", by=erin)
    # names as the server shows them: the nickname, else the display name
    world.guild.state.members[world.carol.id].nick = "=Caro (animatrice)"
    del world.guild.state.members[erin.id]  # she left the server since: her id stays
    refused = await world.guild.slash(world.bob, "rencontre participants", evenement="1")
    assert refused.ephemeral and refused.attachments == [] and "organise" in refused.text
    reply = await world.guild.slash(world.alice, "rencontre participants", evenement="1")
    assert reply.ephemeral and "4 réponses" in reply.text
    [csv_file] = reply.attachments
    assert csv_file.filename == "rencontre-1.csv"
    assert csv_file.data.startswith("\ufeff".encode())  # French spreadsheets read UTF-8 then
    rows = list(csv.reader(io.StringIO(csv_file.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["nom", "identifiant", "statut", "répondu le"]
    assert [row[:3] for row in rows[1:]] == [
        ["Bob", str(world.bob.id), "Je viens"],
        ["'=Caro (animatrice)", str(world.carol.id), "Je viens"],  # never a formula
        [str(erin.id), str(erin.id), "Peut-être"],
        ["Dave", str(dave.id), "Liste d'attente"],
    ]
    assert all(row[3] == "2026-03-02 10:00" for row in rows[1:])  # Paris time, when answered
    # the names came from Discord, once each: the member cache is empty without the intent
    fetched = world.requests_to("GET", r"^/guilds/\d+/members/\d+$")
    assert sorted(int(r.path.rsplit("/", 1)[1]) for r in fetched) == sorted(
        [world.bob.id, world.carol.id, dave.id, erin.id]
    )


async def test_participants_file_in_english_for_an_english_organiser(world: Harness) -> None:
    preview = await create(world, world.carol, quand="friday 6pm")
    await preview.click("Publish", by=world.carol)
    [message] = world.guild.default_channel.messages
    await message.click("Je viens", by=world.bob)
    reply = await world.guild.slash(world.carol, "rencontre participants", evenement="1")
    assert "1 answer." in reply.text
    data = reply.attachments[0].data
    assert not data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows == [
        ["name", "user id", "status", "answered at"],
        ["Bob", str(world.bob.id), "Going", "2026-03-02 10:00"],
    ]


# -- bad input: a clear ephemeral answer, nothing written -----------------------------------------
async def test_bad_inputs_are_refused_and_nothing_is_written(world: Harness) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"quand": "hier 18h"}, "Je n’ai pas compris"),
        ({"quand": "2026-03-01 18:00"}, "déjà passé"),
        ({"quand": "31/02 20h"}, "cette date n’existe pas"),
        ({"quand": "vendredi 25h"}, "cette heure n’existe pas"),
        ({"quand": "quand on pourra"}, "Essayez par exemple"),
        ({"quand": "29/03 2h30"}, "changement d’heure"),
        ({"format": "visio", "lien": "ftp://example.org/x"}, "http:// ou https://"),
        ({"format": "visio", "lien": "javascript:alert(1)"}, "http:// ou https://"),
        ({"format": "visio"}, "indiquez le lien"),
        ({"lieu": "   "}, "indiquez le lieu"),
        ({"places": 1}, "entre 2 et 500"),
        ({"places": 501}, "entre 2 et 500"),
        ({"titre": "x" * 101}, "101 caractères, 100 au plus"),
        ({"duree": "toute la nuit"}, "Durée non comprise"),
        ({"zone": "Mars/Olympus"}, "Mars/Olympus"),
    ]
    for options, expected in cases:
        reply = await create(world, world.bob, **options)
        assert reply.ephemeral, options
        assert expected in reply.text, (options, reply.text)
        assert reply.message.buttons() == [], options
    assert await count_rows(world, "rencontres") == 0
    assert world.guild.default_channel.messages == []

    english = await create(world, world.carol, quand="yesterday")
    assert english.ephemeral and "I didn’t understand the date" in english.text
    assert "friday 6pm" in english.text  # English examples for an English member

    for path, options in (
        ("rencontre voir", {"evenement": "42"}),
        ("rencontre modifier", {"evenement": "abc", "titre": "x"}),
        ("rencontre annuler", {"evenement": "42"}),
        ("rencontre ics", {"evenement": "42"}),
    ):
        reply = await world.guild.slash(world.bob, path, **options)
        assert reply.ephemeral and "Je ne trouve pas cette rencontre" in reply.text, path


async def test_bad_edits_change_nothing(world: Harness) -> None:
    message = await publish(world, world.alice)
    before = message.embeds
    for options, expected in (
        ({"quand": "31/02 20h"}, "n’existe pas"),
        ({"places": 900}, "entre 2 et 500"),
        ({"titre": "y" * 150}, "150 caractères"),
        ({"lien": "https://x.org"}, "présentiel a un lieu"),
    ):
        reply = await world.guild.slash(world.alice, "rencontre modifier", evenement="1", **options)
        assert reply.ephemeral and expected in reply.text, (options, reply.text)
    assert message.embeds == before
    assert [m for m in thread_of(world, message).messages if m.content.startswith("✏️")] == []
    form = await world.guild.slash(world.alice, "rencontre modifier", evenement="1")
    assert form.modal is not None
    too_long = await form.submit_modal(
        {
            "Titre": "Café",
            "Quand": "vendredi 18h",
            "Lieu (adresse)": "Lyon",
            "Places (vide : sans limite)": "dx",
            "Description": "",
        },
        by=world.alice,
    )
    assert "doit être un nombre" in too_long.text
    assert message.embeds == before


async def test_user_text_never_pings_everyone_or_roles(world: Harness) -> None:
    role = world.guild.role("Modération")
    title = f"@everyone @here {role.mention} apéro"
    message = await publish(world, world.bob, titre=title)
    await message.click("Je viens", by=world.carol)
    await world.guild.slash(world.bob, "rencontre modifier", evenement="1", titre=title + " !")
    await world.advance(days=3, hours=8, minutes=1)  # the 24 h reminder
    posts = world.requests_to("POST", r"^/channels/\d+/messages$")
    assert posts
    for post in posts:
        allowed = post.json.get("allowed_mentions") or {}
        assert "everyone" not in allowed.get("parse", []) and "roles" not in allowed.get(
            "parse", []
        )
        assert not allowed.get("roles")
    for thread_message in thread_of(world, message).messages:
        assert "@everyone" not in thread_message.content
        assert role.mention not in thread_message.content

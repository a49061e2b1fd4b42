"""Rencontres end to end: members create, answer, edit and cancel meet-ups on the test Discord.

START (tests/conftest.py) is Monday 2 March 2026, 10:00 in Paris; "vendredi 18h" is then
Friday 6 March 2026, 18:00 Paris = 17:00 UTC = 12:00 Montréal.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

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
    assert field(message, "Places") == "5 sur 5"
    assert [b["label"] for b in message.buttons()] == ["Je viens", "Peut-être", "Je me retire"]
    thread = thread_of(world, message)
    assert thread.name == "Café réseau ASS"
    [mirror] = world.guild.events
    assert mirror.entity_type == 3 and mirror.location.startswith("Café des Arts")
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
    assert field(message, "Places") == "4 sur 4"


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
    assert field(message, "Places") == "0 sur 2"
    assert field(message, "Liste d'attente") == f"1. {dave.mention}, 2. {erin.mention}"
    assert {world.bob.id, world.carol.id} <= thread.member_ids and dave.id not in thread.member_ids

    # bob withdraws: dave (first waiting) is promoted and told by DM
    assert "retiré" in (await message.click("Je me retire", by=world.bob)).text
    assert world.bob.mention not in field(message, "Je viens")
    assert field(message, "Je viens") == f"{world.carol.mention}, {dave.mention}"
    [dm] = dave.dms
    assert "une place s'est libérée" in dm.content and "Café réseau ASS" in dm.content
    assert dave.id in thread.member_ids

    # carol moves to "maybe": erin is promoted; her DMs are closed, so she is mentioned in the thread
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
    await world.restart()
    reply = await message.click("Je viens", by=world.bob)
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


# -- edit and cancel --------------------------------------------------------------------------
async def test_edit_tells_attendees_moves_reminders_and_the_mirror(world: Harness) -> None:
    message = await publish(world, world.alice, places=2)
    thread = thread_of(world, message)
    await message.click("Je viens", by=world.bob)
    await message.click("Je viens", by=world.carol)
    dave = await world.guild.add_member("dave")
    await message.click("Je viens", by=dave)  # waiting

    refused = await world.guild.slash(world.bob, "rencontre modifier", evenement="1", quand="samedi 11h")
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
    assert mirror.status == 4  # canceled

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

"""Rencontres end to end: choosing an event by autocomplete, personal zones, a restart mid-life.

START (tests/conftest.py) is Monday 2 March 2026, 10:00 in Paris (04:00 in Montréal).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from discord_server import Harness

from cogs.rencontres.store import RencontreStore

CHOOSING = ("voir", "modifier", "annuler", "participants", "ics")


async def publish(world: Harness, user: Any, titre: str, quand: str, **options: Any) -> int:
    """Create and publish through the commands; returns the event's number."""
    defaults: dict[str, Any] = {"format": "presentiel", "lieu": "Maison des associations"}
    preview = await world.guild.slash(
        user, "rencontre creer", titre=titre, quand=quand, **(defaults | options)
    )
    found = re.search(
        r"(?:Rencontre n° |Meet-up #)(\d+)", preview.text
    )  # the footer, before it is replaced
    assert found is not None, preview.text
    done = await preview.click(f"rencontre:draft:{found[1]}:publish", by=user)
    assert "https://discord.com/channels/" in done.text, done.text
    return int(found[1])


async def choices(world: Harness, user: Any, command: str, typed: str) -> list[dict[str, Any]]:
    return await world.guild.autocomplete(user, f"rencontre {command}", evenement=typed)


def titles(offered: list[dict[str, Any]]) -> list[str]:
    return [re.sub(r"^#\d+ (.*) — .*$", r"\1", c["name"]) for c in offered]


# -- autocomplete ---------------------------------------------------------------------------------
async def test_event_autocomplete_offers_upcoming_events_of_this_server_best_match_first(
    world: Harness,
) -> None:
    cafe = await publish(world, world.bob, "Café réseau ASS", "vendredi 18h")
    atelier = await publish(world, world.alice, "Atelier écriture", "samedi 10h")
    jeunes = await publish(world, world.bob, "Réseau jeunes pros", "16/03 18h")
    gone = await publish(world, world.alice, "Réseau annulé", "jeudi 18h")
    await world.guild.slash(world.alice, "rencontre annuler", evenement=str(gone))
    over = await publish(world, world.alice, "Réseau du matin", "demain 8h", duree="1h")
    elsewhere = await publish(world, world.alice, "Réseau d'un autre serveur", "mercredi 18h")
    await world.bot.db.execute("UPDATE rencontres SET guild_id = 42 WHERE id = ?", (elsewhere,))
    draft = await world.guild.slash(
        world.alice,
        "rencontre creer",
        titre="Réseau brouillon",
        quand="mardi 18h",
        format="visio",
        lien="https://meet.example.org/x",
    )
    assert draft.ephemeral  # a draft, never published
    await world.advance(days=1, hours=1)  # Tuesday 11:00: "Réseau du matin" is over

    for command in CHOOSING:
        offered = await choices(world, world.alice, command, "")
        # nothing typed: every upcoming event of this server, soonest first
        assert titles(offered) == ["Café réseau ASS", "Atelier écriture", "Réseau jeunes pros"]
        assert [c["value"] for c in offered] == [str(cafe), str(atelier), str(jeunes)]
    first = (await choices(world, world.alice, "voir", ""))[0]["name"]
    assert first == f"#{cafe} Café réseau ASS — 06/03 18:00"

    # the title starting with the text comes before a later word, accents and case aside
    assert titles(await choices(world, world.alice, "voir", "RESEAU")) == [
        "Réseau jeunes pros",
        "Café réseau ASS",
    ]
    assert titles(await choices(world, world.alice, "voir", "écri")) == ["Atelier écriture"]
    assert titles(await choices(world, world.alice, "voir", "ecriture")) == ["Atelier écriture"]
    assert (await choices(world, world.alice, "voir", f"#{jeunes}"))[0]["value"] == str(jeunes)
    assert await choices(world, world.alice, "voir", "pique-nique") == []
    assert await choices(world, world.alice, "voir", "x" * 120) == []
    for hidden in (gone, over, elsewhere):  # cancelled, ended, other server: never offered
        assert await choices(world, world.alice, "voir", f"#{hidden}") == []


async def test_event_autocomplete_for_managing_shows_what_the_member_may_manage(
    world: Harness,
) -> None:
    mine = await publish(world, world.bob, "Café réseau ASS", "vendredi 18h")
    theirs = await publish(world, world.carol, "Walk and talk", "samedi 10h")
    for command in ("modifier", "annuler", "participants"):
        assert [c["value"] for c in await choices(world, world.bob, command, "")] == [str(mine)]
        # a moderator manages every event
        offered = await choices(world, world.alice, command, "")
        assert [c["value"] for c in offered] == [str(mine), str(theirs)]
    for command in ("voir", "ics"):  # anyone may look at any event
        offered = await choices(world, world.bob, command, "")
        assert [c["value"] for c in offered] == [str(mine), str(theirs)]


async def test_event_autocomplete_offers_at_most_25(world: Harness) -> None:
    store = RencontreStore(world.bot.db)
    first = await publish(world, world.alice, "Rencontre 00", "10/03 18h")
    for n in range(1, 30):  # the rest straight into the store: only the choosing is tested
        await world.bot.db.execute(
            "INSERT INTO rencontres (guild_id, organiser_id, title, description, starts_at,"
            " ends_at, duration_min, zone, format, place, link, capacity, status, lang,"
            " created_at, updated_at) SELECT guild_id, organiser_id, ?, description,"
            " starts_at + ?, ends_at + ?, duration_min, zone, format, place, link, capacity,"
            " status, lang, created_at, updated_at FROM rencontres WHERE id = ?",
            (f"Rencontre {n:02d}", n * 86400, n * 86400, first),
        )
    assert len(await store.upcoming(world.guild.id, world.bot.clock.now(), limit=100)) == 30
    offered = await choices(world, world.bob, "voir", "rencontre")
    assert titles(offered) == [f"Rencontre {n:02d}" for n in range(25)]
    # the 26th and later are reached by typing
    assert titles(await choices(world, world.bob, "voir", "rencontre 29")) == ["Rencontre 29"]


# -- a personal zone from /rappels ----------------------------------------------------------------
async def test_personal_zone_from_rappels_is_used_to_understand_the_date(world: Harness) -> None:
    saved = await world.guild.slash(world.bob, "rappels", fuseau="America/Montreal")
    assert saved.ephemeral and "America/Montreal" in saved.text
    preview = await world.guild.slash(
        world.bob,
        "rencontre creer",
        titre="Café réseau Québec",
        quand="vendredi 18h",
        format="presentiel",
        lieu="Café Olimpico, Montréal",
    )
    # 18:00 in Montréal (EST, UTC-5), shown in Paris and Montréal too
    assert "Dans votre fuseau : vendredi 6 mars 2026 à 18:00 (America/Montreal)" in preview.text
    assert "Paris : samedi 7 mars 2026 à 00:00" in preview.text
    assert "Montréal : vendredi 6 mars 2026 à 18:00" in preview.text
    friday_18h_montreal = datetime(2026, 3, 6, 23, 0, tzinfo=UTC)
    row = await world.bot.db.fetchone("SELECT starts_at, zone FROM rencontres")
    assert row["starts_at"] == int(friday_18h_montreal.timestamp())
    assert row["zone"] == "America/Montreal"
    await preview.click("Publier", by=world.bob)
    [message] = world.guild.default_channel.messages
    assert f"<t:{int(friday_18h_montreal.timestamp())}:F>" in message.text

    # past the change to summer time in Montréal (8 March): still 18:00 there, 22:00 UTC
    sunday = await world.guild.slash(
        world.bob,
        "rencontre creer",
        titre="Brunch",
        quand="dimanche 18h",
        format="presentiel",
        lieu="Montréal",
    )
    assert "dimanche 8 mars 2026 à 18:00 (America/Montreal)" in sunday.text
    assert "Paris : dimanche 8 mars 2026 à 23:00" in sunday.text
    # the zone option of the command wins over the personal zone
    paris = await world.guild.slash(
        world.bob,
        "rencontre creer",
        titre="Café Paris",
        quand="vendredi 18h",
        format="presentiel",
        lieu="Paris",
        zone="Europe/Paris",
    )
    assert "vendredi 6 mars 2026 à 18:00 (Europe/Paris)" in paris.text
    rows = await world.bot.db.fetchall("SELECT title, starts_at FROM rencontres ORDER BY id")
    assert [(r["title"], r["starts_at"]) for r in rows][1:] == [
        ("Brunch", int(datetime(2026, 3, 8, 22, 0, tzinfo=UTC).timestamp())),
        ("Café Paris", int(datetime(2026, 3, 6, 17, 0, tzinfo=UTC).timestamp())),
    ]
    # an English member with the same zone gets the same instant, in English
    await world.guild.slash(world.carol, "rappels", fuseau="America/Montreal")
    english = await world.guild.slash(
        world.carol,
        "rencontre creer",
        titre="Walk",
        quand="friday 6pm",
        format="visio",
        lien="https://meet.example.org/w",
    )
    assert "Friday, March 6, 2026 at 6:00 PM (America/Montreal)" in english.text, english.text
    assert "Paris" in english.text and "Montréal" in english.text


# -- a crash in the middle of an event's life -----------------------------------------------------
async def test_a_crash_between_answers_keeps_buttons_reminders_and_the_end(world: Harness) -> None:
    await publish(world, world.alice, "Café réseau ASS", "vendredi 18h")
    [message] = world.guild.default_channel.messages
    await message.click("Je viens", by=world.bob)
    await world.advance(days=2)
    await world.crash()
    again = await message.click("Je viens", by=world.carol)
    assert again.ephemeral and "you are coming" in again.text
    thread = next(t for t in world.guild.threads if t.id == message.id)
    await world.advance(days=1, hours=8, minutes=1)  # Thursday 18:01: the 24 h reminder
    await world.advance(hours=23)  # Friday 17:01: the 1 h reminder
    reminders = [m for m in thread.messages if m.content.startswith("⏰")]
    assert len(reminders) == 2
    assert world.bob.mention in reminders[0].content and world.carol.mention in reminders[0].content
    await world.advance(hours=3)  # Friday 20:01, over: archived, buttons gone, hidden
    assert message.buttons() == []
    listed = await world.guild.slash(world.bob, "rencontre liste")
    assert "Café réseau ASS" not in listed.text
    assert await choices(world, world.bob, "voir", "") == []


async def test_the_form_can_fix_the_link_of_an_event_under_way(world: Harness) -> None:
    """The form shows the start as it is; sent back unchanged it is not re-read (in the past
    once the event has begun), so the organiser can still fix the visio link."""
    await publish(
        world,
        world.bob,
        "Visio du vendredi",
        "vendredi 18h",
        format="visio",
        lien="https://meet.example.org/old",
    )
    await world.advance(days=4, hours=8, minutes=30)  # Friday 18:30 Paris: under way
    form = await world.guild.slash(world.bob, "rencontre modifier", evenement="1")
    assert form.modal is not None
    done = await form.submit_modal(
        {
            "Titre": "Visio du vendredi",
            "Quand": "2026-03-06 18:00",  # what the form shows, untouched
            "Lien de la visio": "https://meet.example.org/new",
            "Description": "",
        },
        by=world.bob,
    )
    assert "Rencontre modifiée" in done.text, done.text
    [message] = world.guild.default_channel.messages
    assert "https://meet.example.org/new" in message.text


async def test_a_double_click_on_publish_posts_the_event_once(world: Harness) -> None:
    preview = await world.guild.slash(
        world.bob,
        "rencontre creer",
        titre="Café",
        quand="vendredi 18h",
        format="presentiel",
        lieu="Lyon",
    )
    assert preview.message is not None
    channel = world.guild.default_channel
    # the second click arrives before the first is answered
    replies = await world.click_together(preview.message, "Publier", by=[world.bob, world.bob])
    assert len(channel.messages) == 1, [r.text for r in replies]
    assert len(world.guild.events) == 1
    assert all(r.answered for r in replies)


async def test_zone_autocomplete_is_the_same_for_rappels_and_rencontre(world: Harness) -> None:
    for path, option in (("rappels", "fuseau"), ("rencontre creer", "zone")):
        offered = await world.guild.autocomplete(world.bob, path, **{option: "montr"})
        assert offered[0] == {"name": "America/Montreal", "value": "America/Montreal"}
        first = await world.guild.autocomplete(world.bob, path, **{option: ""})
        assert [c["value"] for c in first[:2]] == ["Europe/Paris", "America/Montreal"]
        assert len(first) == 25

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

"""Shared steps of the apéro journeys: create a series through the preview, walk the clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from discord_server import Harness
from discord_server.world import Channel, Message

LINK = "https://meet.jit.si/apero-anas"


async def create_series(world: Harness, channel: Channel, **options: Any) -> Any:
    """/apero creer as Alice (moderator), then « Enregistrer » on the preview."""
    values: dict[str, Any] = {"nom": "Apéro du vendredi", "jour": "vendredi", "heure": "18h"}
    values |= {"salon": channel, "lien": LINK} | options
    values = {k: v for k, v in values.items() if v is not None}
    preview = await world.guild.slash(world.alice, "apero creer", **values)
    assert preview.ephemeral and preview.components, preview.text
    saved = await preview.click("Enregistrer", by=world.alice)
    assert "enregistré" in saved.text, saved.text
    return saved


async def advance_to(world: Harness, instant: datetime) -> None:
    """Move the clock to `instant` (never backwards) and let the bot run what is due."""
    delta = instant - world.clock.now()
    assert delta.total_seconds() >= 0, f"{instant} is in the past ({world.clock.now()})"
    await world.advance(seconds=delta.total_seconds())


def stamp(instant: datetime) -> str:
    return f"<t:{int(instant.timestamp())}:F>"


def reminders_in(channel: Channel) -> list[Message]:
    return [m for m in channel.visible_messages() if m.author.bot and m.embeds]


def go_label(message: Message) -> str:
    [button] = message.buttons()
    return str(button["label"])


async def rows(world: Harness, sql: str) -> int:
    return int(await world.bot.db.fetchval(sql))

"""What the agenda tests put in the agenda, through the real features: a meet-up published by
Alice that Bob says « Je viens » to (Friday 6 March 2026, 18:00 Paris), and a weekly apéro
(Fridays 18:00 Paris) in #annonces."""

from __future__ import annotations

import re
from typing import Any

from apero_support import create_series
from discord_server import Harness

MEETUP = {
    "titre": "Café réseau ASS",
    "quand": "vendredi 18h",
    "format": "presentiel",
    "lieu": "Café des Arts, 12 rue de la Paix, Lyon",
}


async def publish(world: Harness, user: Any, **options: Any) -> Any:
    """/rencontre creer then « Publier »; returns the public message."""
    preview = await world.guild.slash(user, "rencontre creer", **(MEETUP | options))
    assert preview.ephemeral and preview.components, preview.text
    done = await preview.click("Publier", by=user)
    link = re.search(r"channels/\d+/(\d+)/(\d+)", done.text)
    assert link is not None, done.text
    channel = world.state.channels[int(link[1])]
    return next(m for m in channel.messages if m.id == int(link[2]))


async def fill_agenda(world: Harness) -> Any:
    message = await publish(world, world.alice)
    await message.click("Je viens", by=world.bob)
    await create_series(world, world.guild.channel("annonces"))
    return message

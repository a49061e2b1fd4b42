"""Shared steps of Le tableau's end-to-end tests."""

from __future__ import annotations

from typing import Any

import discord
from discord_server import permissions as P


async def forum(world: Any, name: str, **kw: Any) -> Any:
    """A forum where the bot may manage its tags (« Gérer les salons » on that forum only)."""
    channel = await world.add_channel(name, type=discord.ChannelType.forum, **kw)
    bot_role = world.guild.role("Passerelle")
    allow = {"id": str(bot_role.id), "type": 0, "allow": str(P.MANAGE_CHANNELS), "deny": "0"}
    await world.set_overwrites(channel, [allow])
    return channel


async def board(
    world: Any, *, shared: bool = False, approval: bool = False, **options: Any
) -> tuple[Any, Any]:
    """Two forums (or one shared) configured by Alice; returns (offers forum, news forum)."""
    offers = await forum(world, "offres")
    news = offers if shared else await forum(world, "nouvelles")
    if approval:
        mods = await world.add_channel("moderation")
        await world.guild.slash(world.alice, "config salon-moderation", salon=mods)
        options["validation"] = 1
    reply = await world.guild.slash(
        world.alice, "tableau config", offres=offers, nouvelles=news, **options
    )
    assert "Le tableau" in reply.text, reply.text
    return offers, news


OFFER = {
    "title": "Éducatrice ou éducateur spécialisé",
    "structure": "MECS Les Tilleuls",
    "deadline": "",
    "link": "https://emploi.example.org/offre/12",
    "description": "CDI à temps plein, internat éducatif.",
}


async def publish_offer(
    world: Any, user: Any, *, lieu: str = "FR-29", type: str = "emploi", **fields: Any
) -> Any:
    """`/offre publier` then its form; returns the answer to the form."""
    options = {k: fields.pop(k) for k in ("ville", "profession", "profession2") if k in fields}
    form = await world.guild.slash(user, "offre publier", type=type, lieu=lieu, **options)
    assert form.modal is not None, form.text
    return await form.submit_modal({**OFFER, **fields}, by=user)


async def publish_news(
    world: Any, user: Any, *, lieu: str = "FR-13", type: str = "ouverture", **fields: Any
) -> Any:
    form = await world.guild.slash(user, "nouvelle publier", type=type, lieu=lieu)
    assert form.modal is not None, form.text
    values = {
        "structure": "CHRS La Caravelle",
        "title": "",
        "link": "",
        "description": "Ouverture de 20 places.",
    }
    return await form.submit_modal({**values, **fields}, by=user)

"""`/aide` end to end: each command titled by its name in the member's language and described
once; moderators' commands to moderators only; every command of every feature, on as many
pages as Discord's limits ask, the page buttons working after a restart."""

from __future__ import annotations

import copy
from typing import Any

import discord
from discord import app_commands
from discord_server import Harness

from bot.i18n import t

TOTAL_LIMIT, FIELDS_MAX = 6000, 25


def fields(reply: Any) -> dict[str, str]:
    [embed] = reply.embeds
    return {f["name"]: f["value"] for f in embed.get("fields", [])}


def size(embed: dict[str, Any]) -> int:
    parts = [embed.get("title", ""), embed.get("description", "")]
    parts += [embed.get("footer", {}).get("text", "")]
    parts += [f["name"] + f["value"] for f in embed.get("fields", [])]
    return sum(len(p) for p in parts)


async def test_each_command_is_titled_by_its_name_and_described_once(world: Harness) -> None:
    reply = await world.guild.slash(world.bob, "aide")
    shown = fields(reply)
    description = t("cmd.sigle.desc", "fr")
    assert shown["/sigle"] == description
    assert reply.text.count(description) == 1
    # a group: its name, its description once, each of its commands on a line
    rencontre = shown["/rencontre"]
    assert rencontre.startswith(f"*{t('cmd.rencontre.desc', 'fr')}*")
    assert reply.text.count(t("cmd.rencontre.desc", "fr")) == 1
    assert f"`/rencontre creer` — {t('cmd.rencontre.creer.desc', 'fr')}" in rencontre
    english = fields(await world.guild.slash(world.carol, "aide"))
    assert english["/acronym"] == t("cmd.sigle.desc", "en")
    assert list(english) == sorted(english, key=str.casefold)


async def test_every_command_of_every_feature_is_shown_on_pages_within_discords_limits(
    world: Harness,
) -> None:
    added = [f"outil-{n:02d}" for n in range(40)]
    for name in added:

        @app_commands.command(name=name, description=f"Un outil de plus, le {name}. " * 3)
        async def tool(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("ok", ephemeral=True)

        world.bot.tree.add_command(tool)
    await world.in_bot(world.bot.tree.sync)
    reply = await world.guild.slash(world.bob, "aide")
    embeds = []  # each page as it was shown (the message is edited in place)
    while True:
        [embed] = copy.deepcopy(reply.embeds)
        embeds.append(embed)
        [following] = [b for b in reply.message.buttons() if "Suivant" in b.get("label", "")]
        if following.get("disabled"):
            break
        reply = await reply.click(following["custom_id"], by=world.bob)
    assert len(embeds) > 1
    seen = [f["name"] for embed in embeds for f in embed["fields"]]
    assert sorted(n for n in seen if n.startswith("/outil")) == [f"/{n}" for n in added]
    assert "/sigle" in seen and len(seen) == len(set(seen))
    for embed in embeds:
        assert size(embed) <= TOTAL_LIMIT and len(embed["fields"]) <= FIELDS_MAX
        assert f"sur {len(embeds)}" in embed["footer"]["text"]
    # the buttons of a page drawn before a restart still answer (with today's commands)
    await world.restart()
    [back] = [b for b in reply.message.buttons() if "Précédent" in b.get("label", "")]
    again = await reply.click(back["custom_id"], by=world.bob)
    assert "/sigle" in fields(again)

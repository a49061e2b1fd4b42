"""Probe bots for the loopback Discord's own tests (tests/e2e/test_discord_server.py): small
discord.py clients, test scaffolding for the server, not Passerelle."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

MENTIONS = discord.AllowedMentions(everyone=False, roles=False, users=True)


class Ask(discord.ui.Modal, title="Proposer"):
    titre = discord.ui.TextInput(label="Titre", custom_id="titre", max_length=50)
    note = discord.ui.TextInput(label="Note", custom_id="note", required=False)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"Reçu : {self.titre.value}|{self.note.value}")


class Vote(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=600)
        self.count = 0

    @discord.ui.button(label="Pour", custom_id="vote:pour")
    async def pour(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        self.count += 1
        await interaction.response.edit_message(content=f"Votes : {self.count}", view=self)

    @discord.ui.button(label="Détails", custom_id="vote:details")
    async def details(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await interaction.response.send_modal(Ask())


def probe_factory(
    record: dict[str, Any], *, members_intent: bool = False
) -> Callable[[], discord.Client]:
    """A commands.Bot with a few slash commands; `record` collects what it saw."""

    def make() -> discord.Client:
        intents = discord.Intents.default()
        intents.members = members_intent
        bot = commands.Bot(command_prefix="!", intents=intents, allowed_mentions=MENTIONS)
        tree = bot.tree
        events: list[tuple[str, int]] = record.setdefault("events", [])

        @bot.event
        async def on_member_join(member: discord.Member) -> None:
            events.append(("join", member.id))

        @bot.event
        async def on_member_remove(member: discord.Member) -> None:
            events.append(("remove", member.id))

        @bot.event
        async def on_raw_member_remove(payload: discord.RawMemberRemoveEvent) -> None:
            events.append(("raw_remove", payload.user.id))

        @bot.event
        async def on_member_update(before: discord.Member, after: discord.Member) -> None:
            events.append(("update", after.id))

        @bot.event
        async def on_thread_create(thread: discord.Thread) -> None:
            events.append(("thread", thread.id))

        @tree.command(name="qui", description="Le nom affiché du membre")
        async def qui(interaction: discord.Interaction) -> None:
            await interaction.response.send_message(interaction.user.display_name)

        @tree.command(name="ping", description="Répond pong")
        @app_commands.describe(secret="en privé")
        async def ping(interaction: discord.Interaction, secret: bool = False) -> None:
            await interaction.response.send_message("pong", ephemeral=secret)

        @tree.command(name="lent", description="Réponse différée")
        async def lent(interaction: discord.Interaction) -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            await interaction.followup.send("fini")
            await interaction.followup.send("et encore")

        @tree.command(name="vote", description="Un vote")
        async def vote(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("Votes : 0", view=Vote())

        @tree.command(name="proposer", description="Ouvre un formulaire")
        async def proposer(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(Ask())

        async def fruits(_: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
            names = ["cerise", "citron", "pomme", "poire"]
            return [app_commands.Choice(name=n, value=n) for n in names if n.startswith(current)]

        @tree.command(name="fruit", description="Choisir un fruit")
        @app_commands.autocomplete(nom=fruits)
        async def fruit(interaction: discord.Interaction, nom: str) -> None:
            await interaction.response.send_message(f"fruit {nom}")

        @tree.command(name="poster", description="Poste dans le salon, avec nonce")
        async def poster(interaction: discord.Interaction, nonce: str, fois: int = 1) -> None:
            await interaction.response.defer(ephemeral=True)
            assert isinstance(interaction.channel, discord.TextChannel)
            ids = set()
            for _ in range(fois):
                try:
                    msg = await interaction.channel.send("annonce", nonce=nonce)
                    ids.add(msg.id)
                except discord.HTTPException as error:
                    await interaction.followup.send(f"erreur {error.code}")
                    return
            await interaction.followup.send(f"ids {len(ids)}")

        @tree.command(name="mp", description="Écrit en message privé")
        async def mp(interaction: discord.Interaction, membre: discord.User) -> None:
            try:
                await membre.send("coucou", file=discord.File(io.BytesIO(b"a;b\n1;2\n"), "t.csv"))
                await interaction.response.send_message("envoyé", ephemeral=True)
            except discord.Forbidden as error:
                await interaction.response.send_message(f"fermé {error.code}", ephemeral=True)

        @tree.command(name="fil", description="Fil privé, membre, archivage")
        async def fil(interaction: discord.Interaction, membre: discord.Member) -> None:
            channel = interaction.channel
            assert isinstance(channel, discord.TextChannel)
            await interaction.response.defer(ephemeral=True)
            thread = await channel.create_thread(
                name="suivi", type=discord.ChannelType.private_thread
            )
            await thread.add_user(membre)
            await thread.send(f"Bienvenue {membre.mention}")
            await thread.edit(archived=True)
            event = await interaction.guild.create_scheduled_event(  # type: ignore[union-attr]
                name="Atelier",
                start_time=discord.utils.utcnow() + timedelta(days=1),
                end_time=discord.utils.utcnow() + timedelta(days=1, hours=2),
                entity_type=discord.EntityType.external,
                privacy_level=discord.PrivacyLevel.guild_only,
                location="Montréal",
            )
            await event.edit(name="Atelier (déplacé)")
            forum = discord.utils.get(interaction.guild.forums, name="entraide")  # type: ignore[union-attr]
            assert forum is not None
            post = await forum.create_thread(name="Question", content="Bonjour")
            await interaction.followup.send(f"ok {thread.id} {event.id} {post.thread.id}")

        @tree.command(name="echo", description="Poste un message dans le salon")
        async def echo(interaction: discord.Interaction, texte: str) -> None:
            assert isinstance(interaction.channel, discord.TextChannel)
            try:
                await interaction.channel.send(texte)
                await interaction.response.send_message("posté", ephemeral=True)
            except discord.Forbidden as error:
                await interaction.response.send_message(f"refusé {error.code}", ephemeral=True)

        async def setup_hook() -> None:
            record["synced"] = await tree.sync()

        async def before_identify_hook(shard_id: int | None, *, initial: bool = False) -> None:
            pass  # one shard: skip discord.py's 5 s courtesy pause before a re-IDENTIFY

        bot.before_identify_hook = before_identify_hook  # type: ignore[method-assign]

        bot.setup_hook = setup_hook  # type: ignore[method-assign]
        return bot

    return make


def sharded_factory(record: dict[str, Any]) -> Callable[[], discord.Client]:
    """An AutoShardedClient asking /gateway/bot how many shards to run; /ping answers with the
    shard that received the interaction."""

    def make() -> discord.Client:
        client = discord.AutoShardedClient(
            intents=discord.Intents.default(), allowed_mentions=MENTIONS
        )
        tree = app_commands.CommandTree(client)

        @tree.command(name="ping", description="Répond avec son shard")
        async def ping(interaction: discord.Interaction) -> None:
            shard = interaction.guild.shard_id if interaction.guild else "dm"
            await interaction.response.send_message(f"pong {shard}")

        async def setup_hook() -> None:
            record["synced"] = await tree.sync()

        async def before_identify_hook(shard_id: int | None, *, initial: bool = False) -> None:
            pass  # skip discord.py's 5 s pause between shards

        client.setup_hook = setup_hook  # type: ignore[method-assign]
        client.before_identify_hook = before_identify_hook  # type: ignore[method-assign]
        return client

    return make

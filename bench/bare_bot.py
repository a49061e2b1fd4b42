"""The baseline: a bare discord.py bot (~30 lines) on the same loopback Discord.

It answers every button and slash command with an ephemeral « ok » and logs « bare ready »;
the benchmarks run it side by side with Passerelle and print Passerelle's figures as ratios.
"""

import logging
import os

import discord
import discord.gateway
import discord.http
import yarl

discord.http.Route.BASE = os.environ["DISCORD_API_BASE"].rstrip("/")
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["DISCORD_GATEWAY_URL"])
logging.basicConfig(level=logging.WARNING)
log = logging.getLogger("bare")
log.setLevel(logging.INFO)
# Passerelle's wait for late servers before « ready » (discord.py's default is 2 s).
client = discord.Client(intents=discord.Intents.default(), guild_ready_timeout=0.5)


@client.event
async def on_ready() -> None:
    log.info("bare ready: %d servers", len(client.guilds))


@client.event
async def on_interaction(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("ok", ephemeral=True)


client.run(os.environ["DISCORD_TOKEN"], log_handler=None)

"""A small discord.py bot run as its own process against the loopback Discord: some shards of
an AutoShardedClient, answering `/ping` with the shard that received it. For the server's
multi-process tests (tests/e2e/test_discord_server.py); Passerelle's own process is
`python -m bot run` (process.spawn_bot).

    DISCORD_TOKEN=… DISCORD_API_BASE=… DISCORD_GATEWAY_URL=… \\
        python -m discord_server.probe --shard-ids 0 --shard-count 2 [--sync]

Prints one JSON line once ready: {"shards": [...], "guilds": [...]}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
from typing import Any

import discord
import yarl
from discord import app_commands


def make_probe(shard_ids: list[int], shard_count: int, *, sync: bool) -> discord.Client:
    client = discord.AutoShardedClient(
        intents=discord.Intents.default(),
        shard_ids=shard_ids,
        shard_count=shard_count,
        allowed_mentions=discord.AllowedMentions.none(),
    )
    tree = app_commands.CommandTree(client)

    @tree.command(name="ping", description="Répond avec son shard")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"pong {interaction.guild.shard_id}")  # type: ignore[union-attr]

    async def setup_hook() -> None:
        if sync:  # once for the cluster: the process holding shard 0
            await tree.sync()

    async def before_identify_hook(shard_id: int | None, *, initial: bool = False) -> None:
        pass  # max_concurrency is not enforced by the loopback gateway: no 5 s pause

    async def on_ready() -> None:
        guilds = sorted(str(g.id) for g in client.guilds)
        print(json.dumps({"shards": sorted(client.shards), "guilds": guilds}), flush=True)

    client.setup_hook = setup_hook  # type: ignore[method-assign]
    client.before_identify_hook = before_identify_hook  # type: ignore[method-assign]
    client.event(on_ready)
    return client


async def run(args: argparse.Namespace) -> None:
    discord.http.Route.BASE = os.environ["DISCORD_API_BASE"]
    gateway_url = yarl.URL(os.environ["DISCORD_GATEWAY_URL"])
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway_url
    client = make_probe(args.shard_ids, args.shard_count, sync=args.sync)
    loop = asyncio.get_running_loop()
    stopping: list[Any] = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stopping.append(loop.create_task(client.close())))
    async with client:
        await client.start(os.environ["DISCORD_TOKEN"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m discord_server.probe")
    parser.add_argument("--shard-ids", type=int, nargs="+", required=True)
    parser.add_argument("--shard-count", type=int, required=True)
    parser.add_argument("--sync", action="store_true", help="sync the /ping command")
    asyncio.run(run(parser.parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

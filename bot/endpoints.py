"""Where discord.py sends requests: Discord itself, or a REST proxy / the project's test server."""

from __future__ import annotations

import discord.gateway
import discord.http
import yarl

DISCORD_API_BASE = "https://discord.com/api/v10"
DISCORD_GATEWAY = "wss://gateway.discord.gg/"


def use_endpoints(api_base: str, gateway: str) -> None:
    """Point discord.py at `api_base` (REST, v10) and `gateway` (websocket).

    discord.py reads these two class attributes on every request and connection; a guard test
    (tests/e2e/test_discord_server.py) fails if a new discord.py moves them.
    """
    discord.http.Route.BASE = api_base.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)

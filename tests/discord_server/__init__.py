"""A loopback Discord (REST v10 + gateway) for end-to-end tests of the real bot.

See tests/README.md. Entry point: `driver.Harness` (the `world` fixture in tests/conftest.py).
"""

from .driver import GuildHandle, Harness, Reply
from .server import DiscordServer

__all__ = ["DiscordServer", "GuildHandle", "Harness", "Reply"]

"""`/config`: the moderators' per-server settings, in chat."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.config.cog import ConfigCog

if TYPE_CHECKING:
    from bot.client import Passerelle


async def setup(bot: Passerelle) -> None:
    await bot.add_cog(ConfigCog(bot))

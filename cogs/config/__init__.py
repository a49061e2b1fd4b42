"""`/config`: the moderators' per-server settings, in chat; `/rappels`: each member's own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.config.cog import ConfigCog
from cogs.config.rappels import RappelsCog

if TYPE_CHECKING:
    from bot.client import Passerelle


async def setup(bot: Passerelle) -> None:
    await bot.add_cog(ConfigCog(bot))
    await bot.add_cog(RappelsCog(bot))

"""`/aide`: what the bot can do, in the member's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.aide.cog import AideCog

if TYPE_CHECKING:
    from bot.client import Passerelle


async def setup(bot: Passerelle) -> None:
    await bot.add_cog(AideCog(bot))

"""`/aide`: what the bot can do, in the member's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.ui import bind
from cogs.aide.cog import AideCog
from cogs.aide.flows import AideFlows
from cogs.aide.views import PageButton

if TYPE_CHECKING:
    from bot.client import Passerelle


async def setup(bot: Passerelle) -> None:
    flows = AideFlows(bot)
    bot.add_dynamic_items(*bind(flows, PageButton))
    await bot.add_cog(AideCog(bot, flows))

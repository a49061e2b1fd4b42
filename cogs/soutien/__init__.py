"""Soutien entre pairs: private and anonymous peer-support threads, help lines, secrecy guard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.soutien.cog import SoutienCog
from cogs.soutien.flows import SoutienFlows
from cogs.soutien.handlers import DailyPurge, ReplyNotice, SoutienData
from cogs.soutien.service import PURGE_KIND, REPLY_KIND
from cogs.soutien.store import SoutienStore
from cogs.soutien.views import LinesPageButton, LinesRegionSelect

if TYPE_CHECKING:
    from bot.client import Passerelle


async def setup(bot: Passerelle) -> None:
    flows = SoutienFlows(bot, SoutienStore(bot.db))
    bot.add_dynamic_items(*flows.views.items, LinesPageButton, LinesRegionSelect)
    bot.reminders.register(REPLY_KIND, ReplyNotice(flows))
    bot.reminders.register(PURGE_KIND, DailyPurge(flows))
    bot.personal_data.register("soutien", SoutienData(flows))
    await bot.add_cog(SoutienCog(bot, flows))

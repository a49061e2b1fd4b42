"""Soutien entre pairs: private and anonymous peer-support threads, help lines, secrecy guard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.soutien.cog import SoutienCog
from cogs.soutien.flows import PURGE_KIND, REPLY_KIND
from cogs.soutien.jobs import DailyPurge, ReplyNotice, SoutienData
from cogs.soutien.views import DYNAMIC_ITEMS

if TYPE_CHECKING:
    from bot.client import Passerelle


async def setup(bot: Passerelle) -> None:
    cog = SoutienCog(bot)
    bot.reminders.register(REPLY_KIND, ReplyNotice(cog))
    bot.reminders.register(PURGE_KIND, DailyPurge(cog))
    bot.personal_data.register("soutien", SoutienData(cog))
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(cog)

"""`/apero`: weekly video apéros, announced and reminded by the bot, run by moderators or by
the member they chose to host a series (issues 6 and 17)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.apero.cog import AperoCog
from cogs.apero.flows import AperoFlows
from cogs.apero.handlers import AperoAgenda, AperoData, AperoReminders
from cogs.apero.service import Kind
from cogs.apero.store import AperoStore

if TYPE_CHECKING:
    from bot.client import Passerelle


async def setup(bot: Passerelle) -> None:
    store = AperoStore(bot.db)
    flows = AperoFlows(bot, store)
    bot.add_dynamic_items(*flows.views.items)
    bot.reminders.register(Kind.REMINDER, AperoReminders(flows))
    bot.personal_data.register("apero", AperoData(flows))
    bot.agenda.register("apero", AperoAgenda(store))
    await bot.add_cog(AperoCog(bot, flows))

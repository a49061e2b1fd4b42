"""Rencontres: networking meet-ups with RSVP, waiting list, reminders and calendars (issue 5)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.rencontres.cog import RencontresCog
from cogs.rencontres.flows import RencontresFlows
from cogs.rencontres.handlers import RencontresAgenda, RencontresData, handlers
from cogs.rencontres.polls.handlers import handlers as poll_handlers
from cogs.rencontres.store import RencontreStore

if TYPE_CHECKING:
    from bot.client import Passerelle


async def setup(bot: Passerelle) -> None:
    store = RencontreStore(bot.db)
    flows = RencontresFlows(bot, store)
    bot.add_dynamic_items(*flows.views.items, *flows.polls.views.items, *flows.groups.views.items)
    for kind, handler in (handlers(flows) | poll_handlers(flows.polls)).items():
        bot.reminders.register(kind, handler)
    bot.personal_data.register("rencontres", RencontresData(flows))
    bot.agenda.register("rencontres", RencontresAgenda(store))
    await bot.add_cog(RencontresCog(bot, flows))

"""`/agenda`: the agenda outside Discord — calendar links for a server and for each member, and
the server's public page (issue 18). The web side that serves them is the core's (`bot.web`);
what goes in them comes from the features' agenda providers (`bot.agenda`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.agenda.cog import AgendaCog
from cogs.agenda.flows import AgendaFlows
from cogs.agenda.handlers import MemberLinkData
from cogs.agenda.views import AgendaViews

if TYPE_CHECKING:
    from bot.client import Passerelle


async def setup(bot: Passerelle) -> None:
    flows = AgendaFlows(bot, bot.web_store)
    views = AgendaViews(flows)
    flows.views = views
    bot.add_dynamic_items(*views.items)
    bot.personal_data.register("agenda", MemberLinkData(bot.web_store))
    await bot.add_cog(AgendaCog(flows))

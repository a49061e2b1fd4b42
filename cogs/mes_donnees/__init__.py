"""`/mes-donnees`: what Passerelle stores about a member, and its erasure (GDPR, Québec Law 25)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.mes_donnees.cog import MesDonneesCog
from cogs.mes_donnees.flows import MesDonneesFlows

if TYPE_CHECKING:
    from bot.client import Passerelle


async def setup(bot: Passerelle) -> None:
    flows = MesDonneesFlows(bot)
    bot.add_dynamic_items(*flows.views.items)
    await bot.add_cog(MesDonneesCog(bot, flows))

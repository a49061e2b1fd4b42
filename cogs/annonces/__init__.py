"""`/annonce`: announcements scheduled by moderators, delivered by the reminder engine."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.annonces.cog import AnnoncesCog
from cogs.annonces.flows import AnnoncesFlows
from cogs.annonces.handlers import AnnouncementData, AnnouncementDelivery
from cogs.annonces.service import KIND
from cogs.annonces.store import AnnouncementStore

if TYPE_CHECKING:
    from bot.client import Passerelle


async def setup(bot: Passerelle) -> None:
    store = AnnouncementStore(bot.db)
    flows = AnnoncesFlows(bot, store)
    bot.reminders.register(KIND, AnnouncementDelivery(bot.settings_store, store))
    bot.personal_data.register("annonces", AnnouncementData(store))
    await bot.add_cog(AnnoncesCog(flows))

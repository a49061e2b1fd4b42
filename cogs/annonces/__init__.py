"""`/annonce`: announcements scheduled by moderators, delivered by the reminder engine."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.annonces.cog import AnnoncesCog
from cogs.annonces.delivery import AnnouncementData, AnnouncementDelivery
from cogs.annonces.service import KIND
from cogs.annonces.store import AnnouncementStore

if TYPE_CHECKING:
    from bot.client import Passerelle


async def setup(bot: Passerelle) -> None:
    store = AnnouncementStore(bot.db)
    bot.reminders.register(KIND, AnnouncementDelivery(bot, store))
    bot.personal_data.register("annonces", AnnouncementData(store))
    await bot.add_cog(AnnoncesCog(bot, store))

"""Rencontres: networking meet-ups with RSVP, waiting list, reminders and calendars (issue 5)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.rencontres import reminders
from cogs.rencontres.actions import Actions
from cogs.rencontres.cog import RencontresCog
from cogs.rencontres.personal import RappelsCog
from cogs.rencontres.store import RencontreStore
from cogs.rencontres.views import DraftButton, PageButton, RsvpButton

if TYPE_CHECKING:
    from bot.client import Passerelle


async def setup(bot: Passerelle) -> None:
    store = RencontreStore(bot.db)
    actions = Actions(bot, store)
    reminders.register(bot, actions)
    bot.add_dynamic_items(RsvpButton, DraftButton, PageButton)
    bot.personal_data.register("rencontres", store)
    await bot.add_cog(RencontresCog(bot, store, actions))
    await bot.add_cog(RappelsCog(bot))

"""`/apero`: weekly video apéros, announced and reminded by the bot (issue 6)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.personal_data import Field, Item, Records
from cogs.apero.cog import AperoCog
from cogs.apero.delivery import AperoReminders
from cogs.apero.service import KIND
from cogs.apero.views import DeleteButton, DraftButton, GoButton

if TYPE_CHECKING:
    from bot.client import Passerelle


class AperoPersonalData:
    """Who said « Je serai là », and who created a series."""

    def __init__(self, cog: AperoCog) -> None:
        self.store = cog.service.store

    async def export(self, user_id: int) -> list[Item]:
        rows = await self.store.attendance_of(user_id)
        created = await self.store.series_created_by(user_id)
        return [
            Records.of(
                "apero.data.attendance",
                (
                    (Field("apero.data.series", r["name"]), Field("apero.data.day", r["day"]))
                    for r in rows
                ),
            ),
            Records.of(
                "apero.data.created", ((Field("apero.data.series", name),) for name in created)
            ),
        ]

    async def erase(self, user_id: int) -> int:
        return await self.store.erase_member(user_id)


async def setup(bot: Passerelle) -> None:
    cog = AperoCog(bot)
    await bot.add_cog(cog)
    bot.reminders.register(KIND, AperoReminders(bot, cog.service))
    bot.add_dynamic_items(GoButton, DraftButton, DeleteButton)
    bot.personal_data.register("apero", AperoPersonalData(cog))

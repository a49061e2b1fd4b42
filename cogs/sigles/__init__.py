"""Sigles: the France–Québec glossary of social-work acronyms, `/sigle` and `/glossaire`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.sigles.cog import SiglesCog
from cogs.sigles.flows import DECISION_KIND, DecisionNotice, SiglesData
from cogs.sigles.glossary import load_glossary
from cogs.sigles.rotation import KIND as WEEKLY_KIND
from cogs.sigles.views import DYNAMIC_ITEMS

if TYPE_CHECKING:
    from bot.client import Passerelle


async def setup(bot: Passerelle) -> None:
    # Loaded and validated once, here: a broken data file keeps this feature out, not the bot.
    cog = SiglesCog(bot, load_glossary())
    bot.reminders.register(DECISION_KIND, DecisionNotice(cog.flows))
    bot.reminders.register(WEEKLY_KIND, cog.weekly)
    bot.personal_data.register("sigles", SiglesData(cog))
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(cog)

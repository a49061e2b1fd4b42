"""Sigles: the France–Québec glossary of social-work acronyms, `/sigle` and `/glossaire`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.ui import bind
from cogs.sigles.cog import SiglesCog
from cogs.sigles.flows import DECISION_KIND, SiglesFlows
from cogs.sigles.glossary import load_glossary
from cogs.sigles.handlers import DecisionNotice, SiglesData, WeeklyPosts
from cogs.sigles.rotation import KIND as WEEKLY_KIND
from cogs.sigles.store import SiglesStore
from cogs.sigles.views import DYNAMIC_ITEMS

if TYPE_CHECKING:
    from bot.client import Passerelle


async def setup(bot: Passerelle) -> None:
    # Loaded and validated once, here: a broken data file keeps this feature out, not the bot.
    shipped = load_glossary()
    store = SiglesStore(bot.db)
    flows = SiglesFlows(bot, store, shipped)
    await store.follow(flows.libraries.changed_elsewhere)  # other processes' changes
    bot.add_dynamic_items(*bind(flows, *DYNAMIC_ITEMS))
    bot.reminders.register(DECISION_KIND, DecisionNotice(store))
    bot.reminders.register(WEEKLY_KIND, WeeklyPosts(flows))
    bot.personal_data.register("sigles", SiglesData(flows))
    bot.add_listener(flows.on_guild_remove)
    # The shipped glossary's index is built once the bot is ready, off the loop (not at start).
    bot.add_listener(flows.libraries.prepare, "on_ready")
    await bot.add_cog(SiglesCog(bot, flows))

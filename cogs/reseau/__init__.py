"""Réseau: professional profiles, a directory, contacts made with consent, and mentoring across
the Atlantic (issue 15)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from bot.secrecy import describe, kinds_found
from cogs.reseau.cog import ReseauCog
from cogs.reseau.flows import CHECKIN_KIND, EXPIRY_KIND, ReseauFlows
from cogs.reseau.handlers import (
    PRUNE_KIND,
    PRUNE_REF,
    CheckinHandler,
    ExpiryHandler,
    PruneHandler,
    ReseauData,
    prune_schedule,
)
from cogs.reseau.store import ReseauStore

if TYPE_CHECKING:
    from bot.client import Passerelle


class SecrecyGuard:
    """The core's professional-secrecy guard, run off the event loop (it may use a model)."""

    async def scan(self, text: str, now: datetime) -> list[str]:
        return await asyncio.to_thread(kinds_found, text, ref_year=now.year)

    def describe(self, kinds: Sequence[str], lang: str) -> str:
        return describe(list(kinds), lang)


async def setup(bot: Passerelle) -> None:
    store = ReseauStore(bot.db)
    flows = ReseauFlows(bot, store, SecrecyGuard())
    bot.add_dynamic_items(*flows.common.ui.items)
    bot.reminders.register(EXPIRY_KIND, ExpiryHandler(flows))
    bot.reminders.register(CHECKIN_KIND, CheckinHandler(flows))
    bot.reminders.register(PRUNE_KIND, PruneHandler(flows))
    await bot.reminders.schedule(PRUNE_KIND, PRUNE_REF, None, prune_schedule(bot.clock.now()))
    bot.personal_data.register("reseau", ReseauData(bot, flows))
    await bot.add_cog(ReseauCog(bot, flows))

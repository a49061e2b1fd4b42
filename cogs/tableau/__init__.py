"""Le tableau (issue 16): offers and news of structures in forum channels, private alerts, the
weekly digest « Les nouvelles de la semaine », and RSS/Atom feeds polled politely and safely."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.net import FetchPolicy, SafeFetcher
from cogs.tableau.cog import TableauCog
from cogs.tableau.flows import TableauFlows
from cogs.tableau.flows.posts import APPROVAL_KIND
from cogs.tableau.handlers import TableauData, handlers
from cogs.tableau.store import TableauStore

if TYPE_CHECKING:
    from bot.client import Passerelle


async def setup(bot: Passerelle) -> None:
    store = TableauStore(bot.db)
    fetcher = SafeFetcher(
        FetchPolicy(
            loopback_ports=bot.settings.fetch_loopback_ports,
            min_interval=bot.settings.fetch_min_interval,
            total_timeout=bot.settings.fetch_timeout,
        )
    )
    flows = TableauFlows(bot, store, fetcher)
    bot.add_dynamic_items(*flows.views.items)
    for kind, handler in handlers(flows).items():
        bot.reminders.register(kind, handler)
    bot.approvals.register(APPROVAL_KIND, flows.posts)
    bot.personal_data.register("tableau", TableauData(store, flows))
    if await store.feeds.any():  # polls resume at start-up
        await flows.feeds.ensure_tick(at_once=True)
    await bot.add_cog(TableauCog(bot, flows))

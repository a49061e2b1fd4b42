"""Guide: the steps that matter to a social worker who moves between France and Québec
(/guide france-quebec, /guide quebec-france), from reviewable files with sources (issue 15)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.guide.cog import GuideCog
from cogs.guide.flows import GuideFlows
from cogs.guide.service import Direction, guide

if TYPE_CHECKING:
    from bot.client import Passerelle


async def setup(bot: Passerelle) -> None:
    for direction in Direction:
        guide(direction)  # a broken file stops the feature at start-up, not a member's command
    flows = GuideFlows()
    bot.add_dynamic_items(*flows.ui.items)
    await bot.add_cog(GuideCog(bot, flows))

"""Guide: the steps that matter to a social worker who moves between France and Québec
(/guide france-quebec, /guide quebec-france), from reviewable files with sources (issue 15)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.client import Passerelle


async def setup(bot: Passerelle) -> None:
    """The Discord side comes next."""

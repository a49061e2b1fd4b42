"""Réseau: professional profiles, a directory, contacts made with consent, mentoring across the
Atlantic, and the guide for those who move (issue 15). The Discord side comes next."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.client import Passerelle


async def setup(bot: Passerelle) -> None:
    """Nothing on Discord yet: the rules, the store and the guide come first."""

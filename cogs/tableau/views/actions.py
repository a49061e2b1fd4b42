"""What the buttons and forms of Le tableau ask of its workflows (declared here: views never
import flows), and the context a form carries from its slash command."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import discord

from cogs.tableau.service import PostAction, PostKind

Interaction = discord.Interaction[Any]


@dataclass(frozen=True)
class Context:
    """What the slash command already read before its form opened."""

    kind: PostKind
    category: str
    place_code: str | None
    country: str | None
    city: str
    professions: tuple[str, ...] = ()


class Actions(Protocol):
    async def post_action(
        self, interaction: Interaction, post_id: int, action: PostAction
    ) -> None: ...

    async def remove(self, interaction: Interaction, post_id: int) -> None: ...

    async def search_page(self, interaction: Interaction, state: str) -> None: ...

    async def draft(self, interaction: Interaction, post_id: int, send: bool) -> None: ...

    async def submit_post(
        self, interaction: Interaction, context: Context, fields: dict[str, str]
    ) -> None: ...

    async def submit_edit(
        self, interaction: Interaction, post_id: int, fields: dict[str, str]
    ) -> None: ...

    async def save_alert(
        self, interaction: Interaction, kind: PostKind, choices: dict[str, Any]
    ) -> None: ...

    async def report(self, interaction: Interaction, post_id: int, reason: str) -> None: ...

"""One-time notes to a member, shown (ephemerally) after the next command they use.

For what could not reach them by DM — their DMs are closed — and must not be posted anywhere
public (a job alert, the decision on something they proposed). A feature calls
`await bot.notices.add(user_id, key, text)` with the text already in the member's language; one
note per (member, key), a newer one replacing the older. The bot shows them after the member's
next successful slash command, then forgets them.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import discord

from bot.db import Database
from bot.discord_text import CONTENT_LIMIT, truncate
from bot.notices.store import NoticeStore
from bot.personal_data import Field, Item, Records

log = logging.getLogger(__name__)

SEPARATOR = "\n\n"


class Notices:
    def __init__(self, db: Database) -> None:
        self.store = NoticeStore(db)
        self._waiting: set[int] = set()  # members with a note: no query for everyone else

    async def load(self) -> None:
        self._waiting = set(await self.store.users())

    async def add(
        self, user_id: int, key: str, text: str, now: datetime, *, guild_id: int | None = None
    ) -> None:
        await self.store.put(user_id, guild_id, key, text, now)
        self._waiting.add(user_id)

    def waiting(self, user_id: int) -> bool:
        return user_id in self._waiting

    async def deliver(self, interaction: discord.Interaction[Any]) -> None:
        """After a command: the member's notes, in one ephemeral follow-up, then forgotten."""
        user_id = interaction.user.id
        if user_id not in self._waiting:
            return
        notes = await self.store.of(user_id)
        if not notes:
            self._waiting.discard(user_id)
            return
        text = truncate(SEPARATOR.join(text for _, text, _ in notes), CONTENT_LIMIT)
        try:
            await interaction.followup.send(text, ephemeral=True)
        except discord.HTTPException as error:
            log.info("could not show a member their notes (%s); kept for next time", error)
            return
        await self.store.drop([note_id for note_id, _, _ in notes])
        self._waiting.discard(user_id)

    # -- personal data --------------------------------------------------------------------------
    async def export(self, user_id: int) -> list[Item]:
        return [
            Records.of(
                "notices.data.waiting",
                (
                    (Field("notices.data.text", text), Field("notices.data.created_at", at))
                    for _, text, at in await self.store.of(user_id)
                ),
            )
        ]

    async def erase(self, user_id: int) -> int:
        self._waiting.discard(user_id)
        return await self.store.erase(user_id)

"""The reminder-engine handler: what an announcement looks like when its time comes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.discord_text import truncate
from bot.i18n import t
from bot.reminders import DueItem, OneShotHandler, Outgoing, Schedule
from cogs.annonces.service import id_from_ref
from cogs.annonces.store import AnnouncementStore

if TYPE_CHECKING:
    from bot.client import Passerelle


class AnnouncementDelivery(OneShotHandler):
    def __init__(self, bot: Passerelle, store: AnnouncementStore) -> None:
        self.bot = bot
        self.store = store

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        announcement = await self.store.get(id_from_ref(item.ref))
        if announcement is None or announcement.status != "pending":
            return []
        lang = self.bot.settings_store.lang_of(announcement.guild_id)
        text = announcement.text
        if late:
            text = f"{text}\n\n-# {t('reminders.late_note', lang)}"
        return [Outgoing(target=f"channel:{announcement.channel_id}", content=truncate(text, 2000))]

    async def on_delivered(self, item: DueItem, target: str, message: discord.Message) -> None:
        await self.store.set_status(id_from_ref(item.ref), "sent")

    async def next_schedule(self, item: DueItem) -> Schedule | None:
        # The occurrence is settled: missed (bot down too long) or given up after retries, an
        # announcement still 'pending' will never be posted; it must not stay listed as such.
        await self.store.close_if_pending(id_from_ref(item.ref), "failed")
        return None

    async def on_permanent_failure(self, item: DueItem, target: str, code: str) -> bool:
        await self.store.set_status(id_from_ref(item.ref), "failed")
        return False  # the engine's own report to moderators says it well


class AnnouncementData:
    """What /mes-donnees shows and erases: the announcements a member scheduled."""

    def __init__(self, store: AnnouncementStore) -> None:
        self.store = store

    async def export(self, user_id: int) -> dict[str, object]:
        mine = await self.store.by_author(user_id)
        if not mine:
            return {}
        return {
            "announcements": [
                {"id": a.id, "due_at": a.due_at.isoformat(), "status": a.status, "text": a.text}
                for a in mine
            ]
        }

    async def erase(self, user_id: int) -> int:
        # The posts belong to the server; the link to their author is what is personal.
        return await self.store.forget_author(user_id)

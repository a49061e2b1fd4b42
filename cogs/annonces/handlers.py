"""The reminder-engine handler (an announcement when its time comes) and the personal-data
provider of announcements."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.personal_data import Field, Item, Label, Records
from bot.reminders import DueItem, OneShotHandler, Outgoing, Schedule
from cogs.annonces import render
from cogs.annonces.service import Status, id_from_ref
from cogs.annonces.store import AnnouncementStore

if TYPE_CHECKING:
    from bot.guild_settings import SettingsStore


class AnnouncementDelivery(OneShotHandler):
    def __init__(self, settings: SettingsStore, store: AnnouncementStore) -> None:
        self.settings = settings
        self.store = store

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        announcement = await self.store.get(id_from_ref(item.ref))
        if announcement is None or announcement.status is not Status.PENDING:
            return []
        text = render.posted_text(
            announcement, self.settings.lang_of(announcement.guild_id), late=late
        )
        return [Outgoing(target=f"channel:{announcement.channel_id}", content=text)]

    async def on_delivered(self, item: DueItem, target: str, message: discord.Message) -> None:
        await self.store.set_status(id_from_ref(item.ref), Status.SENT)

    async def next_schedule(self, item: DueItem) -> Schedule | None:
        # The occurrence is settled: missed (bot down too long) or given up after retries, an
        # announcement still 'pending' will never be posted; it must not stay listed as such.
        await self.store.close_if_pending(id_from_ref(item.ref), Status.FAILED)
        return None

    async def on_permanent_failure(self, item: DueItem, target: str, code: str) -> bool:
        await self.store.set_status(id_from_ref(item.ref), Status.FAILED)
        return False  # the engine's own report to moderators says it well


class AnnouncementData:
    """What /mes-donnees shows and erases: the announcements a member scheduled."""

    def __init__(self, store: AnnouncementStore) -> None:
        self.store = store

    async def export(self, user_id: int) -> list[Item]:
        mine = await self.store.by_author(user_id)
        return [
            Records.of(
                "annonce.data.announcements",
                (
                    (
                        Field("annonce.data.number", a.id),
                        Field("annonce.data.due_at", a.due_at),
                        Field("annonce.data.state", Label(f"annonce.data.state.{a.status}")),
                        Field("annonce.data.text", a.text),
                    )
                    for a in mine
                ),
            )
        ]

    async def erase(self, user_id: int) -> int:
        # The posts belong to the server; the link to their author is what is personal.
        return await self.store.forget_author(user_id)

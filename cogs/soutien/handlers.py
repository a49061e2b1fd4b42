"""What the reminder engine runs for the support space, and its personal-data provider."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.i18n import t
from bot.personal_data import Field, Item, Records
from bot.reminders import DueItem, OneShotHandler, Outgoing, Schedule
from cogs.soutien import service
from cogs.soutien.render import thread_url

if TYPE_CHECKING:
    from cogs.soutien.flows import SoutienFlows


class ReplyNotice(OneShotHandler):
    """ "A new reply in your thread", by DM, to anonymous authors who asked for it.

    The item's ref is an opaque token: the recipient is looked up at send time, so a link
    purged or erased meanwhile means no DM. Never a fallback to a channel: a mention there
    would reveal who wrote.
    """

    def __init__(self, flows: SoutienFlows) -> None:
        self.flows = flows

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        found = await self.flows.store.author_for_ref(item.ref)
        if found is None or item.guild_id is None:
            return []
        author_id, thread_id = found
        lang = self.flows.bot.settings_store.lang_of(item.guild_id)
        url = thread_url(item.guild_id, thread_id)
        return [Outgoing(target=f"dm:{author_id}", content=t("soutien.notify.dm", lang, url=url))]


class DailyPurge(OneShotHandler):
    """The retention purge, once a day (also run at start and after every post)."""

    def __init__(self, flows: SoutienFlows) -> None:
        self.flows = flows

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        await self.flows.retention.purge(self.flows.bot.clock.now())
        return []

    async def next_schedule(self, item: DueItem) -> Schedule | None:
        due = self.flows.bot.clock.now() + service.PURGE_EVERY
        return Schedule(occurrence=due.isoformat(), due_at=due)


class SoutienData:
    """`/mes-donnees`: what the support space holds about a member, and its erasure.

    Moderation blocks are kept on erasure (a keyed hash, not the id): erasing them would let a
    blocked author post again; the export says so.
    """

    def __init__(self, flows: SoutienFlows) -> None:
        self.flows = flows

    async def export(self, user_id: int) -> list[Item]:
        store = self.flows.store
        key = service.author_key(await store.secret(), user_id)
        now = self.flows.bot.clock.now()
        return [
            Records.of(
                "soutien.data.links",
                (
                    (
                        Field("soutien.data.thread", thread_url(x.guild_id, x.thread_id)),
                        Field("soutien.data.pseudonym", x.pseudonym),
                        Field("soutien.data.notify", x.notify),
                        Field("soutien.data.last_used", x.last_used),
                    )
                    for x in await store.links_of(user_id)
                ),
            ),
            Records.of(
                "soutien.data.private_threads",
                (
                    (Field("soutien.data.thread", thread_url(guild_id, thread_id)),)
                    for guild_id, thread_id in await store.private_threads_of(user_id)
                ),
            ),
            Records.of(
                "soutien.data.recent_posts",
                (
                    (Field("soutien.data.posted_at", at),)
                    for at in await store.recent_posts(key, now - service.RATE_WINDOW)
                ),
            ),
            Records.of(
                "soutien.data.blocks",
                (
                    (
                        Field("soutien.data.server", str(b.guild_id)),
                        Field("soutien.data.pseudonym", b.pseudonym),
                        Field("soutien.data.blocked_at", b.at),
                    )
                    for b in await store.blocks_of(key)
                ),
            ),
        ]

    async def erase(self, user_id: int) -> int:
        store = self.flows.store
        refs = await store.erase_links(user_id)
        for ref in refs:
            if ref:
                await self.flows.bot.reminders.cancel(service.REPLY_KIND, ref)
        key = service.author_key(await store.secret(), user_id)
        return len(refs) + await store.forget_opener(user_id) + await store.erase_rate(key)

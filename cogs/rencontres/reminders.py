"""Reminder-engine handlers: reminders before the start, promotions, the end of an event."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord

from bot.discord_text import CONTENT_LIMIT, escape, truncate, ts
from bot.i18n import t
from bot.reminders import DueItem, OneShotHandler, Outgoing
from cogs.rencontres import render
from cogs.rencontres.actions import Actions

if TYPE_CHECKING:
    from bot.client import Passerelle

log = logging.getLogger(__name__)


def _users(user_ids: list[int]) -> discord.AllowedMentions:
    return discord.AllowedMentions(
        everyone=False, roles=False, users=[discord.Object(u) for u in user_ids[:100]]
    )


class _Base(OneShotHandler):  # every Rencontres item happens once
    def __init__(self, bot: Passerelle, actions: Actions) -> None:
        self.bot = bot
        self.actions = actions
        self.store = actions.store

    def jump(self, guild_id: int, channel_id: int | None, message_id: int | None) -> str:
        if not channel_id or not message_id:
            return ""
        return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"

    async def on_permanent_failure(self, item: DueItem, target: str, code: str) -> bool:
        log.warning("rencontre %s: %s failed for good (%s)", item.ref, target, code)
        return False


class ReminderHandler(_Base):
    """`rencontre.rappel`: N minutes before the start, in the thread and by DM (opt-in)."""

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        event = await self.store.get(int(item.payload["id"]))
        if event is None or event.status != "published":
            return []
        going = (await self.store.attendance(event.id)).of("going")
        lang = event.lang
        title = escape(event.title)
        late_note = ("\n" + t("reminders.late_note", lang)) if late else ""
        text = t(
            "rencontre.reminder.thread",
            lang,
            title=title,
            full=ts(event.starts_at, "F"),
            relative=ts(event.starts_at, "R"),
        )
        where = render.where_text(event, lang)
        out = [
            Outgoing(
                target=f"channel:{event.thread_id or event.channel_id}",
                content=truncate(
                    f"{text}\n{where}{late_note}\n{render.mention_line(going)}".strip(),
                    CONTENT_LIMIT,
                ),
                allowed_mentions=_users(going),
            )
        ]
        link = self.jump(event.guild_id, event.channel_id, event.message_id)
        for user_id in going:
            member = await self.bot.settings_store.member(user_id)
            if not member.dm_reminders:
                continue
            dm = t(
                "rencontre.reminder.dm",
                lang,
                title=title,
                full=ts(event.starts_at, "F"),
                relative=ts(event.starts_at, "R"),
                link=link,
            )
            out.append(
                Outgoing(
                    target=f"dm:{user_id}",
                    content=truncate(f"{dm}\n{where}{late_note}", CONTENT_LIMIT),
                    fallback_channel_id=event.thread_id or event.channel_id,
                    fallback_content=t(
                        "rencontre.reminder.dm_fallback",
                        lang,
                        mention=render.mention(user_id),
                        title=title,
                        relative=ts(event.starts_at, "R"),
                    ),
                )
            )
        return out


class PromotionHandler(_Base):
    """`rencontre.promotion`: a member moved from the waiting list to the attendees."""

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        event = await self.store.get(int(item.payload["id"]))
        user_id = int(item.payload["user"])
        if event is None or event.status != "published":
            return []
        if (await self.store.attendance(event.id)).status_of(user_id) != "going":
            return []  # withdrew again meanwhile
        lang, title = event.lang, escape(event.title)
        link = self.jump(event.guild_id, event.channel_id, event.message_id)
        return [
            Outgoing(
                target=f"dm:{user_id}",
                content=t(
                    "rencontre.promoted.dm",
                    lang,
                    title=title,
                    full=ts(event.starts_at, "F"),
                    link=link,
                ),
                fallback_channel_id=event.thread_id or event.channel_id,
                fallback_content=t(
                    "rencontre.promoted.mention",
                    lang,
                    mention=render.mention(user_id),
                    title=title,
                ),
            )
        ]


class EndHandler(_Base):
    """`rencontre.fin`: the event is over: archive it (no more answers) and say so."""

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        event = await self.store.get(int(item.payload["id"]))
        if event is None or event.status != "published":
            return []
        if event.ends_at > self.bot.clock.now():
            return []  # moved later meanwhile: its own item will come
        await self.store.set_fields(event.id, self.bot.clock.now(), status="archived")
        event = event.with_(status="archived")
        await self.actions.refresh(event)
        if not event.thread_id:
            return []
        return [
            Outgoing(
                target=f"channel:{event.thread_id}",
                content=t("rencontre.notice.ended", event.lang, title=escape(event.title)),
            )
        ]


def register(bot: Passerelle, actions: Actions) -> dict[str, Any]:
    from cogs.rencontres.actions import KIND_END, KIND_PROMOTION, KIND_REMINDER

    handlers = {
        KIND_REMINDER: ReminderHandler(bot, actions),
        KIND_PROMOTION: PromotionHandler(bot, actions),
        KIND_END: EndHandler(bot, actions),
    }
    for kind, handler in handlers.items():
        bot.reminders.register(kind, handler)
    return handlers

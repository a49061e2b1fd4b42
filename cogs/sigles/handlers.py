"""What the reminder engine and `/mes-donnees` ask of Sigles.

* `DecisionNotice`: "your suggestion was approved/rejected", by DM, or in the channel it came
  from when DMs are closed.
* `WeeklyPosts`: the sigle of the week. One engine item per server (kind ``sigles.semaine``,
  ref = the server id), due at the next post; after each post the engine asks `next_schedule`
  for the following week. The sigle is chosen when the post is rendered (see `rotation`) and
  remembered for that post, so a retried send shows the same one.
* `SiglesData`: suggestions a member made, entries credited to them or they added.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import discord

from bot import offload
from bot.discord_text import NO_MENTIONS, escape
from bot.i18n import t
from bot.personal_data import Field, Item, Label, Records
from bot.reminders import DueItem, OneShotHandler, Outgoing, Schedule
from cogs.sigles import render, rotation
from cogs.sigles.flows import DECISION_KIND, SiglesFlows
from cogs.sigles.glossary import Entry
from cogs.sigles.rotation import Shown
from cogs.sigles.service import Suggestion, SuggestionStatus, ident
from cogs.sigles.store import SiglesStore

DECIDED = (SuggestionStatus.APPROVED, SuggestionStatus.REJECTED)


def notice_text(s: Suggestion) -> str:
    return t(f"sigles.notify.{s.status}", s.lang, sigle=escape(s.sigle))


class DecisionNotice(OneShotHandler):
    def __init__(self, store: SiglesStore) -> None:
        self.store = store

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        s = await self.store.suggestion(int(item.ref))
        if s is None or s.status not in DECIDED:
            return []  # erased meanwhile: nobody to tell
        text = notice_text(s)
        return [
            Outgoing(
                target=f"dm:{s.author_id}",
                content=text,
                fallback_channel_id=s.channel_id,
                fallback_content=f"<@{s.author_id}> {text}",
            )
        ]


class WeeklyPosts:
    """The engine's handler for the sigle of the week."""

    def __init__(self, flows: SiglesFlows) -> None:
        self.flows = flows
        self.store = flows.store

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        guild_id = int(item.ref)
        settings = await self.store.weekly(guild_id)
        if settings is None or settings.paused:
            return []
        library = await self.flows.libraries.get(guild_id)
        entry = await self._pick(guild_id, item.occurrence, library.glossary.entries)
        if entry is None:
            return []
        lang = self.flows.guild_lang(guild_id)
        embed = render.weekly_embed(
            entry, library.glossary, lang, library.credits.get(entry.identity)
        )
        return [
            Outgoing(
                target=f"channel:{settings.channel_id}",
                embeds=[embed],
                allowed_mentions=NO_MENTIONS,
            )
        ]

    async def _pick(
        self, guild_id: int, occurrence: str, entries: tuple[Entry, ...]
    ) -> Entry | None:
        already = await self.store.shown_for(guild_id, occurrence)
        if already is not None:
            for entry in entries:
                if ident(entry) == already and not entry.historique:
                    return entry
        history = await self.store.shown_this_round(guild_id, occurrence)
        # Hashing every entry of a big glossary takes a while: off the event loop.
        pick = await offload.build(_choose, entries, guild_id, tuple(history))
        if pick is None:
            return None
        shown = Shown(ident(pick.entry), pick.entry.region, pick.round)
        await self.store.record_shown(guild_id, occurrence, shown)
        return pick.entry

    async def next_schedule(self, item: DueItem) -> Schedule | None:
        guild_id = int(item.ref)
        settings = await self.store.weekly(guild_id)
        if settings is None or settings.paused:
            return None
        after = datetime.fromisoformat(item.occurrence)
        return rotation.schedule_for(self.flows.next_post(settings, after))

    async def on_permanent_failure(self, item: DueItem, target: str, code: str) -> bool:
        """Channel deleted or permission lost: pause (a moderator resumes with /glossaire
        semaine); the engine tells the moderators, once."""
        await self.store.pause_weekly(int(item.ref), f"failure:{code}")
        return False

    async def on_delivered(self, item: DueItem, target: str, message: discord.Message) -> None:
        return None


def _choose(
    entries: tuple[Entry, ...], guild_id: int, history: tuple[Shown, ...]
) -> rotation.Pick | None:
    return rotation.choose(rotation.pool(entries), guild_id, history)


class SiglesData:
    """`/mes-donnees`: suggestions a member made, entries credited to them or they added."""

    def __init__(self, flows: SiglesFlows) -> None:
        self.flows = flows
        self.store = flows.store

    async def export(self, user_id: int) -> list[Item]:
        suggestions = await self.store.suggestions_by(user_id)
        credited = await self.store.credited_to(user_id)
        added = await self.store.created_by(user_id)

        def entry(r: Any) -> tuple[Field, ...]:
            return (
                Field("sigles.data.server", str(r.entry.guild_id)),
                Field("sigles.data.sigle", r.entry.sigle),
                Field("sigles.data.region", Label(f"region.{r.entry.region}")),
            )

        return [
            Records.of(
                "sigles.data.suggestions",
                (
                    (
                        Field("sigles.data.server", str(s.guild_id)),
                        Field("sigles.data.sigle", s.sigle),
                        Field("sigles.data.region", Label(f"region.{s.region}")),
                        Field("sigles.data.developpe", s.developpe),
                        Field("sigles.data.explication", s.explication),
                        Field("sigles.data.state", Label(f"sigles.data.state.{s.status}")),
                        Field("sigles.data.created_at", s.created_at),
                    )
                    for s in suggestions
                ),
            ),
            Records.of("sigles.data.credited", (entry(r) for r in credited)),
            Records.of("sigles.data.added", (entry(r) for r in added)),
        ]

    async def erase(self, user_id: int) -> int:
        suggestions = await self.store.suggestions_by(user_id)
        for s in suggestions:
            await self.flows.bot.reminders.cancel(DECISION_KIND, str(s.id))
        count, guilds = await self.store.erase_member(user_id)
        for guild_id in guilds:
            self.flows.libraries.changed(guild_id)  # the credit line goes from the answers
        return count

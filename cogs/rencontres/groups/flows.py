"""What small groups do on Discord: the questions members answer when they sign up, the split
(`/rencontre groupes`) with a private thread per group, and re-runs that move few people.

`GroupFlows` is one part of Rencontres' workflows (`RencontresFlows.groups`); what it needs of
the meet-ups side is declared in `Meetups` below, so it never imports that module.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Protocol

import discord

from bot.checks import missing_channel_permissions, require_guild
from bot.discord_text import NO_MENTIONS
from bot.i18n.commands import interaction_lang
from bot.regions import AMERICA, EUROPE, REGIONS
from bot.user_error import UserError
from cogs.rencontres.groups import render, service
from cogs.rencontres.groups.service import OTHER_CITY, Changes, Criteria, Member
from cogs.rencontres.groups.store import Declaration, Declared, GroupStore, Questions
from cogs.rencontres.groups.views import GroupViews
from cogs.rencontres.render import users
from cogs.rencontres.service import Format, Presence, Rencontre
from cogs.rencontres.store import RencontreStore

if TYPE_CHECKING:
    from bot.client import Passerelle

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]
THREAD_ARCHIVE_MINUTES = 7 * 24 * 60
GROUP_PERMISSIONS = ("create_private_threads", "send_messages_in_threads", "manage_threads")
SIDES = {**dict.fromkeys(EUROPE, "europe"), **dict.fromkeys(AMERICA, "america")}


class Meetups(Protocol):
    """What groups ask of the meet-ups' workflows."""

    store: RencontreStore

    async def managed_event(self, interaction: Interaction, event_id: int) -> Rencontre: ...

    async def event_for(self, interaction: Interaction, event_id: int) -> Rencontre: ...


class GroupFlows:
    def __init__(self, bot: Passerelle, meetups: Meetups, store: GroupStore) -> None:
        self.bot = bot
        self.meetups = meetups
        self.store = store
        self.views = GroupViews(self)

    # -- what members declare -------------------------------------------------------------------
    async def ask(
        self,
        interaction: Interaction,
        event_id: int,
        *,
        mode: bool | None,
        cities: str | None,
        region: bool | None,
    ) -> None:
        """`/rencontre preparer-groupes`: what members are asked when they sign up (options
        not given are kept); those already signed up are asked in the meet-up's thread."""
        lang = interaction_lang(interaction)
        event = await self.meetups.managed_event(interaction, event_id)
        before = await self.store.questions(event.id)
        questions = Questions(
            ask_mode=before.ask_mode if mode is None else mode,
            cities=before.cities if cities is None else service.parse_cities(cities),
            ask_region=before.ask_region if region is None else region,
        )
        await self.store.save_questions(event.id, questions)
        await interaction.response.send_message(
            render.asked_done(event, questions, lang), ephemeral=True
        )
        if questions.any and event.thread_id:
            where = self.bot.get_partial_messageable(event.thread_id, guild_id=event.guild_id)
            try:
                await where.send(
                    render.asked_notice(event, questions, event.lang),
                    view=self.views.ask(event.id, event.lang),
                    allowed_mentions=NO_MENTIONS,
                )
            except discord.HTTPException as error:
                log.warning("rencontre %s: could not ask in the thread (%s)", event.id, error)

    async def questions_view(
        self, event: Rencontre, user_id: int, lang: str
    ) -> discord.ui.View | None:
        """The selects shown with « Je viens » when the organiser asked something."""
        questions = await self.store.questions(event.id)
        if not questions.any:
            return None
        declaration = await self.store.declaration_of(event.id, user_id)
        return self.views.questions(event.id, questions, declaration, lang)

    async def open_questions(self, interaction: Interaction, event_id: int) -> None:
        lang = interaction_lang(interaction)
        event = await self.meetups.event_for(interaction, event_id)
        view = await self.questions_view(event, interaction.user.id, lang)
        if view is None:
            raise UserError("rencontre.groups.error.nothing_asked")
        await interaction.response.send_message(
            render.declare_intro(event, lang), view=view, ephemeral=True
        )
        view.stop()  # dynamic items bound to ids: nothing to keep alive

    async def declare(
        self, interaction: Interaction, event_id: int, what: Declared, value: str
    ) -> None:
        lang = interaction_lang(interaction)
        event = await self.meetups.event_for(interaction, event_id)
        questions = await self.store.questions(event.id)
        allowed = {
            Declared.MODE: [str(f) for f in Format] if questions.ask_mode else [],
            Declared.CITY: [*questions.cities, OTHER_CITY] if questions.cities else [],
            Declared.REGION: [str(r) for r in REGIONS] if questions.ask_region else [],
        }[what]
        if value not in allowed:
            raise UserError("rencontre.groups.error.not_asked")
        await self.store.declare(event.id, interaction.user.id, what, value)
        declaration = await self.store.declaration_of(event.id, interaction.user.id)
        await interaction.response.send_message(
            render.declared(event, declaration, lang), ephemeral=True
        )

    # -- the split ------------------------------------------------------------------------------
    async def form(self, interaction: Interaction, event_id: int, low: int, high: int) -> None:
        """`/rencontre groupes`: the participants split (again), a private thread per group,
        each member told in their group's thread; re-runs move as few people as possible."""
        lang = interaction_lang(interaction)
        guild = require_guild(interaction)
        event = await self.meetups.managed_event(interaction, event_id)
        attendance = await self.meetups.store.attendance(event.id)
        going = [a for a in attendance.answers if a.status is Presence.GOING]
        bounds = service.check_bounds(low, high, len(going))
        previous = await self.store.assignment(event.id)
        if not previous and len(going) <= bounds.high:
            raise UserError("rencontre.groups.error.few", n=len(going), high=bounds.high)
        channel = guild.get_channel(event.channel_id or 0)
        if not isinstance(channel, discord.TextChannel):
            raise UserError("rencontre.error.channel_unusable")
        missing = missing_channel_permissions(channel, guild.me, *GROUP_PERMISSIONS)
        if missing:
            raise UserError(
                "errors.bot_missing_permissions", channel=channel.mention, permissions=missing
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        questions = await self.store.questions(event.id)
        declared = await self.store.declarations(event.id)
        members = [self._member(a.user_id, a.seq, declared.get(a.user_id)) for a in going]
        criteria = Criteria(
            by_mode=questions.ask_mode,
            by_city=bool(questions.cities),
            mix_sides=questions.ask_region,
            default_mode=str(event.format),
        )
        assignment = service.split(members, bounds, criteria, previous)
        diff = service.changes(previous, assignment)
        threads = await self.store.threads(event.id)  # before the dropped groups go
        await self.store.save_split(event.id, assignment, bounds)
        await self._follow(event, channel, assignment, diff, threads)
        groups = service.groups_of(assignment)
        if not previous and event.thread_id:
            await self._notice(event, [len(g) for g in groups.values()])
        newcomers = sum(1 for u in assignment if u not in previous)
        await interaction.followup.send(
            render.summary(event, groups, diff.moved, newcomers, lang, rerun=bool(previous)),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    @staticmethod
    def _member(user_id: int, seq: int, declaration: Declaration | None) -> Member:
        d = declaration or Declaration()
        city = d.city if d.city and d.city != OTHER_CITY else None
        return Member(user_id, seq, mode=d.mode, city=city, side=SIDES.get(d.region or ""))

    async def _follow(
        self,
        event: Rencontre,
        channel: discord.TextChannel,
        assignment: dict[int, int],
        diff: Changes,
        threads: dict[int, int | None],
    ) -> None:
        """The threads follow the split: one per new group, those who left a group removed
        from its thread, newcomers added and greeted, dropped groups told."""
        lang = event.lang
        groups = service.groups_of(assignment)
        for number, left in diff.left.items():
            thread_id = threads.get(number)
            for user_id in left if thread_id else ():
                try:
                    await self.bot.http.remove_user_from_thread(thread_id, user_id)
                except discord.HTTPException as error:
                    log.info("group thread %s: could not remove a member (%s)", thread_id, error)
        for number in diff.dropped:
            await self._post(threads.get(number), render.dissolved(event, number, lang), [])
        for number, members in groups.items():
            thread_id = threads.get(number)
            if thread_id is None:
                thread_id = await self._open_thread(event, channel, number)
                if thread_id is None:
                    continue
            joined = diff.joined.get(number, [])
            for user_id in joined:
                try:
                    await self.bot.http.add_user_to_thread(thread_id, user_id)
                except discord.HTTPException as error:
                    log.info("group thread %s: could not add a member (%s)", thread_id, error)
            if joined:
                text = render.welcome(event, number, members, joined, lang)
                await self._post(thread_id, text, joined)

    async def _open_thread(
        self, event: Rencontre, channel: discord.TextChannel, number: int
    ) -> int | None:
        try:
            thread = await channel.create_thread(
                name=render.thread_name(event, number, event.lang),
                type=discord.ChannelType.private_thread,
                invitable=False,
                auto_archive_duration=THREAD_ARCHIVE_MINUTES,
            )
        except discord.HTTPException as error:
            log.warning("rencontre %s: no thread for group %s (%s)", event.id, number, error)
            return None
        await self.store.set_thread(event.id, number, thread.id)
        return thread.id

    async def _post(self, thread_id: int | None, text: str, user_ids: list[int]) -> None:
        if thread_id is None:
            return
        try:
            await self.bot.get_partial_messageable(thread_id).send(
                text, allowed_mentions=users(user_ids)
            )
        except discord.HTTPException as error:
            log.info("group thread %s: could not post (%s)", thread_id, error)

    async def _notice(self, event: Rencontre, group_sizes: list[int]) -> None:
        where = self.bot.get_partial_messageable(event.thread_id or 0, guild_id=event.guild_id)
        try:
            await where.send(
                render.formed_notice(event, group_sizes, event.lang), allowed_mentions=NO_MENTIONS
            )
        except discord.HTTPException as error:
            log.info("rencontre %s: could not tell the thread (%s)", event.id, error)

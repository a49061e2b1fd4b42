"""What Rencontres do on Discord, for the commands, the buttons and the reminder handlers.

The service decides, the store writes; `RencontresFlows` (one object, built in `setup`) answers
members, publishes, redraws the public message, keeps the thread and the scheduled-event mirror
in step and schedules reminders.
"""

from __future__ import annotations

import io
import logging
import math
from typing import TYPE_CHECKING, Any

import discord

from bot.checks import is_moderator, missing_channel_permissions, require_guild
from bot.discord_text import escape, truncate
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.members import display_names
from bot.reminders import Schedule
from bot.user_error import UserError
from cogs.rencontres import render, service
from cogs.rencontres.groups.flows import GroupFlows
from cogs.rencontres.groups.store import GroupStore
from cogs.rencontres.hosts.flows import HostFlows
from cogs.rencontres.mirror.flows import MirrorFlows
from cogs.rencontres.polls.flows import PollFlows
from cogs.rencontres.polls.store import PollStore
from cogs.rencontres.service import (
    PRESENCE_ORDER,
    Attendance,
    Choice,
    Details,
    DraftAction,
    Format,
    Kind,
    Presence,
    Rencontre,
    Status,
)
from cogs.rencontres.store import RencontreStore
from cogs.rencontres.views import RencontresViews

if TYPE_CHECKING:
    from bot.client import Passerelle

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]
PUBLISH_PERMISSIONS = ("view_channel", "send_messages", "embed_links")
THREAD_ARCHIVE_MINUTES = 7 * 24 * 60  # the longest Discord offers
THREAD_NAME_MAX = 100
PAGE_SIZE = 10


class RencontresFlows:
    def __init__(self, bot: Passerelle, store: RencontreStore) -> None:
        self.bot = bot
        self.store = store
        self.views = RencontresViews(self)
        # Its parts: date polls before a meet-up exists, small groups once many signed up,
        # the member a moderator entrusts a meet-up to.
        self.polls = PollFlows(bot, self, PollStore(bot.db))
        self.groups = GroupFlows(bot, self, GroupStore(bot.db))
        self.hosts = HostFlows(bot, self)
        self.mirror = MirrorFlows(bot, store)  # the Discord scheduled event of each meet-up

    # -- reading --------------------------------------------------------------------------------
    async def event_for(self, interaction: Interaction, event_id: int) -> Rencontre:
        event = await self.store.get_in_guild(event_id, require_guild(interaction).id)
        if event is None or event.status is Status.DRAFT:
            raise UserError("rencontre.error.unknown")
        return event

    async def managed_event(self, interaction: Interaction, event_id: int) -> Rencontre:
        """A published, not yet ended event the member may edit (its organiser, the member it
        was entrusted to, or a moderator)."""
        event = await self.manageable(interaction, event_id)
        return service.require_open(event, self.bot.clock.now())

    async def manageable(self, interaction: Interaction, event_id: int) -> Rencontre:
        """An event the member may manage, open or not; checked on every call. When a
        moderator acts, a manager who left the server is found (and the event handed back)."""
        event = await self.event_for(interaction, event_id)
        service.require_manager(event, interaction.user.id, is_moderator(interaction))
        if not service.manages(event, interaction.user.id):
            event = await self.hosts.check(event)
        return event

    # -- drafts ---------------------------------------------------------------------------------
    async def create(
        self,
        interaction: Interaction,
        *,
        title: str,
        when: str,
        format: str,
        place: str | None,
        link: str | None,
        capacity: int | None,
        duration: str | None,
        zone: str | None,
    ) -> None:
        """A draft from `/rencontre creer`, shown to its organiser before anything is public."""
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        now = self.bot.clock.now()
        own = await self.bot.settings_store.zone_of(guild.id, member=interaction.user.id)
        chosen = service.choose_zone(zone, own.key)
        details = service.validate_details(
            title=title,
            starts_at=service.parse_start(when, chosen, now, str(interaction.locale)),
            duration_min=service.parse_duration(duration),
            zone=chosen,
            format=format,
            place=place,
            link=link,
            capacity=capacity,
            description="",
        )
        draft = await self.store.create_draft(guild.id, interaction.user.id, details, lang, now)
        view = self.views.draft(draft.id, lang)
        await interaction.response.send_message(
            t("rencontre.preview.intro", lang),
            embed=render.preview_embed(draft, lang),
            view=view,
            ephemeral=True,
        )
        view.stop()  # its buttons are dynamic items: nothing to keep alive

    async def draft_action(
        self, interaction: Interaction, event_id: int, action: DraftAction
    ) -> None:
        lang = interaction_lang(interaction)
        draft = service.require_draft_of(
            await self.store.get_in_guild(event_id, require_guild(interaction).id),
            interaction.user.id,
        )
        if action is DraftAction.EDIT:
            await interaction.response.send_modal(self.views.edit_form(draft, lang))
        elif action is DraftAction.DROP:
            await self.store.delete_draft(draft.id)
            await interaction.response.edit_message(
                content=t("rencontre.preview.dropped", lang), embed=None, view=None
            )
        else:
            await interaction.response.defer()
            event = await self.publish(interaction, draft)
            await interaction.edit_original_response(
                content=t("rencontre.preview.published", lang, link=render.jump_link(event)),
                embed=None,
                view=None,
            )

    # -- edits ----------------------------------------------------------------------------------
    async def edit(self, interaction: Interaction, event_id: int, **changes: Any) -> None:
        """`/rencontre modifier`: the options given change; none at all opens the form."""
        lang = interaction_lang(interaction)
        event = await self.managed_event(interaction, event_id)
        if all(value is None for value in changes.values()):
            await interaction.response.send_modal(self.views.edit_form(event, lang))
            return
        service.check_where(event, place=changes["place"], link=changes["link"])
        details = self._edited(interaction, event, **changes)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self._tell_edited(interaction, await self.apply_edit(event, details), lang)

    async def submit_edit(
        self,
        interaction: Interaction,
        event_id: int,
        *,
        title: str,
        when: str,
        where: str,
        capacity: int | None,
        description: str,
    ) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        event = await self.store.get_in_guild(event_id, guild.id)
        if event is not None and event.status is Status.DRAFT:
            if event.organiser_id != interaction.user.id:
                raise UserError("rencontre.error.not_organiser")
        else:
            event = await self.managed_event(interaction, event_id)
        in_person = event.format is Format.PRESENTIEL
        details = self._edited(
            interaction,
            event,
            title=title,
            when=when,
            place=where if in_person else None,
            link=None if in_person else where,
            capacity=capacity,
            keep_capacity=False,
            description=description,
        )
        if event.status is Status.DRAFT:
            await self.store.update_details(event.id, details, self.bot.clock.now())
            updated = event.with_(**vars(details))
            await interaction.response.edit_message(
                content=t("rencontre.preview.intro", lang),
                embed=render.preview_embed(updated, lang),
                view=self.views.draft(updated.id, lang),
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self._tell_edited(interaction, await self.apply_edit(event, details), lang)

    def _edited(self, interaction: Interaction, event: Rencontre, **changes: Any) -> Details:
        now, lang = self.bot.clock.now(), str(interaction.locale)
        return service.edited_details(event, now=now, lang_hint=lang, **changes)

    async def _tell_edited(self, interaction: Interaction, changed: list[str], lang: str) -> None:
        await interaction.followup.send(render.edit_done(changed, lang), ephemeral=True)

    async def apply_edit(self, event: Rencontre, details: Details) -> list[str]:
        """Save new details of a published event and follow through; returns changed fields."""
        now = self.bot.clock.now()
        changed = service.changed_fields(event, details)
        if not changed:
            return []
        await self.store.update_details(event.id, details, now)
        moved = await self.store.change_answers(
            event.id,
            event.guild_id,
            lambda _, answers: service.promote_after_resize(answers, details.capacity),
            now,
        )
        updated = moved.event
        self.refresh(updated)
        await self.mirror.sync(updated)
        if "starts_at" in changed or "duration_min" in changed:
            await self.schedule(updated)
        text = render.edited_notice(updated, changed)
        await self.tell_thread(updated, text, moved.attendance.told_of_changes)
        await self.announce_promotions(updated, tuple(a.user_id for a in moved.result))
        return changed

    async def cancel(self, interaction: Interaction, event_id: int, reason: str | None) -> None:
        lang = interaction_lang(interaction)
        event = await self.managed_event(interaction, event_id)
        why = service.validate_reason(reason)
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = self.bot.clock.now()
        await self.store.set_fields(event.id, now, status=Status.CANCELLED)
        event = event.with_(status=Status.CANCELLED)
        await self.unschedule(event)
        await self.bot.reminders.cancel_prefix(Kind.PROMOTION, f"{event.id}:")
        attendance = await self.store.attendance(event.id)
        self.refresh(event)
        await self.mirror.sync(event)
        text = render.cancelled_notice(event, why)
        await self.tell_thread(event, text, attendance.told_of_changes)
        await interaction.followup.send(
            t("rencontre.cancel.done", lang, title=escape(event.title)), ephemeral=True
        )

    # -- answers --------------------------------------------------------------------------------
    async def rsvp(self, interaction: Interaction, event_id: int, choice: Choice) -> None:
        """One click: decided and written in one transaction, answered; then the public message
        is redrawn and the member added to the thread off the click (coalesced, paced)."""
        lang = interaction_lang(interaction)
        now = self.bot.clock.now()
        user_id = interaction.user.id

        def decide(event: Rencontre, answers: Attendance) -> service.RsvpOutcome:
            return service.answer(
                answers, user_id, choice, service.require_open(event, now).capacity
            )

        changed = await self.store.change_answers(
            event_id, await self._guild_id(interaction, event_id), decide, now
        )
        event, outcome = changed.event, changed.result
        questions = None  # the organiser may ask how they come, where from (small groups)
        if outcome.status is Presence.GOING:
            questions = await self.groups.questions_view(event, user_id, lang)
        await interaction.response.send_message(
            render.rsvp_answer(event, outcome, lang),
            ephemeral=True,
            view=questions or discord.utils.MISSING,
        )
        if questions is not None:
            questions.stop()  # dynamic items bound to ids: nothing to keep alive
        if outcome.status is Presence.GOING:
            self.add_to_thread(event, [user_id])
        elif event.thread_id:
            self.bot.thread_members.discard(event.thread_id, user_id)  # changed their mind
        self.refresh(event)
        await self.announce_promotions(event, outcome.promoted)

    async def _guild_id(self, interaction: Interaction, event_id: int) -> int:
        """The server of an answer: the interaction's, or for buttons sent by DM (a poll's
        invitation) the event's own."""
        if interaction.guild_id is not None:
            return interaction.guild_id
        event = await self.store.get(event_id)
        if event is None:
            raise UserError("rencontre.error.unknown")
        return event.guild_id

    async def show_page(self, interaction: Interaction, page: int, *, edit: bool) -> None:
        """One page of `/rencontre liste`: one query for the events and their counts."""
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        now = self.bot.clock.now()
        listed, total = await self.store.upcoming_page(guild.id, now, PAGE_SIZE, page * PAGE_SIZE)
        if not listed and page > 0:  # the list shrank since the button was drawn: the last page
            total = await self.store.count_upcoming(guild.id, now)
            page = max(0, math.ceil(total / PAGE_SIZE) - 1)
            listed, total = await self.store.upcoming_page(
                guild.id, now, PAGE_SIZE, page * PAGE_SIZE
            )
        pages = max(1, math.ceil(total / PAGE_SIZE))
        lines = [render.list_line(item.event, item.going, lang) for item in listed]
        embed = render.list_embed(render.ListPage(lines, total, page, pages), lang)
        view = self.views.page(page, pages, lang)
        if edit:
            await interaction.response.edit_message(embed=embed, view=view)
        else:
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True)
            view.stop()  # paging buttons are dynamic items bound to page numbers

    # -- files ----------------------------------------------------------------------------------
    async def participants(self, interaction: Interaction, event_id: int) -> None:
        """The answers and a CSV file with display names, for the organiser or moderators."""
        lang = interaction_lang(interaction)
        guild = require_guild(interaction)
        event = await self.manageable(interaction, event_id)
        await interaction.response.defer(ephemeral=True, thinking=True)
        answers = await self.store.answers_with_time(event.id)
        answers.sort(key=lambda row: PRESENCE_ORDER.index(row.answer.status))
        names = await display_names(guild, [row.answer.user_id for row in answers])
        rows = [
            render.Participant(
                names[row.answer.user_id], row.answer.user_id, row.answer.status, row.at
            )
            for row in answers
        ]
        attendance = Attendance([row.answer for row in answers])
        await interaction.edit_original_response(
            content=t("rencontre.participants.intro", lang, title=escape(event.title), n=len(rows)),
            embed=render.participants_embed(event, attendance, lang),
            attachments=[
                discord.File(
                    io.BytesIO(render.participants_csv(rows, lang, event.tz)),
                    filename=f"rencontre-{event.id}.csv",
                )
            ],
        )

    # -- publishing -----------------------------------------------------------------------------
    async def publish_channel(self, interaction: Interaction) -> discord.TextChannel:
        """Where meet-ups (and polls) are published: the configured channel, else the
        announcements', else where the command was typed; checked usable."""
        guild = require_guild(interaction)
        events_channel_id, _ = await self.store.settings(guild.id)
        announce = self.bot.settings_store.guild(guild.id).announce_channel_id
        for configured in (events_channel_id, announce):
            if configured:
                channel = guild.get_channel(configured)
                if channel is None:
                    raise UserError("rencontre.error.channel_gone", channel=f"<#{configured}>")
                break
        else:
            channel = interaction.channel  # type: ignore[assignment]
        return self.check_channel(channel, guild)

    def check_channel(self, channel: object, guild: discord.Guild) -> discord.TextChannel:
        """A text channel where the bot can post the event and open its thread."""
        if not isinstance(channel, discord.TextChannel):
            raise UserError("rencontre.error.channel_unusable")
        missing = missing_channel_permissions(channel, guild.me, *PUBLISH_PERMISSIONS)
        if missing:
            raise UserError(
                "errors.bot_missing_permissions", channel=channel.mention, permissions=missing
            )
        return channel

    async def publish(self, interaction: Interaction, event: Rencontre) -> Rencontre:
        now = self.bot.clock.now()
        if event.starts_at <= now:
            raise UserError("rencontre.error.now_past")
        channel = await self.publish_channel(interaction)
        lang = self.bot.settings_store.lang_of(event.guild_id)
        # Claimed before the first await that posts: a second click (or a click on a stale
        # preview) must not post the event twice.
        if not await self.store.claim_draft(event.id, lang, now):
            raise UserError("rencontre.error.already_published")
        event = event.with_(status=Status.PUBLISHED, lang=lang)
        try:
            message = await channel.send(
                embed=render.event_embed(event, Attendance(), lang),
                view=self.views.rsvp(event, lang),
            )
        except BaseException:
            await self.store.set_fields(event.id, now, status=Status.DRAFT)
            raise
        await self.store.set_fields(event.id, now, channel_id=channel.id, message_id=message.id)
        event = event.with_(channel_id=channel.id, message_id=message.id)
        try:
            thread = await message.create_thread(
                name=truncate(event.title, THREAD_NAME_MAX),
                auto_archive_duration=THREAD_ARCHIVE_MINUTES,
            )
            await self.store.set_fields(event.id, now, thread_id=thread.id)
            event = event.with_(thread_id=thread.id)
        except discord.HTTPException:
            log.warning("rencontre %s: no thread (missing permission?)", event.id)
        await self.mirror.create(interaction, event)
        await self.schedule(event)
        await self.polls.after_publish(event)  # born of a poll: its voters are told
        return event

    # -- the public message and the thread ------------------------------------------------------
    def refresh(self, event: Rencontre) -> None:
        """Redraw the public message soon (closed events lose their buttons). Coalesced through
        `bot.redraws`: a burst of answers gives a few edits within the channel's budget, and the
        last one shows the last state, read when it is drawn."""
        if not event.channel_id or not event.message_id:
            return
        event_id = event.id
        self.bot.redraws.request(("rencontre", event_id), lambda: self._draw(event_id))

    async def _draw(self, event_id: int) -> None:
        event = await self.store.get(event_id)
        if event is None or not event.channel_id or not event.message_id:
            return
        attendance = await self.store.attendance(event.id)
        lang = event.lang
        embed = render.event_embed(event, attendance, lang)
        view = self.views.rsvp(event, lang) if event.status is Status.PUBLISHED else None
        partial = self.bot.get_partial_messageable(event.channel_id, guild_id=event.guild_id)
        await partial.get_partial_message(event.message_id).edit(embed=embed, view=view)

    def add_to_thread(self, event: Rencontre, user_ids: list[int] | tuple[int, ...]) -> None:
        """Queued: each member added once, one request at a time in the member lane."""
        if event.thread_id:
            self.bot.thread_members.add(event.thread_id, user_ids)

    async def tell_thread(self, event: Rencontre, text: str, user_ids: list[int]) -> None:
        """A notice in the event's thread (else its channel) mentioning `user_ids` only."""
        target = event.thread_id or event.channel_id
        if not target:
            return
        try:
            await self.bot.get_partial_messageable(target, guild_id=event.guild_id).send(
                render.notice(text, user_ids), allowed_mentions=render.users(user_ids)
            )
        except discord.HTTPException as error:
            log.warning("rencontre %s: could not tell the thread (%s)", event.id, error)

    # -- reminders ------------------------------------------------------------------------------
    async def schedule(self, event: Rencontre) -> None:
        """(Re)plan the reminders and the end of `event`; past ones are skipped."""
        engine, now = self.bot.reminders, self.bot.clock.now()
        await engine.cancel_prefix(Kind.REMINDER, f"{event.id}:")
        _, offsets = await self.store.settings(event.guild_id)
        for offset, due in service.reminder_times(event, offsets, now):
            await engine.schedule(
                Kind.REMINDER,
                f"{event.id}:{offset.code}",
                event.guild_id,
                Schedule(
                    occurrence=event.starts_at.isoformat(),
                    due_at=due,
                    expires_at=event.starts_at,
                    payload={"id": event.id, "offset": offset.code},
                ),
            )
        await engine.schedule(
            Kind.END,
            str(event.id),
            event.guild_id,
            Schedule(
                occurrence=event.ends_at.isoformat(),
                due_at=event.ends_at,
                expires_at=event.ends_at + service.ARCHIVE_GRACE,
                payload={"id": event.id},
            ),
        )

    async def unschedule(self, event: Rencontre) -> None:
        await self.bot.reminders.cancel_prefix(Kind.REMINDER, f"{event.id}:")
        await self.bot.reminders.cancel(Kind.END, str(event.id))

    async def announce_promotions(self, event: Rencontre, promoted: tuple[int, ...]) -> None:
        """Promoted members are told through the engine: DM, or a mention if DMs are closed."""
        if not promoted:
            return
        self.add_to_thread(event, promoted)
        now = self.bot.clock.now()
        for user_id in promoted:
            await self.bot.reminders.schedule(
                Kind.PROMOTION,
                f"{event.id}:{user_id}:{int(now.timestamp())}",
                event.guild_id,
                Schedule(
                    occurrence=now.isoformat(),
                    due_at=now,
                    expires_at=event.starts_at,
                    payload={"id": event.id, "user": user_id},
                ),
            )

    async def archive(self, event: Rencontre) -> Rencontre:
        """The end: no more answers, the buttons go."""
        await self.store.set_fields(event.id, self.bot.clock.now(), status=Status.ARCHIVED)
        event = event.with_(status=Status.ARCHIVED)
        self.refresh(event)
        return event

    # -- settings -------------------------------------------------------------------------------
    async def save_settings(
        self,
        interaction: Interaction,
        channel: discord.TextChannel | None,
        offsets_text: str | None,
    ) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        channel_id, offsets = await self.store.settings(guild.id)
        if offsets_text is not None:
            offsets = service.parse_offsets(offsets_text)
        if channel is not None:
            channel_id = self.check_channel(channel, guild).id
        await self.store.save_settings(guild.id, channel_id, offsets)
        await interaction.response.send_message(
            render.settings_saved(channel_id, offsets, lang), ephemeral=True
        )

    async def upcoming(self, guild_id: int, limit: int) -> list[Rencontre]:
        return await self.store.upcoming(guild_id, self.bot.clock.now(), limit)

    async def attendance(self, event: Rencontre) -> Attendance:
        return await self.store.attendance(event.id)

"""What Rencontres do on Discord, shared by the commands and the buttons.

The service decides, the store writes; this module publishes, refreshes the public message,
keeps the thread and the scheduled-event mirror in step and schedules reminders.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import discord

from bot.checks import is_moderator, missing_channel_permissions, require_guild
from bot.discord_text import CONTENT_LIMIT, escape, truncate
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.reminders import Schedule
from bot.user_error import UserError
from cogs.rencontres import render, service, views
from cogs.rencontres.service import Details, Rencontre
from cogs.rencontres.store import RencontreStore

if TYPE_CHECKING:
    from bot.client import Passerelle

log = logging.getLogger(__name__)

KIND_REMINDER = "rencontre.rappel"
KIND_PROMOTION = "rencontre.promotion"
KIND_END = "rencontre.fin"
PUBLISH_PERMISSIONS = ("view_channel", "send_messages", "embed_links")
THREAD_ARCHIVE_MINUTES = 10080


def rsvp_view(event: Rencontre, lang: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for choice in ("go", "maybe", "leave"):
        view.add_item(views.RsvpButton(event.id, choice, lang))
    return view


class Actions:
    def __init__(self, bot: Passerelle, store: RencontreStore) -> None:
        self.bot = bot
        self.store = store

    # -- reading --------------------------------------------------------------------------------
    async def event_for(self, interaction: discord.Interaction[Any], event_id: int) -> Rencontre:
        guild = require_guild(interaction)
        event = await self.store.get_in_guild(event_id, guild.id)
        if event is None or event.status == "draft":
            raise UserError("rencontre.error.unknown")
        return event

    async def managed_event(
        self, interaction: discord.Interaction[Any], event_id: int
    ) -> Rencontre:
        """A published, not yet ended event the member may edit (organiser or moderator)."""
        event = await self.event_for(interaction, event_id)
        service.require_manager(event, interaction.user.id, is_moderator(interaction))
        return service.require_open(event, self.bot.clock.now())

    # -- publishing -----------------------------------------------------------------------------
    async def _channel(self, interaction: discord.Interaction[Any]) -> discord.TextChannel:
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
                "errors.bot_missing_permissions",
                channel=channel.mention,
                permissions=missing,
            )
        return channel

    async def publish(self, interaction: discord.Interaction[Any], event: Rencontre) -> Rencontre:
        now = self.bot.clock.now()
        if event.organiser_id != interaction.user.id:
            raise UserError("rencontre.error.not_organiser")
        if event.status != "draft":
            raise UserError("rencontre.error.already_published")
        if event.starts_at <= now:
            raise UserError("rencontre.error.now_past")
        channel = await self._channel(interaction)
        lang = self.bot.settings_store.lang_of(event.guild_id)
        # Claimed before the first await that posts: a second click (or a click on a stale
        # preview) must not post the event twice.
        if not await self.store.claim_draft(event.id, lang, now):
            raise UserError("rencontre.error.already_published")
        event = event.with_(status="published", lang=lang)
        try:
            message = await channel.send(  # type: ignore[attr-defined]
                embed=render.event_embed(event, service.Attendance(), lang),
                view=rsvp_view(event, lang),
            )
        except BaseException:
            await self.store.set_fields(event.id, now, status="draft")
            raise
        await self.store.set_fields(event.id, now, channel_id=channel.id, message_id=message.id)
        event = event.with_(channel_id=channel.id, message_id=message.id)
        try:
            thread = await message.create_thread(
                name=truncate(event.title, 100), auto_archive_duration=THREAD_ARCHIVE_MINUTES
            )
            await self.store.set_fields(event.id, now, thread_id=thread.id)
            event = event.with_(thread_id=thread.id)
        except discord.HTTPException:
            log.warning("rencontre %s: no thread (missing permission?)", event.id)
        await self.mirror_create(interaction, event)
        await self.schedule(event)
        return (await self.store.get(event.id)) or event

    # -- the public message ---------------------------------------------------------------------
    async def refresh(self, event: Rencontre) -> None:
        """Redraw the public message; closed events lose their buttons."""
        if not event.channel_id or not event.message_id:
            return
        attendance = await self.store.attendance(event.id)
        embed = render.event_embed(event, attendance, event.lang)
        view = rsvp_view(event, event.lang) if event.status == "published" else None
        partial = self.bot.get_partial_messageable(event.channel_id, guild_id=event.guild_id)
        try:
            await partial.get_partial_message(event.message_id).edit(embed=embed, view=view)
        except discord.HTTPException as error:
            log.warning("rencontre %s: could not refresh the message (%s)", event.id, error)

    async def add_to_thread(self, event: Rencontre, user_ids: list[int] | tuple[int, ...]) -> None:
        if not event.thread_id:
            return
        for user_id in user_ids:
            try:
                await self.bot.http.add_user_to_thread(event.thread_id, user_id)
            except discord.HTTPException as error:
                log.info("rencontre %s: could not add a member to the thread (%s)", event.id, error)

    async def tell_thread(self, event: Rencontre, text: str, user_ids: list[int]) -> None:
        """A notice in the event's thread (else its channel) mentioning `user_ids` only."""
        target = event.thread_id or event.channel_id
        if not target:
            return
        mentions = render.mention_line(user_ids)
        content = truncate(f"{text}\n{mentions}".strip(), CONTENT_LIMIT)
        allowed = discord.AllowedMentions(
            everyone=False, roles=False, users=[discord.Object(u) for u in user_ids[:100]]
        )
        try:
            await self.bot.get_partial_messageable(target, guild_id=event.guild_id).send(
                content, allowed_mentions=allowed
            )
        except discord.HTTPException as error:
            log.warning("rencontre %s: could not tell the thread (%s)", event.id, error)

    # -- reminders ------------------------------------------------------------------------------
    async def schedule(self, event: Rencontre) -> None:
        """(Re)plan the reminders and the end of `event`; past ones are skipped."""
        engine, now = self.bot.reminders, self.bot.clock.now()
        await engine.cancel_prefix(KIND_REMINDER, f"{event.id}:")
        _, offsets = await self.store.settings(event.guild_id)
        for offset, due in service.reminder_times(event.starts_at, offsets, now):
            await engine.schedule(
                KIND_REMINDER,
                f"{event.id}:{offset}",
                event.guild_id,
                Schedule(
                    occurrence=event.starts_at.isoformat(),
                    due_at=due,
                    expires_at=event.starts_at,
                    payload={"id": event.id, "offset": offset},
                ),
            )
        await engine.schedule(
            KIND_END,
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
        await self.bot.reminders.cancel_prefix(KIND_REMINDER, f"{event.id}:")
        await self.bot.reminders.cancel(KIND_END, str(event.id))

    async def announce_promotions(self, event: Rencontre, promoted: tuple[int, ...]) -> None:
        """Promoted members are told through the engine: DM, or a mention if DMs are closed."""
        if not promoted:
            return
        await self.add_to_thread(event, promoted)
        now = self.bot.clock.now()
        for user_id in promoted:
            await self.bot.reminders.schedule(
                KIND_PROMOTION,
                f"{event.id}:{user_id}:{int(now.timestamp())}",
                event.guild_id,
                Schedule(
                    occurrence=now.isoformat(),
                    due_at=now,
                    expires_at=event.starts_at,
                    payload={"id": event.id, "user": user_id},
                ),
            )

    # -- the scheduled-event mirror -------------------------------------------------------------
    def _mirror_fields(self, event: Rencontre) -> dict[str, Any]:
        where = event.place or event.link or "—"
        description = event.description
        if event.link:
            description = f"{event.link}\n\n{description}".strip()
        fields: dict[str, Any] = {
            "name": truncate(event.title, 100),
            "start_time": event.starts_at,
            "end_time": event.ends_at,
            "location": truncate(where, 100),
        }
        if description:
            fields["description"] = truncate(description, 1000)
        return fields

    async def mirror_create(self, interaction: discord.Interaction[Any], event: Rencontre) -> None:
        guild = require_guild(interaction)
        perms = guild.me.guild_permissions
        if not (perms.manage_events or perms.create_events):
            await self._warn_mirror(interaction, event)
            return
        try:
            mirror = await guild.create_scheduled_event(
                entity_type=discord.EntityType.external,
                privacy_level=discord.PrivacyLevel.guild_only,
                **self._mirror_fields(event),
            )
        except discord.Forbidden:
            await self._warn_mirror(interaction, event)
            return
        except discord.HTTPException as error:
            log.warning("rencontre %s: no scheduled event (%s)", event.id, error)
            return
        await self.store.set_fields(event.id, self.bot.clock.now(), scheduled_event_id=mirror.id)

    async def _warn_mirror(self, interaction: discord.Interaction[Any], event: Rencontre) -> None:
        if not await self.store.first_mirror_warning(
            event.guild_id, event.organiser_id, self.bot.clock.now()
        ):
            return
        text = t("rencontre.mirror.no_permission", interaction_lang(interaction))
        try:
            await interaction.followup.send(text, ephemeral=True)
        except discord.HTTPException:
            log.info("rencontre %s: could not tell the organiser about the mirror", event.id)

    async def mirror_sync(self, event: Rencontre) -> None:
        if not event.scheduled_event_id:
            return
        guild = self.bot.get_guild(event.guild_id)
        if guild is None:
            return
        try:
            mirror = await guild.fetch_scheduled_event(event.scheduled_event_id)
            if event.status == "cancelled":
                await mirror.cancel()
            else:
                await mirror.edit(**self._mirror_fields(event))
        except discord.HTTPException as error:
            log.warning("rencontre %s: scheduled event not updated (%s)", event.id, error)

    # -- changes --------------------------------------------------------------------------------
    async def apply_edit(self, event: Rencontre, details: Details) -> list[str]:
        """Save new details of a published event and follow through; returns changed fields."""
        now = self.bot.clock.now()
        before = asdict(service.details_of(event))
        changed = [k for k, v in asdict(details).items() if before[k] != v]
        if not changed:
            return []
        await self.store.update_details(event.id, details, now)
        updated = await self.store.get(event.id)
        assert updated is not None
        if event.status != "published":
            return changed
        moved = await self.store.change_answers(
            event.id, lambda a: service.promote_after_resize(a, details.capacity), now
        )
        await self.refresh(updated)
        await self.mirror_sync(updated)
        if "starts_at" in changed or "duration_min" in changed:
            await self.schedule(updated)
        attendance = await self.store.attendance(event.id)
        names = ", ".join(t(f"rencontre.field.{k}", event.lang) for k in changed)
        await self.tell_thread(
            updated,
            t(
                "rencontre.notice.edited",
                event.lang,
                title=escape(updated.title),
                fields=names,
                full=render.ts(updated.starts_at, "F"),
                relative=render.ts(updated.starts_at, "R"),
            ),
            attendance.of("going") + attendance.of("waiting") + attendance.of("maybe"),
        )
        await self.announce_promotions(updated, tuple(a.user_id for a in moved))
        return changed

    async def cancel(self, event: Rencontre, reason: str) -> None:
        now = self.bot.clock.now()
        await self.store.set_fields(event.id, now, status="cancelled")
        event = event.with_(status="cancelled")
        await self.unschedule(event)
        await self.bot.reminders.cancel_prefix(KIND_PROMOTION, f"{event.id}:")
        await self.refresh(event)
        await self.mirror_sync(event)
        attendance = await self.store.attendance(event.id)
        text = t("rencontre.notice.cancelled", event.lang, title=escape(event.title))
        if reason:
            text += "\n" + t("rencontre.notice.reason", event.lang, reason=escape(reason))
        await self.tell_thread(
            event, text, attendance.of("going") + attendance.of("waiting") + attendance.of("maybe")
        )

"""What apéros do on Discord, for the commands, the buttons and the reminder handler.

The service decides, the store writes; `AperoFlows` (one object, built in `setup`) checks who
may act, checks the channels, answers members, keeps the engine's items in step with each
series, and tells the moderators what they must know (a channel lost, a host gone), once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import discord

from bot import recurrence as weekly
from bot.checks import is_moderator, require_channel_permissions, require_guild, require_moderator
from bot.discord_text import CHOICES_MAX, NO_MENTIONS, escape
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.members import has_left
from bot.moderators import tell_moderators
from bot.reminders import DueItem, Schedule
from bot.user_error import UserError
from bot.when.words import Day
from cogs.apero import render, service
from cogs.apero.service import (
    DeleteAction,
    Draft,
    DraftAction,
    HandBack,
    Kind,
    PauseReason,
    Series,
    SeriesFields,
)
from cogs.apero.store import AperoStore
from cogs.apero.views import AperoViews

if TYPE_CHECKING:
    from bot.client import Passerelle

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]
POST_PERMISSIONS = ("view_channel", "send_messages", "embed_links")


def schedule_for(occ: weekly.Occurrence, due: datetime) -> Schedule:
    # A reminder is still worth sending late until the apéro starts, not after.
    return Schedule(
        occurrence=occ.start.isoformat(),
        due_at=due,
        expires_at=occ.start,
        payload={"day": occ.day.isoformat()},
    )


class AperoFlows:
    def __init__(self, bot: Passerelle, store: AperoStore) -> None:
        self.bot = bot
        self.store = store
        self.views = AperoViews(self)

    def now(self) -> datetime:
        return self.bot.clock.now()

    # -- finding a series, and who may act on it ------------------------------------------------
    async def series_in(self, guild_id: int, serie: int | str) -> Series:
        """The server's series `serie` (an id from autocomplete, so maybe anything typed)."""
        found = await self.store.get(service.parse_series_id(serie))
        if found is None or found.guild_id != guild_id:
            raise UserError("apero.error.unknown_series")
        return found

    async def managed(self, interaction: Interaction, serie: int | str) -> Series:
        """A series the member may edit, pause, skip, resume and announce: any for moderators,
        their own for its host. Checked here, on every call."""
        series = await self.series_in(require_guild(interaction).id, serie)
        user_id = interaction.user.id
        service.require_manager(
            user_id, moderator=is_moderator(interaction), host_id=series.host_id, name=series.name
        )
        if series.host_id != user_id:  # a moderator acts: is the host still here?
            series = await self.check_host(series)
        return series

    # -- hosts ----------------------------------------------------------------------------------
    async def check_host(self, series: Series) -> Series:
        """A host who left the server hands the series back to the moderators (told once)."""
        guild = self.bot.get_guild(series.guild_id)
        if series.host_id is None or guild is None or not await has_left(guild, series.host_id):
            return series
        return await self.hand_back(series, series.host_id, HandBack.LEFT)

    async def hand_back(self, series: Series, host_id: int, why: HandBack) -> Series:
        """The series is the moderators' again; they are told by whichever call cleared it."""
        if why is HandBack.ERASED or await self.store.clear_host(series.id, host_id):
            lang = self.bot.settings_store.lang_of(series.guild_id)
            await self.tell_moderators(series, render.handed_back(series, host_id, why, lang))
        return series.with_(host_id=None)

    async def give_host(
        self, interaction: Interaction, serie: str, member: discord.Member | discord.User
    ) -> Series:
        series = await self.series_in(require_guild(interaction).id, serie)
        service.check_host(
            series,
            member.id,
            is_bot=member.bot,
            is_member=isinstance(member, discord.Member),
        )
        await self.store.set_host(series.id, member.id)
        return series.with_(host_id=member.id)

    async def take_host(self, interaction: Interaction, serie: str) -> Series:
        series = await self.series_in(require_guild(interaction).id, serie)
        if series.host_id is None or not await self.store.clear_host(series.id, series.host_id):
            raise UserError("apero.error.no_host", name=series.name)
        return series

    # -- creating -------------------------------------------------------------------------------
    async def create(
        self,
        interaction: Interaction,
        *,
        channel: discord.TextChannel,
        role: discord.Role | None,
        zone: str | None,
        **values: Any,
    ) -> None:
        """/apero creer: everything checked, then a preview; nothing is a series before
        « Enregistrer »."""
        guild = require_guild(interaction)
        fields = service.build_fields(
            zone=zone or self.bot.settings_store.guild_zone(guild.id).key,
            channel_id=channel.id,
            role_id=role.id if role else None,
            **values,
        )
        self.check_channel(guild, channel, role)
        service.check_new(await self.store.names(guild.id), fields.name)
        draft = await self.store.save_draft(guild.id, interaction.user.id, fields, self.now())
        await self.show_draft(interaction, draft, edit=False)

    async def show_draft(self, interaction: Interaction, draft: Draft, *, edit: bool) -> None:
        lang = interaction_lang(interaction)
        upcoming = weekly.next_occurrences(draft.fields.spec, self.now(), service.PREVIEW_COUNT)
        embed = render.describe(draft.fields, lang, upcoming, title=t("apero.preview.title", lang))
        content = t("apero.preview.intro", lang)
        view = self.views.draft(draft.id, lang)
        if edit:
            await interaction.response.edit_message(content=content, embed=embed, view=view)
        else:
            await interaction.response.send_message(content, embed=embed, view=view, ephemeral=True)
        view.stop()  # its buttons are dynamic items: nothing to keep alive

    async def draft_action(
        self, interaction: Interaction, draft_id: int, action: DraftAction
    ) -> None:
        require_moderator(interaction)
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        draft = await self._draft(guild.id, draft_id)
        if action is DraftAction.WELCOME:
            form = self.views.welcome_form(draft.id, draft.fields.welcome or "", lang)
            await interaction.response.send_modal(form)
        elif action is DraftAction.CANCEL:
            await self.store.delete_draft(draft.id)
            await interaction.response.edit_message(
                content=t("apero.create.cancelled", lang), embed=None, view=None
            )
        else:
            series = await self._save(guild, draft, interaction.user.id)
            await interaction.response.edit_message(
                content=t("apero.create.done", lang, name=escape(series.name)),
                embed=await self.card(series, lang),
                view=None,
            )

    async def _draft(self, guild_id: int, draft_id: int) -> Draft:
        draft = await self.store.draft(draft_id)
        if draft is None or draft.guild_id != guild_id:
            raise UserError("apero.error.draft_gone")
        return draft

    async def _save(self, guild: discord.Guild, draft: Draft, by: int) -> Series:
        # The channel, the bot's rights or the server's series may have changed since.
        channel = self.still_postable(guild, draft.fields)
        service.check_new(await self.store.names(guild.id), draft.fields.name)
        series_id = await self.store.create_from_draft(draft, by, self.now())
        series = None if series_id is None else await self.store.get(series_id)
        if series is None:
            raise UserError("apero.error.draft_gone")
        await self.reschedule(series)
        await self.bot.reminders.clear_reports(guild.id, channel.id)
        return series

    async def submit_welcome(self, interaction: Interaction, draft_id: int, text: str) -> None:
        require_moderator(interaction)
        draft = await self._draft(require_guild(interaction).id, draft_id)
        fields = draft.fields.with_(welcome=service.clean_text(text, service.WELCOME_MAX))
        await self.store.update_draft(draft.id, fields)
        updated = Draft(draft.id, draft.guild_id, draft.author_id, fields)
        await self.show_draft(interaction, updated, edit=True)

    # -- reading --------------------------------------------------------------------------------
    async def card(self, series: Series, lang: str) -> discord.Embed:
        """The series and its next held occurrences (answers that create or change it)."""
        skips = await self.store.skips(series.id)
        upcoming = weekly.next_occurrences(series.spec, self.now(), service.PREVIEW_COUNT, skips)
        return render.describe(
            series.fields, lang, upcoming, title=series.name, host_id=series.host_id
        )

    async def listing(self, guild_id: int) -> list[tuple[Series, weekly.Occurrence | None]]:
        """Every series with its next held occurrence; hosts who left are handed back first."""
        skips = await self.store.skips_of_guild(guild_id)
        found = []
        for series in await self.store.for_guild(guild_id):
            checked = await self.check_host(series)
            nxt = weekly.next_occurrences(checked.spec, self.now(), 1, skips.get(series.id, ()))
            found.append((checked, nxt[0] if nxt else None))
        return found

    async def upcoming(self, guild_id: int, count: int) -> list[tuple[Series, weekly.Occurrence]]:
        skips = await self.store.skips_of_guild(guild_id)
        every = await self.store.for_guild(guild_id)
        return service.upcoming(((s, skips.get(s.id, set())) for s in every), self.now(), count)

    async def series_choices(self, interaction: Interaction, current: str) -> list[Series]:
        """The series this member may act on (moderators: all), matching what they typed."""
        if interaction.guild_id is None:
            return []
        moderator, user_id = is_moderator(interaction), interaction.user.id
        return [
            s
            for s in await self.store.for_guild(interaction.guild_id)
            if service.may_manage(user_id, moderator=moderator, host_id=s.host_id)
            and service.name_matches(s.name, current)
        ]

    async def dates(
        self, interaction: Interaction, serie: str, *, skipped: bool
    ) -> tuple[Series, list[weekly.Occurrence]] | None:
        """Dates to offer: the next ones, or those skipped and still ahead."""
        try:
            series = await self.series_in(interaction.guild_id or 0, serie)
        except UserError:
            return None
        skips, now = await self.store.skips(series.id), self.now()
        if not skipped:
            return series, weekly.next_occurrences(series.spec, now, CHOICES_MAX, skips)
        starts = ((d, weekly.start_on(series.spec, d)) for d in sorted(skips))
        return series, [weekly.Occurrence(d, start) for d, start in starts if start > now]

    # -- changing -------------------------------------------------------------------------------
    async def modify(self, interaction: Interaction, serie: str, **changes: Any) -> Series:
        guild = require_guild(interaction)
        series = await self.managed(interaction, serie)
        fields = service.edited_fields(series.fields, **changes)
        service.require_moderator_fields(series.fields, fields, moderator=is_moderator(interaction))
        if fields.role_id and guild.get_role(fields.role_id) is None:
            raise UserError("apero.error.role_gone")
        self.still_postable(guild, fields)
        if fields.name != series.name:
            service.check_name_free(
                await self.store.names(guild.id, except_id=series.id), fields.name
            )
        await self.store.update(series.id, fields, self.now())
        updated = series.with_(fields=fields)
        await self.reschedule(updated)
        return updated

    async def pause(self, interaction: Interaction, serie: str) -> Series:
        series = await self.managed(interaction, serie)
        if not await self.store.set_paused(series.id, True, PauseReason.MANUAL):
            raise UserError("apero.error.already_paused", name=series.name)
        await self.bot.reminders.cancel_prefix(Kind.REMINDER, service.ref_prefix(series.id))
        return series.with_(paused=True, pause_reason=PauseReason.MANUAL)

    async def resume(self, interaction: Interaction, serie: str) -> Series:
        guild = require_guild(interaction)
        series = await self.managed(interaction, serie)
        if not series.paused:
            raise UserError("apero.error.not_paused", name=series.name)
        # A series paused by a delivery failure resumes only once the bot can post again.
        channel = self.still_postable(guild, series.fields)
        await self.store.set_paused(series.id, False, None)
        resumed = series.with_(paused=False, pause_reason=None)
        await self.reschedule(resumed)
        await self.bot.reminders.clear_reports(guild.id, channel.id)
        return resumed

    async def skip(
        self, interaction: Interaction, serie: str, text: str, *, restore: bool = False
    ) -> tuple[Series, weekly.Occurrence]:
        """Skip the date typed (holidays), or restore a skipped one."""
        series = await self.managed(interaction, serie)
        occ = service.occurrence_named(series, text, self.now())
        if restore and not await self.store.remove_skip(series.id, occ.day, self.now()):
            raise UserError("apero.error.not_skipped", date=Day(occ.day))
        if not restore and not await self.store.add_skip(series.id, occ.day, self.now()):
            raise UserError("apero.error.already_skipped", date=Day(occ.day))
        await self.reschedule(series)
        return series, occ

    async def announce(self, interaction: Interaction, serie: str, note: str | None) -> Series:
        """Post the next occurrence now, with the host's note and « Je serai là ». The role is
        not pinged: only the scheduled reminders ping it, as the moderators set them."""
        guild = require_guild(interaction)
        series = await self.managed(interaction, serie)
        text = service.clean_text(note, service.NOTE_MAX)
        channel = self.still_postable(guild, series.fields)
        occ = service.next_held(series, self.now(), await self.store.skips(series.id))
        lang = self.bot.settings_store.lang_of(guild.id)
        count = await self.store.attendance_count(series.id, occ.day)
        await channel.send(
            embed=render.reminder_embed(series, occ, lang, late=False, note=text),
            view=self.views.go(series.id, occ.day, count, lang),
            allowed_mentions=NO_MENTIONS,
        )
        return series

    async def ask_delete(self, interaction: Interaction, serie: str) -> None:
        series = await self.series_in(require_guild(interaction).id, serie)
        lang = interaction_lang(interaction)
        view = self.views.delete(series.id, lang)
        await interaction.response.send_message(
            t("apero.delete.confirm", lang, name=escape(series.name)), view=view, ephemeral=True
        )
        view.stop()

    async def delete_action(
        self, interaction: Interaction, series_id: int, action: DeleteAction
    ) -> None:
        require_moderator(interaction)
        lang = interaction_lang(interaction)
        series = await self.series_in(require_guild(interaction).id, series_id)
        if action is DeleteAction.YES:
            await self.bot.reminders.cancel_prefix(Kind.REMINDER, service.ref_prefix(series.id))
            await self.store.delete(series.id)
        key = "apero.delete.done" if action is DeleteAction.YES else "apero.delete.kept"
        await interaction.response.edit_message(
            content=t(key, lang, name=escape(series.name)), embed=None, view=None
        )

    # -- « Je serai là » ------------------------------------------------------------------------
    async def toggle_attendance(self, interaction: Interaction, series_id: int, day: date) -> None:
        """Decide (one transaction), acknowledge at once, and have the public count redrawn off
        the click (bot.redraws: coalesced, a burst gives a few edits within the channel's budget,
        the last one showing the last count)."""
        guild = require_guild(interaction)
        now = self.now()
        series = await self.series_in(guild.id, series_id)
        service.check_attendance_open(series.spec, day, now)
        attending, count = await self.store.toggle_attendance(
            series.id, day, interaction.user.id, now
        )
        await interaction.response.defer()
        message = interaction.message
        if message is not None:
            draw = self._go_redraw(guild.id, series.id, day, message.channel.id, message.id)
            self.bot.redraws.request(("apero", message.id), draw)
        answer = render.go_answer(series.name, attending, count, interaction_lang(interaction))
        await interaction.followup.send(answer, ephemeral=True)

    def _go_redraw(
        self, guild_id: int, series_id: int, day: date, channel_id: int, message_id: int
    ) -> Callable[[], Awaitable[None]]:
        async def draw() -> None:  # reads the count when it draws: the last draw shows the last
            count = await self.store.attendance_count(series_id, day)
            public = self.bot.settings_store.lang_of(guild_id)
            view = self.views.go(series_id, day, count, public)
            partial = self.bot.get_partial_messageable(channel_id, guild_id=guild_id)
            await partial.get_partial_message(message_id).edit(view=view)

        return draw

    # -- the engine -----------------------------------------------------------------------------
    async def reschedule(self, series: Series) -> None:
        """One engine item per (series, offset), each at its next due instant."""
        engine = self.bot.reminders
        await engine.cancel_prefix(Kind.REMINDER, service.ref_prefix(series.id))
        skips = await self.store.skips(series.id)
        for offset, occ, due in service.reminders_after(series, self.now(), skips):
            ref = service.ref_for(series.id, offset)
            await engine.schedule(Kind.REMINDER, ref, series.guild_id, schedule_for(occ, due))

    async def due(self, item: DueItem) -> tuple[Series, weekly.Occurrence] | None:
        """The series and occurrence an engine item is for, if it is still to be posted."""
        series_id, offset = service.parse_ref(item.ref)
        series = await self.store.get(series_id)
        day = date.fromisoformat(item.payload["day"])
        skips = set() if series is None else await self.store.skips(series.id)
        if series is None or not service.still_due(series, offset, day, skips):
            return None
        return series, weekly.Occurrence(day, datetime.fromisoformat(item.occurrence))

    async def next_schedule(self, item: DueItem) -> Schedule | None:
        """After an occurrence is settled: the same offset for the next held occurrence."""
        series_id, offset = service.parse_ref(item.ref)
        series = await self.store.get(series_id)
        if series is None or series.paused or offset not in series.fields.offsets:
            return None
        day = date.fromisoformat(item.payload["day"])
        found = service.following(series, offset, day, await self.store.skips(series.id))
        return None if found is None else schedule_for(*found)

    async def failed(self, item: DueItem, code: str) -> None:
        """The channel is gone or forbidden: the series pauses, and the moderators hear it
        once (the first failure pauses it; later ones find it paused)."""
        series = await self.store.get(service.parse_ref(item.ref)[0])
        if series is None:
            return
        if not await self.store.set_paused(series.id, True, service.failure_reason(code)):
            return
        await self.bot.reminders.cancel_prefix(Kind.REMINDER, service.ref_prefix(series.id))
        lang = self.bot.settings_store.lang_of(series.guild_id)
        await self.tell_moderators(
            series, render.paused_failure(series, code, lang), creator_too=True
        )

    # -- the moderators ----------------------------------------------------------------------------
    async def tell_moderators(
        self, series: Series, text: str, *, creator_too: bool = False
    ) -> None:
        """In the moderators' channel, else the announcements' (never the series' own channel,
        which may be the one failing); else, if asked, by DM to whoever created the series."""
        if await tell_moderators(
            self.bot,
            self.bot.settings_store,
            series.guild_id,
            text,
            avoid_channel_id=series.fields.channel_id,
        ):
            return
        if creator_too and series.created_by:
            try:
                user = await self.bot.create_dm(discord.Object(series.created_by))  # type: ignore[arg-type]
                await user.send(text, allowed_mentions=NO_MENTIONS)
                return
            except discord.HTTPException:
                log.info("apero %s: its creator could not be told either", series.id)
        log.warning("apero %s: no moderator could be told", series.id)

    # -- Discord-side checks --------------------------------------------------------------------
    def check_channel(
        self, guild: discord.Guild, channel: discord.TextChannel, role: discord.Role | None
    ) -> None:
        """The bot must be able to post there, and to mention the role (named permission)."""
        require_channel_permissions(channel, guild.me, *POST_PERMISSIONS)
        if role is None:
            return
        if role.is_default():
            raise UserError("apero.error.everyone_role")
        if not role.mentionable and not channel.permissions_for(guild.me).mention_everyone:
            raise UserError(
                "apero.error.cannot_mention_role",
                role=role.mention,
                channel=channel.mention,
                permission="mention_everyone",
            )

    def still_postable(self, guild: discord.Guild, fields: SeriesFields) -> discord.TextChannel:
        """The series' channel, if it still exists and the bot can still post (and ping) there."""
        channel = guild.get_channel(fields.channel_id)
        if not isinstance(channel, discord.TextChannel):
            raise UserError("apero.error.channel_gone", channel=f"<#{fields.channel_id}>")
        role = guild.get_role(fields.role_id) if fields.role_id else None
        self.check_channel(guild, channel, role)
        return channel

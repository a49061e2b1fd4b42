"""What date polls do on Discord: the preview, the public message and its coalesced redraws,
the answers, the closing (by hand, or through the engine at the closing date), the
confirmation that makes a meet-up draft, and the invitation of the available voters once the
meet-up is published.

`PollFlows` is one part of Rencontres' workflows (`RencontresFlows.polls`); what it needs of
the meet-ups side is declared in `Meetups` below, so it never imports that module.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

import discord

from bot.checks import is_moderator, require_guild
from bot.discord_text import escape
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.reminders import Schedule
from bot.user_error import UserError
from cogs.rencontres import render as meetup_render
from cogs.rencontres import service as meetups
from cogs.rencontres.polls import render, service
from cogs.rencontres.polls.service import (
    Availability,
    Poll,
    PollAction,
    PollKind,
    PollStatus,
)
from cogs.rencontres.polls.store import Closed, PollStore
from cogs.rencontres.polls.views import PollViews
from cogs.rencontres.service import Rencontre
from cogs.rencontres.store import RencontreStore

if TYPE_CHECKING:
    from bot.client import Passerelle

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]
CLOSE_OCCURRENCE = "close"  # a poll closes once: one occurrence
INVITE_OCCURRENCE = "invite"


class MeetupViews(Protocol):
    def draft(self, event_id: int, lang: str) -> discord.ui.View: ...

    def rsvp(self, event: Rencontre, lang: str) -> discord.ui.View: ...


class Meetups(Protocol):
    """What polls ask of the meet-ups' workflows."""

    store: RencontreStore
    views: MeetupViews

    async def publish_channel(self, interaction: Interaction) -> discord.TextChannel: ...


class PollFlows:
    def __init__(self, bot: Passerelle, meetups: Meetups, store: PollStore) -> None:
        self.bot = bot
        self.meetups = meetups
        self.store = store
        self.views = PollViews(self)

    def now(self) -> datetime:
        return self.bot.clock.now()

    async def poll_in(self, interaction: Interaction, poll_id: int) -> Poll:
        poll = await self.store.get_in_guild(poll_id, require_guild(interaction).id)
        return service.require_published(poll)

    # -- creating -------------------------------------------------------------------------------
    async def create(
        self,
        interaction: Interaction,
        *,
        title: str,
        slots: str,
        closing: str | None,
        format: str | None,
        place: str | None,
        link: str | None,
        duration: str | None,
        zone: str | None,
    ) -> None:
        """`/rencontre sondage`: everything checked, then a preview only its organiser sees."""
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        own = await self.bot.settings_store.zone_of(guild.id, member=interaction.user.id)
        details = service.validate_poll(
            title=title,
            slots_text=slots,
            closing=closing,
            format=format,
            place=place,
            link=link,
            duration_min=meetups.parse_duration(duration),
            zone=meetups.choose_zone(zone, own.key),
            now=self.now(),
            lang=str(interaction.locale),
        )
        poll = await self.store.create_draft(
            guild.id, interaction.user.id, details, lang, self.now()
        )
        view = self.views.preview(poll.id, lang)
        await interaction.response.send_message(
            render.preview_intro(poll, lang),
            embeds=render.poll_embeds(poll, service.Tally(), lang, leader=None),
            view=view,
            ephemeral=True,
        )
        view.stop()  # its buttons are dynamic items: nothing to keep alive

    async def act(self, interaction: Interaction, poll_id: int, action: PollAction) -> None:
        if action is PollAction.MINE:
            await self.show_grid(interaction, poll_id, 0, edit=False)
        elif action is PollAction.CLOSE:
            await self.close_by_hand(interaction, poll_id)
        else:
            await self._draft_action(interaction, poll_id, action)

    async def _draft_action(
        self, interaction: Interaction, poll_id: int, action: PollAction
    ) -> None:
        lang = interaction_lang(interaction)
        guild = require_guild(interaction)
        draft = service.require_draft_of(
            await self.store.get_in_guild(poll_id, guild.id), interaction.user.id
        )
        if action is PollAction.DROP:
            await self.store.delete_draft(draft.id)
            await interaction.response.edit_message(
                content=t("rencontre.poll.preview.dropped", lang), embeds=[], view=None
            )
            return
        await interaction.response.defer()
        poll = await self.publish(interaction, draft)
        await interaction.edit_original_response(
            content=render.published(poll, lang), embeds=[], view=None
        )

    async def publish(self, interaction: Interaction, draft: Poll) -> Poll:
        now = self.now()
        if draft.slots[-1].starts_at <= now:
            raise UserError("rencontre.poll.error.all_past")
        channel = await self.meetups.publish_channel(interaction)
        lang = self.bot.settings_store.lang_of(draft.guild_id)
        if not await self.store.claim_draft(draft.id, lang, now):  # before the first post
            raise UserError("rencontre.poll.error.already_published")
        poll = draft.with_(status=PollStatus.OPEN, lang=lang)
        try:
            message = await channel.send(
                embeds=render.poll_embeds(poll, service.Tally(), lang, leader=None),
                view=self.views.answers(poll, lang),
            )
        except BaseException:
            await self.store.unclaim(poll.id, now)
            raise
        await self.store.set_fields(poll.id, now, channel_id=channel.id, message_id=message.id)
        poll = poll.with_(channel_id=channel.id, message_id=message.id)
        if poll.closes_at is not None:
            await self._schedule_close(poll, poll.closes_at)
        return poll

    async def _schedule_close(self, poll: Poll, due: datetime) -> None:
        # No expiry: a closing date that fell due while the bot was down still closes it.
        await self.bot.reminders.schedule(
            PollKind.CLOSE,
            str(poll.id),
            poll.guild_id,
            Schedule(occurrence=CLOSE_OCCURRENCE, due_at=due, payload={"id": poll.id}),
        )

    # -- answers --------------------------------------------------------------------------------
    async def answer_page(
        self,
        interaction: Interaction,
        poll_id: int,
        choice: Availability,
        page: int,
        values: list[str],
    ) -> None:
        """The « Oui » or « Si besoin » select of a page of the public message."""
        picked = [int(v) for v in values if v.isdigit()]
        poll = service.require_open(await self.poll_in(interaction, poll_id), self.now())
        positions = [s.position for s in poll.page(page)]
        mine = await self.store.answers_of(poll.id, interaction.user.id)
        changes = service.page_answers(mine, positions, picked, choice)
        await self._write(poll, interaction.user.id, mine, changes)
        lang = interaction_lang(interaction)
        await interaction.response.send_message(
            render.my_answers(poll, mine | changes, lang), ephemeral=True
        )
        self.redraw(poll)

    async def answer_slot(
        self, interaction: Interaction, poll_id: int, position: int, value: str
    ) -> None:
        """One slot of « Mes disponibilités »: the grid is shown again with the answer."""
        try:
            choice = Availability(value)
        except ValueError:
            raise UserError("rencontre.poll.error.unknown_slot") from None
        poll = service.require_open(await self.poll_in(interaction, poll_id), self.now())
        poll.slot(position)  # one of its slots
        mine = await self.store.answers_of(poll.id, interaction.user.id)
        await self._write(poll, interaction.user.id, mine, {position: choice})
        answers, lang = mine | {position: choice}, interaction_lang(interaction)
        page = next(
            p for p in range(poll.grid_pages) if position in {s.position for s in poll.grid_page(p)}
        )
        view = self.views.grid(poll, answers, page, lang)
        await interaction.response.edit_message(
            embed=render.grid_embed(poll, answers, page, lang), view=view
        )
        view.stop()  # dynamic items bound to ids: nothing to keep alive
        self.redraw(poll)

    async def _write(
        self,
        poll: Poll,
        user_id: int,
        mine: dict[int, Availability],
        changes: dict[int, Availability],
    ) -> None:
        """Write what changed, if the poll is still open when it is written."""
        changed = {p: c for p, c in changes.items() if mine.get(p) is not c}
        if not await self.store.write_answers(poll.id, poll.guild_id, user_id, changed, self.now()):
            raise UserError("rencontre.poll.error.closed", title=poll.title)

    async def show_grid(
        self, interaction: Interaction, poll_id: int, page: int, *, edit: bool = True
    ) -> None:
        """« Mes disponibilités »: the member's answers, a page of slots to change."""
        lang = interaction_lang(interaction)
        poll = service.require_open(await self.poll_in(interaction, poll_id), self.now())
        page = max(0, min(page, poll.grid_pages - 1))
        mine = await self.store.answers_of(poll.id, interaction.user.id)
        embed = render.grid_embed(poll, mine, page, lang)
        view = self.views.grid(poll, mine, page, lang)
        if edit:
            await interaction.response.edit_message(embed=embed, view=view)
        else:
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True)
        view.stop()  # dynamic items bound to ids: nothing to keep alive

    # -- the public message ---------------------------------------------------------------------
    def redraw(self, poll: Poll) -> None:
        """The tallies changed: the public message follows, coalesced (`bot.redraws`)."""
        if poll.channel_id and poll.message_id:
            self.bot.redraws.request(("rencontre.sondage", poll.id), lambda: self.draw(poll.id))

    async def draw(self, poll_id: int) -> None:
        """Edit the public message with the state read now (raises for `bot.redraws`)."""
        poll = await self.store.get(poll_id)
        if poll is None or not poll.channel_id or not poll.message_id:
            return
        tallied = await self.store.tally(poll.id)
        leader = service.best_slot(poll.slots, tallied) if tallied.voters else None
        partial = self.bot.get_partial_messageable(poll.channel_id, guild_id=poll.guild_id)
        await partial.get_partial_message(poll.message_id).edit(
            embeds=render.poll_embeds(poll, tallied, poll.lang, leader=leader),
            view=self.views.answers(poll, poll.lang),
        )

    # -- closing --------------------------------------------------------------------------------
    async def close_by_hand(self, interaction: Interaction, poll_id: int) -> None:
        """« Clore le sondage » (organiser or moderator): closed now, the proposal follows
        through the engine, like a closing date (one path, exactly once)."""
        lang = interaction_lang(interaction)
        poll = await self.poll_in(interaction, poll_id)
        service.require_closer(poll, interaction.user.id, is_moderator(interaction))
        closed = await self.store.close(poll.id, interaction.user.id, self.now())
        if closed is None:
            raise UserError("rencontre.poll.error.already_closed", title=poll.title)
        await interaction.response.send_message(render.closed_answer(poll, lang), ephemeral=True)
        await self.after_close(closed)
        await self._schedule_close(closed.poll, self.now())  # replaces the closing date's

    async def close_due(self, poll_id: int) -> Closed | None:
        """The closing date (engine): closes the poll if still open; None when it was closed
        already (by hand, or by this item before a crash)."""
        closed = await self.store.close(poll_id, service.CLOSED_BY_DATE, self.now())
        if closed is not None:
            await self.after_close(closed)
        return closed

    async def after_close(self, closed: Closed) -> None:
        self.redraw(closed.poll)

    # -- confirming -----------------------------------------------------------------------------
    async def confirm(self, interaction: Interaction, poll_id: int, position: int) -> None:
        """The organiser confirms a slot: it becomes a meet-up draft, previewed as
        `/rencontre creer` does (a form first when the poll did not say where)."""
        lang = interaction_lang(interaction)
        poll = await self.poll_in(interaction, poll_id)
        service.require_confirmer(poll, interaction.user.id, is_moderator(interaction))
        service.pick_slot(poll, position, self.now())
        if service.needs_where(poll):
            await interaction.response.send_modal(self.views.where_form(poll, position, lang))
            return
        await self._draft(interaction, poll, position, where=None)

    async def confirm_where(
        self, interaction: Interaction, poll_id: int, position: int, where: str
    ) -> None:
        poll = await self.poll_in(interaction, poll_id)
        service.require_confirmer(poll, interaction.user.id, is_moderator(interaction))
        await self._draft(interaction, poll, position, where=where)

    async def _draft(
        self, interaction: Interaction, poll: Poll, position: int, where: str | None
    ) -> None:
        lang = interaction_lang(interaction)
        now = self.now()
        slot = service.pick_slot(poll, position, now)
        details = service.meetup_details(poll, slot, where=where)  # validated: may refuse
        draft = await self.meetups.store.create_draft(
            poll.guild_id, interaction.user.id, details, lang, now
        )
        if not await self.store.confirm(poll.id, position, draft.id, now):
            await self.meetups.store.delete_draft(draft.id)
            raise UserError("rencontre.poll.error.already_confirmed", title=poll.title)
        view = self.meetups.views.draft(draft.id, lang)
        await interaction.response.send_message(
            t("rencontre.poll.confirmed", lang, number=position, title=escape(poll.title))
            + "\n"
            + t("rencontre.preview.intro", lang),
            embed=meetup_render.preview_embed(draft, lang),
            view=view,
            ephemeral=True,
        )
        view.stop()
        self.redraw(poll.with_(status=PollStatus.CONFIRMED, chosen=position))

    # -- once the meet-up is published ----------------------------------------------------------
    async def after_publish(self, event: Rencontre) -> None:
        """A meet-up born of a poll is public: its available voters are told (engine)."""
        poll = await self.store.by_rencontre(event.id)
        if poll is None or poll.chosen is None:
            return
        now = self.now()
        await self.bot.reminders.schedule(
            PollKind.INVITE,
            str(poll.id),
            event.guild_id,
            Schedule(
                occurrence=INVITE_OCCURRENCE,
                due_at=now,
                expires_at=event.starts_at,
                payload={"id": poll.id, "event": event.id},
            ),
        )

"""Interaction flows shared by commands, buttons and forms: drafts, edits, answers, the list."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import discord

from bot.checks import require_guild
from bot.discord_text import EMBED_DESCRIPTION_LIMIT, escape, truncate
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.user_error import UserError
from cogs.rencontres import render, service, views
from cogs.rencontres.actions import Actions
from cogs.rencontres.store import RencontreStore

if TYPE_CHECKING:
    from bot.client import Passerelle

Interaction = discord.Interaction["Passerelle"]
PAGE_SIZE = 10


class Flows:
    def __init__(self, bot: Passerelle, store: RencontreStore, actions: Actions) -> None:
        self.bot = bot
        self.store = store
        self.actions = actions

    async def draft_action(self, interaction: Interaction, event_id: int, action: str) -> None:
        lang = interaction_lang(interaction)
        draft = await self.store.get_in_guild(event_id, require_guild(interaction).id)
        if draft is None or draft.organiser_id != interaction.user.id:
            raise UserError("rencontre.error.unknown")
        if draft.status != "draft":
            raise UserError("rencontre.error.already_published")
        if action == "edit":
            await interaction.response.send_modal(views.EditModal(draft, lang))
            return
        if action == "drop":
            await self.store.delete_draft(draft.id)
            await interaction.response.edit_message(
                content=t("rencontre.preview.dropped", lang), embed=None, view=None
            )
            return
        await interaction.response.defer()
        event = await self.actions.publish(interaction, draft)
        link = (
            f"https://discord.com/channels/{event.guild_id}/{event.channel_id}/{event.message_id}"
        )
        await interaction.edit_original_response(
            content=t("rencontre.preview.published", lang, link=link), embed=None, view=None
        )

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
        if event is not None and event.status == "draft":
            if event.organiser_id != interaction.user.id:
                raise UserError("rencontre.error.not_organiser")
        else:
            event = await self.actions.managed_event(interaction, event_id)
        details = self.details(
            interaction,
            event,
            title=title,
            when=when,
            place=where if event.format == "presentiel" else None,
            link=where if event.format == "visio" else None,
            capacity=capacity,
            keep_capacity=False,
            description=description,
        )
        if event.status == "draft":
            await self.store.update_details(event.id, details, self.bot.clock.now())
            updated = await self.store.get(event.id)
            assert updated is not None
            await interaction.response.edit_message(
                content=t("rencontre.preview.intro", lang),
                embed=render.preview_embed(updated, lang),
                view=views.draft_view(updated.id, lang),
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        changed = await self.actions.apply_edit(event, details)
        await self.edited(interaction, changed, lang)

    async def edited(self, interaction: Interaction, changed: list[str], lang: str) -> None:
        text = (
            t(
                "rencontre.edit.done",
                lang,
                fields=", ".join(t(f"rencontre.field.{k}", lang) for k in changed),
            )
            if changed
            else t("rencontre.edit.nothing", lang)
        )
        await interaction.followup.send(text, ephemeral=True)

    def details(
        self,
        interaction: Interaction,
        event: service.Rencontre,
        *,
        title: str | None = None,
        when: str | None = None,
        place: str | None = None,
        link: str | None = None,
        capacity: int | None = None,
        keep_capacity: bool = True,
        duration: str | None = None,
        description: str | None = None,
    ) -> service.Details:
        """The event's details with what the member changed, all validated."""
        now = self.bot.clock.now()
        starts = event.starts_at
        if when is not None and when.strip():
            starts = service.parse_start(when, event.zone, now, str(interaction.locale))
        return service.validate_details(
            title=event.title if title is None else title,
            starts_at=starts,
            duration_min=event.duration_min
            if duration is None
            else service.parse_duration(duration),
            zone=event.zone,
            format=event.format,
            place=event.place if place is None else place,
            link=event.link if link is None else link,
            capacity=event.capacity if keep_capacity and capacity is None else capacity,
            description=event.description if description is None else description,
        )

    # -- answers --------------------------------------------------------------------------------
    async def rsvp(self, interaction: Interaction, event_id: int, choice: str) -> None:
        lang = interaction_lang(interaction)
        now = self.bot.clock.now()
        event = service.require_open(
            await self.store.get_in_guild(event_id, require_guild(interaction).id), now
        )
        user_id = interaction.user.id
        outcome = await self.store.change_answers(
            event.id, lambda a: service.answer(a, user_id, choice, event.capacity), now
        )
        key = {
            "going": "rencontre.rsvp.going",
            "waiting": "rencontre.rsvp.waiting",
            "maybe": "rencontre.rsvp.maybe",
            None: "rencontre.rsvp.left",
        }[outcome.status]
        await interaction.response.send_message(
            t(key, lang, title=escape(event.title), position=outcome.position or 0), ephemeral=True
        )
        if outcome.status == "going":
            await self.actions.add_to_thread(event, [user_id])
        await self.actions.refresh(event)
        await self.actions.announce_promotions(event, outcome.promoted)

    async def show_page(self, interaction: Interaction, page: int, *, edit: bool) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        now = self.bot.clock.now()
        total = await self.store.count_upcoming(guild.id, now)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        page = min(page, pages - 1)
        events = await self.store.upcoming(guild.id, now, PAGE_SIZE, page * PAGE_SIZE)
        lines = []
        for event in events:
            going = len((await self.store.attendance(event.id)).of("going"))
            lines.append(render.list_line(event, going, lang))
        embed = discord.Embed(
            title=t("rencontre.list.title", lang, count=total),
            description=truncate("\n".join(lines), EMBED_DESCRIPTION_LIMIT)
            or t("rencontre.list.empty", lang),
            colour=discord.Colour.teal(),
        )
        embed.set_footer(text=t("rencontre.list.page", lang, page=page + 1, pages=pages))
        view = views.page_view(page, pages, lang)
        if edit:
            await interaction.response.edit_message(embed=embed, view=view)
        else:
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

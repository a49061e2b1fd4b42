"""The cog's Discord-side helpers: channel and role checks, choices and autocomplete lists."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot import recurrence as weekly
from bot.checks import require_channel_permissions
from bot.discord_text import truncate
from bot.i18n import format_datetime
from bot.i18n.commands import L, interaction_lang
from bot.user_error import UserError
from cogs.apero import recurrence as rec
from cogs.apero.model import SeriesFields
from cogs.apero.service import AperoService

if TYPE_CHECKING:
    from bot.client import Passerelle

POST_PERMISSIONS = ("view_channel", "send_messages", "embed_links")
PREVIEW_COUNT = 4
Channelish = discord.VoiceChannel | discord.StageChannel
WEEKDAY_CHOICES = [
    app_commands.Choice(name=L(f"weekday.{i}"), value=i) for i in range(len(weekly.WEEKDAYS))
]
REMINDER_SUGGESTIONS = {
    "fr": [
        rec.DEFAULT_OFFSETS,
        "15 min avant",
        "1 h avant",
        "la veille à 18h",
        "le jour même à 9h, 15 min avant",
        "2 jours avant à 10h, la veille à 18h, 15 min avant",
    ],
    "en": [
        "the day before at 18:00, 15 min before",
        "15 min before",
        "1 h before",
        "the day before at 18:00",
        "same day at 9:00, 15 min before",
    ],
}


def check_channel(
    guild: discord.Guild, channel: discord.TextChannel, role: discord.Role | None
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


def still_postable(guild: discord.Guild, fields: SeriesFields) -> discord.TextChannel:
    """The series' channel, if it still exists and the bot can still post (and ping) there."""
    channel = guild.get_channel(fields.channel_id)
    if not isinstance(channel, discord.TextChannel):
        raise UserError("apero.error.channel_gone", channel=f"<#{fields.channel_id}>")
    role = guild.get_role(fields.role_id) if fields.role_id else None
    check_channel(guild, channel, role)
    return channel


async def date_choices(
    service: AperoService,
    interaction: discord.Interaction[Passerelle],
    current: str,
    *,
    skipped: bool,
) -> list[app_commands.Choice[str]]:
    guild_id = interaction.guild_id
    try:
        series = await service.series(guild_id or 0, interaction.namespace.serie)
    except UserError:
        return []
    lang = interaction_lang(interaction)
    now = interaction.client.clock.now()
    skips = await service.store.skips(series.id)
    if skipped:
        days = sorted(d for d in skips if weekly.start_on(series.spec, d) > now)
        occs = [weekly.Occurrence(d, weekly.start_on(series.spec, d)) for d in days]
    else:
        occs = weekly.next_occurrences(series.spec, now, 25, skips)
    words = [(format_datetime(o.start, lang, series.spec.zone), o.day.isoformat()) for o in occs]
    return [
        app_commands.Choice(name=truncate(name, 100), value=value)
        for name, value in words
        if current.strip().lower() in (name.lower() + " " + value)
    ][:25]

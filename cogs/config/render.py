"""What `/config` shows: the server's settings, the scheduled messages and recent problems."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import discord

from bot.discord_text import EMBED_FIELD_VALUE_LIMIT, truncate, ts
from bot.guild_settings import GuildSettings
from bot.i18n import has, t
from bot.reminders import DueItem, Problem
from cogs.config.service import Setting

COLOUR = discord.Colour.blurple()


def setting_name(setting: Setting, lang: str) -> str:
    return t(f"config.field.{setting}", lang)


def saved(setting: Setting, value: str, lang: str) -> str:
    return t("config.saved", lang, what=setting_name(setting, lang), value=value)


def settings_embed(
    settings: GuildSettings, *, language: str, zone: str, region: str, lang: str
) -> discord.Embed:
    """Every setting, and which ones are the bot's defaults (`language`, `zone`, `region`:
    what the server reads, whether set or not)."""
    unset = t("config.unset", lang)

    def by_default(value: str, chosen: object) -> str:
        return value if chosen else t("config.by_default", lang, value=value)

    def channel(channel_id: int | None) -> str:
        return f"<#{channel_id}>" if channel_id else unset

    role = settings.moderator_role_id
    rows = {
        Setting.LANGUAGE: by_default(t(f"config.language.{language}", lang), settings.language),
        Setting.TIMEZONE: by_default(zone, settings.timezone),
        Setting.REGION: by_default(t(f"region.{region}", lang), settings.region),
        Setting.MODERATOR_ROLE: f"<@&{role}>" if role else unset,
        Setting.ANNOUNCE_CHANNEL: channel(settings.announce_channel_id),
        Setting.MOD_CHANNEL: channel(settings.mod_channel_id),
    }
    embed = discord.Embed(title=t("config.show.title", lang), colour=COLOUR)
    for setting, value in rows.items():
        embed.add_field(name=setting_name(setting, lang), value=value, inline=True)
    return embed


def _kind(kind: str, lang: str) -> str:
    key = f"reminders.kind.{kind}"
    return t(key, lang) if has(key, lang) else kind


def _reason(code: str, lang: str) -> str:
    key = f"reminders.failure.{code}"
    return t(key, lang) if has(key, lang) else t("reminders.failure.other", lang, code=code)


def _problem(problem: Problem, lang: str) -> str:
    status = t(f"config.reminders.status.{problem.status}", lang)
    kind, when = _kind(problem.kind, lang), _when(problem.at)
    if problem.error is None:
        return t("config.reminders.problem", lang, when=when, kind=kind, status=status)
    reason = _reason(problem.error, lang)
    return t(
        "config.reminders.problem_why", lang, when=when, kind=kind, status=status, reason=reason
    )


def _when(at: datetime) -> str:
    return ts(at, "f")


def reminders_embed(
    pending: Sequence[DueItem], total: int, problems: Sequence[Problem], lang: str
) -> discord.Embed:
    embed = discord.Embed(title=t("config.reminders.title", lang), colour=COLOUR)
    none = t("config.reminders.none", lang)
    lines = [
        t(
            "config.reminders.item",
            lang,
            when=_when(item.due_at),
            rel=ts(item.due_at, "R"),
            kind=_kind(item.kind, lang),
        )
        for item in pending
    ]
    embed.add_field(
        name=t("config.reminders.pending", lang, n=total),
        value=truncate("\n".join(lines), EMBED_FIELD_VALUE_LIMIT) or none,
        inline=False,
    )
    failures = [_problem(problem, lang) for problem in problems]
    embed.add_field(
        name=t("config.reminders.problems", lang),
        value=truncate("\n".join(failures), EMBED_FIELD_VALUE_LIMIT) or none,
        inline=False,
    )
    return embed

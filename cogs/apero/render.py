"""Embeds and lines for series, previews and reminders, within Discord's limits by construction."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import discord

from bot import recurrence as weekly
from bot.discord_text import (
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    EMBED_TITLE_LIMIT,
    escape,
    fit_list,
    truncate,
    ts,
)
from bot.i18n import format_datetime, t
from cogs.apero import recurrence as rec
from cogs.apero.model import Series, SeriesFields

PARIS = ZoneInfo("Europe/Paris")
MONTREAL = ZoneInfo("America/Montreal")
COLOUR = discord.Colour.from_rgb(230, 126, 34)


def weekday_name(weekday: int, lang: str) -> str:
    return t(f"weekday.{weekday}", lang)


def offset_label(offset: rec.Offset, lang: str) -> str:
    if offset.minutes is not None:
        hours, minutes = divmod(offset.minutes, 60)
        if not hours:
            return t("apero.offset.minutes", lang, minutes=minutes)
        if not minutes:
            return t("apero.offset.hours", lang, hours=hours)
        return t("apero.offset.hours_minutes", lang, hours=hours, minutes=f"{minutes:02d}")
    assert offset.at is not None
    at = f"{offset.at:%H:%M}"
    if offset.days == 0:
        return t("apero.offset.same_day", lang, time=at)
    if offset.days == 1:
        return t("apero.offset.day_before", lang, time=at)
    return t("apero.offset.days_before", lang, days=offset.days, time=at)


def offsets_label(fields: SeriesFields, lang: str) -> str:
    return ", ".join(offset_label(o, lang) for o in fields.offset_values)


def in_words(instant: datetime, lang: str, zone: ZoneInfo) -> str:
    """Paris and Montréal in words, plus the series' zone when it is neither."""
    text = t(
        "time.paris_montreal",
        lang,
        paris=format_datetime(instant, lang, PARIS),
        montreal=format_datetime(instant, lang, MONTREAL),
    )
    if zone.key not in (PARIS.key, MONTREAL.key, "America/Toronto"):
        text = f"{format_datetime(instant, lang, zone, with_zone=True)}\n{text}"
    return text


def place(fields: SeriesFields, lang: str) -> str:
    parts = []
    if fields.link:
        parts.append(fields.link)
    if fields.voice_channel_id:
        parts.append(f"<#{fields.voice_channel_id}>")
    return "\n".join(parts) or t("apero.none", lang)


def rhythm(fields: SeriesFields, lang: str) -> str:
    return t(
        "apero.rhythm",
        lang,
        weekday=weekday_name(fields.weekday, lang),
        time=fields.at_time,
        zone=fields.zone,
    )


def occurrence_line(occ: weekly.Occurrence, lang: str, zone: ZoneInfo) -> str:
    return f"{ts(occ.start, 'F')} ({ts(occ.start, 'R')})\n{in_words(occ.start, lang, zone)}"


def describe(
    fields: SeriesFields, lang: str, upcoming: list[weekly.Occurrence], *, title: str
) -> discord.Embed:
    """A series and its next occurrences (the preview, /apero modifier's answer)."""
    embed = discord.Embed(
        title=truncate(title, EMBED_TITLE_LIMIT),
        description=truncate(escape(fields.welcome or ""), EMBED_DESCRIPTION_LIMIT) or None,
        colour=COLOUR,
    )
    embed.add_field(name=t("apero.field.name", lang), value=escape(fields.name), inline=True)
    embed.add_field(name=t("apero.field.when", lang), value=rhythm(fields, lang), inline=True)
    embed.add_field(name=t("apero.field.channel", lang), value=f"<#{fields.channel_id}>")
    embed.add_field(name=t("apero.field.place", lang), value=place(fields, lang), inline=False)
    embed.add_field(
        name=t("apero.field.role", lang),
        value=f"<@&{fields.role_id}>" if fields.role_id else t("apero.none", lang),
    )
    embed.add_field(
        name=t("apero.field.reminders", lang),
        value=truncate(offsets_label(fields, lang), EMBED_FIELD_VALUE_LIMIT),
        inline=False,
    )
    lines = [occurrence_line(o, lang, fields.spec.zone) for o in upcoming]
    embed.add_field(
        name=t("apero.field.next", lang, count=len(upcoming)),
        value=fit_list(lines, EMBED_FIELD_VALUE_LIMIT, t("apero.more", lang), sep="\n\n")
        or t("apero.none", lang),
        inline=False,
    )
    return embed


def series_line(series: Series, lang: str, nxt: weekly.Occurrence | None) -> str:
    state = (
        t("apero.state.paused_failure", lang)
        if series.paused and (series.pause_reason or "").startswith("failure")
        else t("apero.state.paused", lang)
        if series.paused
        else t("apero.state.active", lang)
    )
    when = ts(nxt.start, "F") if nxt and not series.paused else "—"
    return t(
        "apero.list.line",
        lang,
        name=escape(series.name),
        rhythm=rhythm(series.fields, lang),
        channel=f"<#{series.fields.channel_id}>",
        state=state,
        next=when,
    )


def reminder_embed(
    series: Series, occ: weekly.Occurrence, lang: str, *, late: bool
) -> discord.Embed:
    fields = series.fields
    embed = discord.Embed(
        title=truncate(t("apero.reminder.title", lang, name=fields.name), EMBED_TITLE_LIMIT),
        description=truncate(escape(fields.welcome or ""), EMBED_DESCRIPTION_LIMIT) or None,
        colour=COLOUR,
    )
    embed.add_field(
        name=t("apero.field.when", lang),
        value=f"{ts(occ.start, 'F')} ({ts(occ.start, 'R')})",
        inline=False,
    )
    embed.add_field(
        name=t("apero.field.times", lang),
        value=in_words(occ.start, lang, fields.spec.zone),
        inline=False,
    )
    embed.add_field(name=t("apero.field.place", lang), value=place(fields, lang), inline=False)
    footer = t("apero.reminder.footer", lang)
    if late:
        footer = f"{t('reminders.late_note', lang)}\n{footer}"
    embed.set_footer(text=footer)
    return embed

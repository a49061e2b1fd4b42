"""What apéros look like on Discord: embeds and texts, within Discord's limits by construction."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

import discord

from bot import recurrence as weekly
from bot.discord_text import (
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELD_NAME_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    EMBED_FIELDS_MAX,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
    escape,
    fit_list,
    truncate,
    ts,
)
from bot.i18n import format_clock, format_paris_montreal, has, t, tn
from bot.when.offsets import format_offsets
from cogs.apero.service import HandBack, Series, SeriesFields

COLOUR = discord.Colour.from_rgb(230, 126, 34)


def mention(user_id: int) -> str:
    return f"<@{user_id}>"


def role_pings(role_id: int | None) -> discord.AllowedMentions:
    """Only the role the moderators configured may ping; nothing from the welcome text."""
    if not role_id:
        return discord.AllowedMentions.none()
    return discord.AllowedMentions(
        everyone=False, users=False, roles=[discord.Object(role_id)], replied_user=False
    )


def rhythm(fields: SeriesFields, lang: str) -> str:
    return t(
        "apero.rhythm",
        lang,
        weekday=t(f"weekday.{fields.weekday}", lang),
        time=format_clock(fields.at, lang),
        zone=fields.zone,
    )


def place(fields: SeriesFields, lang: str) -> str:
    parts = []
    if fields.link:
        parts.append(fields.link)
    if fields.voice_channel_id:
        parts.append(f"<#{fields.voice_channel_id}>")
    return "\n".join(parts) or t("apero.none", lang)


def occurrence_line(occ: weekly.Occurrence, lang: str, zone: ZoneInfo) -> str:
    words = format_paris_montreal(occ.start, lang, zone)
    return f"{ts(occ.start, 'F')} ({ts(occ.start, 'R')})\n{words}"


def describe(
    fields: SeriesFields,
    lang: str,
    upcoming: Sequence[weekly.Occurrence],
    *,
    title: str,
    host_id: int | None = None,
) -> discord.Embed:
    """A series and its next occurrences (the preview, and the answers that change it)."""
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
    if host_id:
        embed.add_field(name=t("apero.field.host", lang), value=mention(host_id))
    embed.add_field(
        name=t("apero.field.reminders", lang),
        value=truncate(format_offsets(fields.offsets, lang), EMBED_FIELD_VALUE_LIMIT),
        inline=False,
    )
    lines = [occurrence_line(o, lang, fields.spec.zone) for o in upcoming]
    embed.add_field(
        name=tn("apero.field.next", len(upcoming), lang),
        value=fit_list(lines, EMBED_FIELD_VALUE_LIMIT, t("apero.more", lang), sep="\n\n")
        or t("apero.no_dates", lang),
        inline=False,
    )
    return embed


def state(series: Series, lang: str) -> str:
    if series.paused_by_failure:
        return t("apero.state.paused_failure", lang)
    return t("apero.state.paused" if series.paused else "apero.state.active", lang)


def series_line(series: Series, lang: str, nxt: weekly.Occurrence | None) -> str:
    return t(
        "apero.list.line_hosted" if series.host_id else "apero.list.line",
        lang,
        name=escape(series.name),
        rhythm=rhythm(series.fields, lang),
        channel=f"<#{series.fields.channel_id}>",
        state=state(series, lang),
        next=ts(nxt.start, "F") if nxt and not series.paused else "—",
        host=mention(series.host_id or 0),
    )


def list_embed(lines: Sequence[str], lang: str) -> discord.Embed:
    embed = discord.Embed(title=t("apero.list.title", lang), colour=COLOUR)
    embed.description = (
        fit_list(lines, EMBED_DESCRIPTION_LIMIT, t("apero.more", lang), sep="\n")
        if lines
        else t("apero.list.empty", lang)
    )
    return embed


def upcoming_embed(found: Sequence[tuple[Series, weekly.Occurrence]], lang: str) -> discord.Embed:
    """/apero prochaines: one field per occurrence, what does not fit counted in the footer."""
    embed = discord.Embed(title=t("apero.upcoming.title", lang), colour=COLOUR)
    if not found:
        embed.description = t("apero.upcoming.empty", lang)
    shown = found[:EMBED_FIELDS_MAX]
    # Room kept for the footer that counts what did not fit (Discord: 6000 in all).
    budget = EMBED_TOTAL_LIMIT - len(embed) - len(t("apero.more", lang, n=len(shown)))
    for index, (series, occ) in enumerate(shown):
        name = truncate(series.name, EMBED_FIELD_NAME_LIMIT)
        value = truncate(
            f"{occurrence_line(occ, lang, series.spec.zone)}\n{place(series.fields, lang)}",
            EMBED_FIELD_VALUE_LIMIT,
        )
        if len(name) + len(value) > budget:
            embed.set_footer(text=t("apero.more", lang, n=len(shown) - index))
            break
        budget -= len(name) + len(value)
        embed.add_field(name=name, value=value, inline=False)
    return embed


def reminder_embed(
    series: Series, occ: weekly.Occurrence, lang: str, *, late: bool, note: str | None = None
) -> discord.Embed:
    """A reminder, or an announcement with the host's `note` above the welcome message."""
    fields = series.fields
    text = "\n\n".join(escape(part) for part in (note, fields.welcome) if part)
    embed = discord.Embed(
        title=truncate(t("apero.reminder.title", lang, name=fields.name), EMBED_TITLE_LIMIT),
        description=truncate(text, EMBED_DESCRIPTION_LIMIT) or None,
        colour=COLOUR,
    )
    embed.add_field(
        name=t("apero.field.when", lang),
        value=f"{ts(occ.start, 'F')} ({ts(occ.start, 'R')})",
        inline=False,
    )
    embed.add_field(
        name=t("apero.field.times", lang),
        value=format_paris_montreal(occ.start, lang, fields.spec.zone),
        inline=False,
    )
    embed.add_field(name=t("apero.field.place", lang), value=place(fields, lang), inline=False)
    footer = t("apero.reminder.footer", lang)
    if late:
        footer = f"{t('reminders.late_note', lang)}\n{footer}"
    embed.set_footer(text=footer)
    return embed


def go_label(count: int, lang: str) -> str:
    return t("apero.go.label", lang, count=count)


def go_answer(name: str, attending: bool, count: int, lang: str) -> str:
    key = "apero.go.added" if attending else "apero.go.removed"
    return tn(key, count, lang, name=escape(name))


def paused_failure(series: Series, code: str, lang: str) -> str:
    """The series was paused because Discord refused a reminder for good."""
    known = f"reminders.failure.{code}"
    reason = t(known, lang) if has(known) else t("reminders.failure.other", lang, code=code)
    return t(
        "apero.paused_failure",
        lang,
        name=escape(series.name),
        channel=f"<#{series.fields.channel_id}>",
        reason=reason,
    )


def handed_back(series: Series, host_id: int, why: HandBack, lang: str) -> str:
    """To the moderators: the host is gone, the series is theirs again. An erased host is not
    named (they asked to be forgotten)."""
    if why is HandBack.ERASED:
        return t("apero.host.erased", lang, name=escape(series.name))
    return t("apero.host.left", lang, name=escape(series.name), host=mention(host_id))

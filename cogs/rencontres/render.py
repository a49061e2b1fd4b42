"""What Rencontres look like on Discord: embeds and texts, within Discord's limits."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import discord

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
from cogs.rencontres.service import (
    Attendance,
    Rencontre,
    format_duration,
    osm_link,
    seats_left,
)

PARIS, MONTREAL = ZoneInfo("Europe/Paris"), ZoneInfo("America/Montreal")
# Three lists of this size, the description and the rest stay under the 6000-character embed.
PEOPLE_LIMIT = 800
COLOURS = {
    "draft": discord.Colour.light_grey(),
    "published": discord.Colour.teal(),
    "cancelled": discord.Colour.red(),
    "archived": discord.Colour.dark_grey(),
}


def mention(user_id: int) -> str:
    return f"<@{user_id}>" if user_id else "—"


def in_words(instant: datetime, lang: str, zone: str | None = None) -> str:
    """Paris and Montréal in words, plus the organiser's zone when it is neither."""
    text = t(
        "time.paris_montreal",
        lang,
        paris=format_datetime(instant, lang, PARIS),
        montreal=format_datetime(instant, lang, MONTREAL),
    )
    if zone and zone not in (PARIS.key, MONTREAL.key, "America/Toronto"):
        text += "\n" + format_datetime(instant, lang, ZoneInfo(zone), with_zone=True)
    return text


def when_text(event: Rencontre, lang: str) -> str:
    return t(
        "rencontre.embed.when_value",
        lang,
        full=ts(event.starts_at, "F"),
        relative=ts(event.starts_at, "R"),
        duration=format_duration(event.duration_min),
        words=in_words(event.starts_at, lang, event.zone),
    )


def where_text(event: Rencontre, lang: str) -> str:
    if event.place:
        # The address is user text: escaped, and its link built by us.
        place = truncate(escape(event.place), 400)
        text = t("rencontre.embed.where_place", lang, place=place, map=osm_link(event.place))
        # A long accented address makes a long map link: the address alone must still fit.
        return text if len(text) <= EMBED_FIELD_VALUE_LIMIT else place
    return t("rencontre.embed.where_link", lang, link=event.link or "")


def people(user_ids: list[int], lang: str, numbered: bool = False) -> str:
    if not user_ids:
        return t("rencontre.embed.nobody", lang)
    items = [f"{i}. {mention(u)}" if numbered else mention(u) for i, u in enumerate(user_ids, 1)]
    return fit_list(items, PEOPLE_LIMIT, t("rencontre.embed.and_more", lang))


def event_embed(event: Rencontre, attendance: Attendance, lang: str) -> discord.Embed:
    going, maybe, waiting = (attendance.of(s) for s in ("going", "maybe", "waiting"))
    title = event.title
    if event.status == "cancelled":
        title = t("rencontre.embed.cancelled_title", lang, title=event.title)
    elif event.status == "archived":
        title = t("rencontre.embed.archived_title", lang, title=event.title)
    embed = discord.Embed(
        title=truncate(title, EMBED_TITLE_LIMIT),
        description=truncate(event.description, EMBED_DESCRIPTION_LIMIT) or None,
        colour=COLOURS.get(event.status, discord.Colour.teal()),
    )
    embed.add_field(
        name=t("rencontre.embed.when", lang), value=when_text(event, lang), inline=False
    )
    embed.add_field(
        name=t(f"rencontre.format.{event.format}", lang),
        value=where_text(event, lang),
        inline=False,
    )
    embed.add_field(
        name=t("rencontre.embed.organiser", lang), value=mention(event.organiser_id), inline=True
    )
    left = seats_left(event.capacity, len(going))
    embed.add_field(
        name=t("rencontre.embed.seats", lang),
        value=t("rencontre.embed.seats_unlimited", lang)
        if left is None
        else t("rencontre.embed.seats_left", lang, left=left, capacity=event.capacity),
        inline=True,
    )
    embed.add_field(
        name=t("rencontre.embed.going", lang, n=len(going)), value=people(going, lang), inline=False
    )
    embed.add_field(
        name=t("rencontre.embed.maybe", lang, n=len(maybe)), value=people(maybe, lang), inline=False
    )
    if waiting:
        embed.add_field(
            name=t("rencontre.embed.waiting", lang, n=len(waiting)),
            value=people(waiting, lang, numbered=True),
            inline=False,
        )
    embed.set_footer(text=t("rencontre.embed.footer", lang, id=event.id))
    embed.timestamp = event.starts_at
    return embed


def preview_embed(event: Rencontre, lang: str) -> discord.Embed:
    embed = event_embed(event, Attendance(), lang)
    local = format_datetime(event.starts_at, lang, event.tz, with_zone=True)
    embed.insert_field_at(
        0,
        name=t("rencontre.preview.understood", lang),
        # Paris and Montréal in words are in the "Quand" field just below.
        value=t("rencontre.preview.understood_value", lang, local=local),
        inline=False,
    )
    return embed


def list_line(event: Rencontre, going: int, lang: str) -> str:
    left = seats_left(event.capacity, going)
    return t(
        "rencontre.list.line",
        lang,
        id=event.id,
        title=escape(truncate(event.title, 100)),
        when=ts(event.starts_at, "f"),
        relative=ts(event.starts_at, "R"),
        seats=t("rencontre.embed.seats_unlimited", lang)
        if left is None
        else t("rencontre.embed.seats_left", lang, left=left, capacity=event.capacity),
    )


def mention_line(user_ids: list[int], limit: int = 1200) -> str:
    """Attendees' mentions for a message, cut to fit (the message also needs its text)."""
    return fit_list([mention(u) for u in user_ids[:100]], limit, "+{n}", sep=" ")

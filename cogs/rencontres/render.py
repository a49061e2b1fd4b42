"""What Rencontres look like on Discord: embeds, texts and files, within Discord's limits."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import discord

from bot.discord_text import (
    CONTENT_LIMIT,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    EMBED_TITLE_LIMIT,
    escape,
    fit_list,
    truncate,
    ts,
)
from bot.i18n import format_datetime, format_duration, format_paris_montreal, t, tn
from bot.when.offsets import Offset, format_offsets
from cogs.rencontres.service import (
    PRESENCE_ORDER,
    TITLE_MAX,
    Attendance,
    Presence,
    Rencontre,
    RsvpOutcome,
    Status,
    osm_link,
    seats_left,
)

# Three lists of this size, the description and the rest stay under the 6000-character embed.
PEOPLE_LIMIT = 800
PLACE_SHOWN_MAX = 400
MENTIONS_MAX = 100  # Discord pings at most 100 users listed in allowed_mentions
MENTION_LINE_LIMIT = 1200  # the rest of a notice needs room too
NAME_MAX = 100  # Discord's limit on a scheduled event's name and location
MIRROR_DESCRIPTION_MAX = 1000
COLOURS = {
    Status.DRAFT: discord.Colour.light_grey(),
    Status.PUBLISHED: discord.Colour.teal(),
    Status.CANCELLED: discord.Colour.red(),
    Status.ARCHIVED: discord.Colour.dark_grey(),
}
# Spreadsheets of French locales expect « ; » and a BOM to read UTF-8; English ones « , ».
CSV_DIALECTS = {"fr": (";", "\ufeff"), "en": (",", "")}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def mention(user_id: int) -> str:
    return f"<@{user_id}>" if user_id else "—"


def users(user_ids: list[int]) -> discord.AllowedMentions:
    """Pings for these members only: never @everyone nor a role."""
    return discord.AllowedMentions(
        everyone=False, roles=False, users=[discord.Object(u) for u in user_ids[:MENTIONS_MAX]]
    )


def jump_link(event: Rencontre) -> str:
    if not event.channel_id or not event.message_id:
        return ""
    return f"https://discord.com/channels/{event.guild_id}/{event.channel_id}/{event.message_id}"


def when_text(event: Rencontre, lang: str) -> str:
    return t(
        "rencontre.embed.when_value",
        lang,
        full=ts(event.starts_at, "F"),
        relative=ts(event.starts_at, "R"),
        duration=format_duration(event.duration_min, lang),
        words=format_paris_montreal(event.starts_at, lang, event.zone),
    )


def where_text(event: Rencontre, lang: str) -> str:
    if event.place:
        # The address is user text: escaped, and its link built by us.
        place = truncate(escape(event.place), PLACE_SHOWN_MAX)
        text = t("rencontre.embed.where_place", lang, place=place, map=osm_link(event.place))
        # A long accented address makes a long map link: the address alone must still fit.
        return text if len(text) <= EMBED_FIELD_VALUE_LIMIT else place
    return t("rencontre.embed.where_link", lang, link=event.link or "")


def people(user_ids: list[int], lang: str, numbered: bool = False) -> str:
    if not user_ids:
        return t("rencontre.embed.nobody", lang)
    items = [f"{i}. {mention(u)}" if numbered else mention(u) for i, u in enumerate(user_ids, 1)]
    return fit_list(items, PEOPLE_LIMIT, t("rencontre.embed.and_more", lang))


def seats_text(capacity: int | None, going: int, lang: str) -> str:
    """« 5 places libres sur 5 », « complet (5 places) », « sans limite »."""
    left = seats_left(capacity, going)
    if left is None:
        return t("rencontre.embed.seats_unlimited", lang)
    if left == 0:
        return t("rencontre.embed.seats_full", lang, capacity=capacity)
    return tn("rencontre.embed.seats_free", left, lang, capacity=capacity)


def event_embed(event: Rencontre, attendance: Attendance, lang: str) -> discord.Embed:
    going, maybe, waiting = (attendance.of(p) for p in PRESENCE_ORDER)
    title = event.title
    if event.status is Status.CANCELLED:
        title = t("rencontre.embed.cancelled_title", lang, title=event.title)
    elif event.status is Status.ARCHIVED:
        title = t("rencontre.embed.archived_title", lang, title=event.title)
    embed = discord.Embed(
        title=truncate(title, EMBED_TITLE_LIMIT),
        description=truncate(event.description, EMBED_DESCRIPTION_LIMIT) or None,
        colour=COLOURS[event.status],
    )
    embed.add_field(
        name=t("rencontre.embed.when", lang), value=when_text(event, lang), inline=False
    )
    embed.add_field(
        name=t(f"rencontre.format.{event.format}", lang),
        value=where_text(event, lang),
        inline=False,
    )
    organiser = mention(event.organiser_id)
    if event.manager_id:
        organiser = t(
            "rencontre.embed.entrusted",
            lang,
            organiser=organiser,
            manager=mention(event.manager_id),
        )
    embed.add_field(name=t("rencontre.embed.organiser", lang), value=organiser, inline=True)
    embed.add_field(
        name=t("rencontre.embed.seats", lang),
        value=seats_text(event.capacity, len(going), lang),
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


def participants_embed(event: Rencontre, attendance: Attendance, lang: str) -> discord.Embed:
    embed = event_embed(event, attendance, lang)
    embed.description = None
    return embed


def list_line(event: Rencontre, going: int, lang: str) -> str:
    return t(
        "rencontre.list.line",
        lang,
        id=event.id,
        title=escape(truncate(event.title, TITLE_MAX)),
        when=ts(event.starts_at, "f"),
        relative=ts(event.starts_at, "R"),
        seats=seats_text(event.capacity, going, lang),
    )


@dataclass(frozen=True)
class ListPage:
    lines: list[str]
    total: int
    page: int
    pages: int


def list_embed(listing: ListPage, lang: str) -> discord.Embed:
    embed = discord.Embed(
        title=t("rencontre.list.title", lang, count=listing.total),
        description=truncate("\n".join(listing.lines), EMBED_DESCRIPTION_LIMIT)
        or t("rencontre.list.empty", lang),
        colour=discord.Colour.teal(),
    )
    embed.set_footer(
        text=t("rencontre.list.page", lang, page=listing.page + 1, pages=listing.pages)
    )
    return embed


def mention_line(user_ids: list[int], limit: int = MENTION_LINE_LIMIT) -> str:
    """Attendees' mentions for a message, cut to fit (the message also needs its text)."""
    return fit_list([mention(u) for u in user_ids[:MENTIONS_MAX]], limit, "+{n}", sep=" ")


def notice(text: str, user_ids: list[int]) -> str:
    """A notice in the thread, with the members it concerns."""
    return truncate(f"{text}\n{mention_line(user_ids)}".strip(), CONTENT_LIMIT)


def changed_names(changed: list[str], lang: str) -> str:
    return ", ".join(t(f"rencontre.field.{name}", lang) for name in changed)


_ANSWER_KEYS = {
    Presence.GOING: "rencontre.rsvp.going",
    Presence.WAITING: "rencontre.rsvp.waiting",
    Presence.MAYBE: "rencontre.rsvp.maybe",
    None: "rencontre.rsvp.left",
}


def rsvp_answer(event: Rencontre, outcome: RsvpOutcome, lang: str) -> str:
    """What the member who clicked reads (only them)."""
    title = escape(event.title)
    return t(_ANSWER_KEYS[outcome.status], lang, title=title, position=outcome.position or 0)


def edit_done(changed: list[str], lang: str) -> str:
    if not changed:
        return t("rencontre.edit.nothing", lang)
    return t("rencontre.edit.done", lang, fields=changed_names(changed, lang))


def edited_notice(event: Rencontre, changed: list[str]) -> str:
    return t(
        "rencontre.notice.edited",
        event.lang,
        title=escape(event.title),
        fields=changed_names(changed, event.lang),
        full=ts(event.starts_at, "F"),
        relative=ts(event.starts_at, "R"),
    )


def cancelled_notice(event: Rencontre, reason: str) -> str:
    text = t("rencontre.notice.cancelled", event.lang, title=escape(event.title))
    if reason:
        text += "\n" + t("rencontre.notice.reason", event.lang, reason=escape(reason))
    return text


# -- reminders ------------------------------------------------------------------------------------
def reminder_thread(event: Rencontre, going: list[int], late: bool) -> str:
    lang = event.lang
    text = t(
        "rencontre.reminder.thread",
        lang,
        title=escape(event.title),
        full=ts(event.starts_at, "F"),
        relative=ts(event.starts_at, "R"),
    )
    late_note = ("\n" + t("reminders.late_note", lang)) if late else ""
    return truncate(
        f"{text}\n{where_text(event, lang)}{late_note}\n{mention_line(going)}".strip(),
        CONTENT_LIMIT,
    )


def reminder_dm(event: Rencontre, late: bool) -> str:
    lang = event.lang
    text = t(
        "rencontre.reminder.dm",
        lang,
        title=escape(event.title),
        full=ts(event.starts_at, "F"),
        relative=ts(event.starts_at, "R"),
        link=jump_link(event),
    )
    late_note = ("\n" + t("reminders.late_note", lang)) if late else ""
    return truncate(f"{text}\n{where_text(event, lang)}{late_note}", CONTENT_LIMIT)


def reminder_dm_fallback(event: Rencontre, user_id: int) -> str:
    return t(
        "rencontre.reminder.dm_fallback",
        event.lang,
        mention=mention(user_id),
        title=escape(event.title),
        relative=ts(event.starts_at, "R"),
    )


def promoted_dm(event: Rencontre) -> str:
    return t(
        "rencontre.promoted.dm",
        event.lang,
        title=escape(event.title),
        full=ts(event.starts_at, "F"),
        link=jump_link(event),
    )


def promoted_mention(event: Rencontre, user_id: int) -> str:
    return t(
        "rencontre.promoted.mention",
        event.lang,
        mention=mention(user_id),
        title=escape(event.title),
    )


# -- the scheduled-event mirror -------------------------------------------------------------------
def mirror_fields(event: Rencontre) -> dict[str, Any]:
    """The Discord scheduled event that mirrors a meet-up (name, times, where, description)."""
    where = event.place or event.link or "—"
    description = event.description
    if event.link:
        description = f"{event.link}\n\n{description}".strip()
    fields: dict[str, Any] = {
        "name": truncate(event.title, NAME_MAX),
        "start_time": event.starts_at,
        "end_time": event.ends_at,
        "location": truncate(where, NAME_MAX),
    }
    if description:
        fields["description"] = truncate(description, MIRROR_DESCRIPTION_MAX)
    return fields


# -- the participants' file -----------------------------------------------------------------------
@dataclass(frozen=True)
class Participant:
    name: str
    user_id: int
    status: Presence
    answered_at: datetime


def _defused(text: str) -> str:
    """A leading =, +, -, @ would make a formula of a cell in a spreadsheet: neutralised."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def participants_csv(rows: Iterable[Participant], lang: str, zone: ZoneInfo) -> bytes:
    """Who answered, in the reader's language: « nom;identifiant;statut;répondu le » and
    « Je viens »… with « ; » and a BOM for French; "name,user id,status,answered at" for English.
    Times are in the event's zone."""
    separator, bom = CSV_DIALECTS.get(lang, CSV_DIALECTS["fr"])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator)
    writer.writerow(
        [t(f"rencontre.csv.{c}", lang) for c in ("name", "user_id", "status", "answered_at")]
    )
    for row in rows:
        writer.writerow(
            [
                _defused(row.name),
                str(row.user_id),
                t(f"rencontre.presence.{row.status}", lang),
                f"{row.answered_at.astimezone(zone):%Y-%m-%d %H:%M}",
            ]
        )
    return (bom + out.getvalue()).encode("utf-8")


def settings_saved(channel_id: int | None, offsets: Sequence[Offset], lang: str) -> str:
    return t(
        "rencontre.settings.saved",
        lang,
        channel=f"<#{channel_id}>" if channel_id else t("rencontre.settings.default", lang),
        offsets=format_offsets(offsets, lang),
    )

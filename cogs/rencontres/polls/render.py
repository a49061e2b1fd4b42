"""What date polls look like on Discord: the public message, the grid, the proposal, the
invitation to sign up — within Discord's limits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import discord

from bot.discord_text import (
    CONTENT_LIMIT,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
    escape,
    truncate,
    ts,
)
from bot.i18n import format_paris_montreal, format_short, format_zone_place, t
from cogs.rencontres.polls.service import Availability, Counts, Poll, PollStatus, Slot, Tally
from cogs.rencontres.render import jump_link, mention, mention_line, osm_link
from cogs.rencontres.service import Format, Rencontre

OPTION_LIMIT = 100  # Discord's limit on a select option's label and description
WORDS_CACHED = 4096  # slots worded (a few polls of 40 slots, in two languages)
# Room kept in the message's 6000 characters for the title, the header and the footer.
HEADER_ROOM = 900
MARKS = {Availability.YES: "✅", Availability.MAYBE: "🟨", Availability.NO: "❌"}
COLOURS = {
    PollStatus.DRAFT: discord.Colour.light_grey(),
    PollStatus.OPEN: discord.Colour.blurple(),
    PollStatus.CLOSED: discord.Colour.dark_grey(),
    PollStatus.CONFIRMED: discord.Colour.teal(),
}


def counts_text(counts: Counts) -> str:
    return (
        f"{MARKS[Availability.YES]} {counts.yes} · {MARKS[Availability.MAYBE]} {counts.maybe}"
        f" · {MARKS[Availability.NO]} {counts.no}"
    )


# A poll's slots never change once it is published, and its message is redrawn often (each
# redraw rebuilds up to 80 select options and 40 slot lines): the words are worded once.
@lru_cache(maxsize=WORDS_CACHED)
def _words(starts_at: datetime, lang: str, zone: str | None, short: bool) -> str:
    return format_paris_montreal(starts_at, lang, zone, short=short)


def slot_line(
    slot: Slot, poll: Poll, counts: Counts | None, lang: str, *, short: bool, star: bool
) -> str:
    """« **3.** <t:…:F> », Paris and Montréal in words, and the counts."""
    head = f"{'⭐ ' if star else ''}**{slot.position}.** {ts(slot.starts_at, 'F')}"
    lines = [head, _words(slot.starts_at, lang, poll.zone, short)]
    if counts is not None:
        lines.append(counts_text(counts))
    return "\n".join(lines)


@lru_cache(maxsize=WORDS_CACHED)
def _label(position: int, starts_at: datetime, zone: str, lang: str) -> str:
    place = format_zone_place(zone, lang)
    text = f"{position} · {format_short(starts_at, lang, ZoneInfo(zone))} ({place})"
    return truncate(text, OPTION_LIMIT)


def slot_label(slot: Slot, poll: Poll, lang: str) -> str:
    """A select option: « 3 · ven. 6 mars 18:00 (Paris) » in the poll's zone."""
    return _label(slot.position, slot.starts_at, poll.zone, lang)


def slot_description(slot: Slot, lang: str) -> str:
    """Under the option: Paris and Montréal, for members on either side."""
    return truncate(_words(slot.starts_at, lang, None, True), OPTION_LIMIT)


def _where(poll: Poll, lang: str) -> str:
    if poll.place:
        return t(
            "rencontre.poll.embed.place", lang, place=escape(poll.place), map=osm_link(poll.place)
        )
    if poll.link:
        return t("rencontre.poll.embed.link", lang, link=poll.link)
    if poll.format is not None:
        return t(f"rencontre.format.{poll.format}", lang)
    return t("rencontre.poll.embed.where_later", lang)


def _header(poll: Poll, tallied: Tally, lang: str) -> str:
    lines = [
        t("rencontre.poll.embed.where", lang, where=_where(poll, lang)),
        t("rencontre.poll.embed.organiser", lang, organiser=mention(poll.organiser_id)),
    ]
    if poll.status is PollStatus.OPEN or poll.status is PollStatus.DRAFT:
        if poll.closes_at is not None:
            lines.append(
                t(
                    "rencontre.poll.embed.closes",
                    lang,
                    full=ts(poll.closes_at, "F"),
                    relative=ts(poll.closes_at, "R"),
                )
            )
        else:
            lines.append(t("rencontre.poll.embed.closes_by_hand", lang))
        lines.append(t("rencontre.poll.embed.how", lang))
    lines.append(t("rencontre.poll.embed.voters", lang, n=tallied.voters))
    return "\n".join(lines)


def _title(poll: Poll, lang: str) -> str:
    key = {
        PollStatus.CLOSED: "rencontre.poll.embed.title_closed",
        PollStatus.CONFIRMED: "rencontre.poll.embed.title_confirmed",
    }.get(poll.status, "rencontre.poll.embed.title")
    return truncate(t(key, lang, title=poll.title), EMBED_TITLE_LIMIT)


def poll_embeds(
    poll: Poll, tallied: Tally, lang: str, *, leader: Slot | None
) -> list[discord.Embed]:
    """The public message: a header, then every slot with its counts (⭐ the leading slot, or
    the one confirmed), cut into embeds that fit; the words get shorter if the whole would not
    fit Discord's 6000 characters."""
    star = (
        poll.chosen
        if poll.status is PollStatus.CONFIRMED
        else (leader.position if leader else None)
    )
    header = _header(poll, tallied, lang)
    for short in (False, True):
        lines = [
            slot_line(s, poll, tallied.of(s.position), lang, short=short, star=s.position == star)
            for s in poll.slots
        ]
        if sum(len(line) + 2 for line in lines) <= EMBED_TOTAL_LIMIT - HEADER_ROOM:
            break
    chunks: list[str] = []
    for line in lines:
        if chunks and len(chunks[-1]) + len(line) + 2 <= EMBED_DESCRIPTION_LIMIT:
            chunks[-1] += "\n\n" + line
        else:
            chunks.append(line)
    colour = COLOURS[poll.status]
    first = discord.Embed(title=_title(poll, lang), description=header, colour=colour)
    embeds = [first]
    for chunk in chunks:
        embeds.append(discord.Embed(description=chunk, colour=colour))
    embeds[-1].set_footer(text=t("rencontre.poll.embed.footer", lang, id=poll.id))
    return embeds


def preview_intro(poll: Poll, lang: str) -> str:
    understood = "\n".join(
        f"{s.position}. {format_short(s.starts_at, lang, poll.tz, with_zone=True)}"
        for s in poll.slots
    )
    return truncate(t("rencontre.poll.preview.intro", lang, slots=understood), CONTENT_LIMIT)


def published(poll: Poll, lang: str) -> str:
    link = ""
    if poll.channel_id and poll.message_id:
        link = f"https://discord.com/channels/{poll.guild_id}/{poll.channel_id}/{poll.message_id}"
    return t("rencontre.poll.preview.published", lang, link=link)


# -- a member's answers --------------------------------------------------------------------------
def _positions(numbers: Sequence[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def my_answers(poll: Poll, answers: Mapping[int, Availability], lang: str) -> str:
    """« C'est noté. Oui : 1, 3 · Si besoin : 2 · Non : 4 · sans réponse : 5 »."""
    parts = []
    for choice in Availability:
        numbers = [s.position for s in poll.slots if answers.get(s.position) is choice]
        if numbers:
            parts.append(t(f"rencontre.poll.mine.{choice}", lang, slots=_positions(numbers)))
    missing = [s.position for s in poll.slots if s.position not in answers]
    if missing:
        parts.append(t("rencontre.poll.mine.none", lang, slots=_positions(missing)))
    text = t("rencontre.poll.mine.noted", lang, title=escape(poll.title), answers=" · ".join(parts))
    return truncate(text, CONTENT_LIMIT)


def grid_embed(
    poll: Poll, answers: Mapping[int, Availability], page: int, lang: str
) -> discord.Embed:
    """« Mes disponibilités »: every slot in the member's own time with their answer; the
    slots of this page have their select below."""
    shown = {s.position for s in poll.grid_page(page)}
    lines = []
    for slot in poll.slots:
        choice = answers.get(slot.position)
        answer = (
            t(f"rencontre.poll.answer.{choice}", lang)
            if choice
            else t("rencontre.poll.answer.none", lang)
        )
        mark = MARKS[choice] if choice else "▫️"
        line = f"{mark} **{slot.position}.** {ts(slot.starts_at, 'F')} — {answer}"
        lines.append(f"▶ {line}" if slot.position in shown else line)
    embed = discord.Embed(
        title=truncate(t("rencontre.poll.grid.title", lang, title=poll.title), EMBED_TITLE_LIMIT),
        description=truncate("\n".join(lines), EMBED_DESCRIPTION_LIMIT),
        colour=COLOURS[poll.status],
    )
    embed.set_footer(text=t("rencontre.poll.grid.page", lang, page=page + 1, pages=poll.grid_pages))
    return embed


# -- closing -------------------------------------------------------------------------------------
def proposal(poll: Poll, tallied: Tally, best: Slot, lang: str) -> str:
    """Posted when the poll closes: the best slot, and the organiser asked to confirm."""
    return truncate(
        t(
            "rencontre.poll.proposal",
            lang,
            title=escape(poll.title),
            n=tallied.voters,
            number=best.position,
            full=ts(best.starts_at, "F"),
            words=format_paris_montreal(best.starts_at, lang, poll.zone),
            counts=counts_text(tallied.of(best.position)),
            organiser=mention(poll.organiser_id),
        ),
        CONTENT_LIMIT,
    )


def closed_answer(poll: Poll, lang: str) -> str:
    return t("rencontre.poll.closed_by_you", lang, title=escape(poll.title))


# -- the invitation once the meet-up is published ------------------------------------------------
def invitation(event: Rencontre, voters: list[int], lang: str) -> str:
    """In the meet-up's thread: the voters available at that slot, asked to sign up."""
    text = t(
        "rencontre.poll.invite.thread",
        lang,
        title=escape(event.title),
        full=ts(event.starts_at, "F"),
        relative=ts(event.starts_at, "R"),
    )
    room = CONTENT_LIMIT - len(text) - 1
    return f"{text}\n{mention_line(voters, room)}"


def invitation_dm(event: Rencontre, lang: str) -> str:
    return t(
        "rencontre.poll.invite.dm",
        lang,
        title=escape(event.title),
        full=ts(event.starts_at, "F"),
        link=jump_link(event),
    )


def invitation_fallback(event: Rencontre, user_id: int, lang: str) -> str:
    return t(
        "rencontre.poll.invite.dm_fallback",
        lang,
        mention=mention(user_id),
        title=escape(event.title),
    )


def where_asked(poll: Poll, lang: str) -> str:
    """The form's label: a place, a link, or either."""
    if poll.format is Format.PRESENTIEL:
        return t("rencontre.modal.lieu", lang)
    if poll.format is Format.VISIO:
        return t("rencontre.modal.lien", lang)
    return t("rencontre.poll.modal.where", lang)

"""Réseau's embeds and message texts, from domain values. User text is always escaped; contact
details appear only to the two members of an accepted request."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import discord

from bot.discord_text import (
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELD_NAME_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    escape,
    truncate,
    ts,
)
from bot.i18n import t, tn
from bot.reference import places, professions
from bot.reference.practice import field_label, language_label, structure_label
from cogs.reseau.service import (
    PAGE_SIZE,
    Counts,
    DirectoryFilters,
    MentorOffer,
    Profile,
    ReseauConfig,
    page_count,
)
from cogs.reseau.service.consent import (
    ContactRequest,
    Pairing,
    RequesterView,
    RequestKind,
    requester_view,
)

EXCERPT = 200  # characters of a presentation on a directory page
MESSAGE_EXCERPT = 120
COLOUR = discord.Colour.teal()


def profession_text(code: str, lang: str, *, country: str | None = None) -> str:
    """The profession's name and where it is used (not repeated when `country` already says)."""
    profession = professions.get(code)
    if profession is None:
        return code
    if profession.country == country:
        return profession.name_in(lang)
    return professions.label(profession, lang)


def place_text(code: str | None, lang: str) -> str:
    place = places.get(code)
    return place.choice_label(lang) if place else (code or "")


def month_text(month: str | None, lang: str) -> str:
    """« 2027-09 » → « 09/2027 » (both languages read it)."""
    if not month:
        return ""
    year, number = month.split("-")
    return f"{number}/{year}"


def _join(values: Sequence[str]) -> str:
    return ", ".join(values)


def correspondence_lines(code: str, lang: str) -> list[str]:
    """« Équivalent au Québec : Travailleuse sociale… — ARM du 27 avril 2009… »."""
    lines = []
    table = professions.professions()
    for link in table.links(code):
        other = table.get(link.other(code))
        if other is None:
            continue
        key = f"reseau.profile.{link.relation}"
        lines.append(
            t(key, lang, profession=professions.label(other, lang))
            + f" — {link.difference_in(lang)}"
        )
    return lines


def profile_embed(profile: Profile, name: str, lang: str, *, own: bool) -> discord.Embed:
    """A profile as its owner (`own`: with its visibility and what it corresponds to) or
    another member sees it."""
    embed = discord.Embed(title=truncate(escape(name), 256), colour=COLOUR)
    embed.add_field(
        name=t("reseau.profile.profession", lang),
        value=profession_text(profile.profession, lang),
        inline=False,
    )
    where = place_text(profile.place, lang)
    if profile.city:
        where = f"{escape(profile.city)} · {where}"
    embed.add_field(name=t("reseau.profile.place", lang), value=where, inline=True)
    if profile.target_place:
        move = place_text(profile.target_place, lang)
        if profile.move_month:
            move = t(
                "reseau.profile.move_when",
                lang,
                place=move,
                month=month_text(profile.move_month, lang),
            )
        embed.add_field(name=t("reseau.profile.moving", lang), value=move, inline=True)
    details = []
    if profile.structure:
        details.append(structure_label(profile.structure, lang))
    if profile.years is not None:
        details.append(tn("reseau.profile.years", profile.years, lang))
    if details:
        embed.add_field(
            name=t("reseau.profile.work", lang), value=" · ".join(details), inline=False
        )
    if profile.fields:
        embed.add_field(
            name=t("reseau.profile.fields", lang),
            value=_join([field_label(f, lang) for f in sorted(profile.fields)]),
            inline=False,
        )
    embed.add_field(
        name=t("reseau.profile.languages", lang),
        value=_join([language_label(x, lang) for x in sorted(profile.languages)]),
        inline=True,
    )
    if profile.open_to:
        embed.add_field(
            name=t("reseau.profile.open_to", lang),
            value=_join([t(f"reseau.open_to.{o}", lang) for o in sorted(profile.open_to)]),
            inline=True,
        )
    if profile.presentation:
        embed.add_field(
            name=t("reseau.profile.presentation", lang),
            value=truncate(escape(profile.presentation), EMBED_FIELD_VALUE_LIMIT),
            inline=False,
        )
    if own:
        lines = correspondence_lines(profile.profession, lang)
        if lines:
            embed.add_field(
                name=t("reseau.profile.across", lang),
                value=truncate("\n".join(lines), EMBED_FIELD_VALUE_LIMIT),
                inline=False,
            )
        embed.set_footer(
            text=t("reseau.profile.visible" if profile.visible else "reseau.profile.hidden", lang)
        )
    return embed


def summary_line(profile: Profile, lang: str) -> str:
    """One line about a profile: profession, place, moving."""
    place = places.get(profile.place)
    country = place.country if place else None
    parts = [
        profession_text(profile.profession, lang, country=country),
        place_text(profile.place, lang),
    ]
    if profile.target_place:
        parts.append(
            t("reseau.directory.moving", lang, place=place_text(profile.target_place, lang))
        )
    return " · ".join(parts)


def directory_embed(
    rows: Sequence[tuple[Profile, str]],
    page: int,
    total: int,
    filters: DirectoryFilters,
    lang: str,
) -> discord.Embed:
    """One page of the directory: each profile's name, profession, place, fields, « ouvert à »
    and the start of its presentation. Never contact details."""
    embed = discord.Embed(
        title=t("reseau.directory.title", lang),
        description=tn(
            "reseau.directory.count", total, lang, page=page + 1, pages=page_count(total)
        ),
        colour=COLOUR,
    )
    active = filters_text(filters, lang)
    if active:
        embed.description = f"{embed.description}\n{active}"
    for profile, name in rows:
        lines = [summary_line(profile, lang)]
        if profile.fields:
            lines.append(_join([field_label(f, lang) for f in sorted(profile.fields)]))
        if profile.open_to:
            lines.append(
                t(
                    "reseau.directory.open_to",
                    lang,
                    what=_join([t(f"reseau.open_to.{o}", lang) for o in sorted(profile.open_to)]),
                )
            )
        if profile.presentation:
            lines.append(
                f"> {truncate(escape(profile.presentation), EXCERPT).replace(chr(10), ' ')}"
            )
        embed.add_field(
            name=truncate(escape(name), EMBED_FIELD_NAME_LIMIT),
            value=truncate("\n".join(lines), EMBED_FIELD_VALUE_LIMIT),
            inline=False,
        )
    if not rows:
        embed.add_field(name="\u200b", value=t("reseau.directory.empty", lang), inline=False)
    embed.set_footer(text=t("reseau.directory.footer", lang, size=PAGE_SIZE))
    return embed


def filters_text(filters: DirectoryFilters, lang: str) -> str:
    parts = []
    if filters.profession:
        parts.append(profession_text(filters.profession, lang))
    if filters.side:
        parts.append(t(f"reseau.side.{filters.side}", lang))
    if filters.place:
        parts.append(place_text(filters.place, lang))
    if filters.practice:
        parts.append(field_label(filters.practice, lang))
    if filters.open_to:
        parts.append(t(f"reseau.open_to.{filters.open_to}", lang))
    return t("reseau.directory.filters", lang, filters=" · ".join(parts)) if parts else ""


# -- requests ----------------------------------------------------------------------------------
def request_embed(
    request: ContactRequest, requester_name: str, profile: Profile | None, lang: str
) -> discord.Embed:
    """What the recipient receives (by DM, or in /contacts)."""
    key = (
        "reseau.request.mentoring_title"
        if request.kind == RequestKind.MENTORING
        else "reseau.request.title"
    )
    embed = discord.Embed(
        title=t(key, lang, name=truncate(escape(requester_name), 100)),
        description=truncate(escape(request.message), EMBED_DESCRIPTION_LIMIT)
        or t("reseau.request.no_message", lang),
        colour=COLOUR,
    )
    if profile is not None:
        embed.add_field(
            name=t("reseau.request.who", lang), value=summary_line(profile, lang), inline=False
        )
    if request.arrival:
        embed.add_field(
            name=t("reseau.request.arrival", lang),
            value=month_text(request.arrival, lang),
            inline=True,
        )
    embed.add_field(
        name=t("reseau.request.until", lang), value=ts(request.expires_at, "R"), inline=True
    )
    embed.set_footer(text=t("reseau.request.footer", lang))
    return embed


def sent_status(request: ContactRequest, lang: str) -> str:
    return t(f"reseau.status.{requester_view(request)}", lang)


def inbox_embed(
    received: Sequence[ContactRequest],
    sent: Sequence[ContactRequest],
    names: dict[int, str],
    lang: str,
) -> discord.Embed:
    """`/contacts`: requests waiting for the member's answer, their accepted contacts, and what
    they sent (as they can see it: waiting, accepted, or « pas de suite pour le moment »)."""
    embed = discord.Embed(title=t("reseau.inbox.title", lang), colour=COLOUR)

    def who(user_id: int) -> str:
        return escape(names.get(user_id) or t("reseau.inbox.gone", lang))

    waiting = [r for r in received if r.status == "pending"]
    accepted = [r for r in (*received, *sent) if requester_view(r) is RequesterView.ACCEPTED]
    lines = [
        t(
            "reseau.inbox.received_line",
            lang,
            id=r.id,
            name=who(r.requester_id),
            message=truncate(escape(r.message), MESSAGE_EXCERPT).replace("\n", " "),
            until=ts(r.expires_at, "R"),
        )
        for r in waiting
    ]
    embed.add_field(
        name=tn("reseau.inbox.received", len(waiting), lang),
        value=truncate("\n".join(lines), EMBED_FIELD_VALUE_LIMIT) or t("reseau.inbox.none", lang),
        inline=False,
    )
    contact_lines = []
    for r in accepted:
        mine = r in sent
        other = r.recipient_id if mine else r.requester_id
        given = r.recipient_details if mine else r.requester_details
        if r.thread_id:
            where = f"<#{r.thread_id}>"
        elif given:
            where = t("reseau.inbox.details", lang, details=escape(given))
        else:
            where = t("reseau.inbox.no_details", lang)
        contact_lines.append(t("reseau.inbox.contact_line", lang, name=who(other), where=where))
    if contact_lines:
        embed.add_field(
            name=t("reseau.inbox.contacts", lang),
            value=truncate("\n".join(contact_lines), EMBED_FIELD_VALUE_LIMIT),
            inline=False,
        )
    sent_lines = [
        t(
            "reseau.inbox.sent_line",
            lang,
            name=who(r.recipient_id),
            status=sent_status(r, lang),
            when=ts(r.created_at, "d"),
        )
        for r in sent
        if requester_view(r) is not RequesterView.ACCEPTED
    ]
    embed.add_field(
        name=t("reseau.inbox.sent", lang),
        value=truncate("\n".join(sent_lines), EMBED_FIELD_VALUE_LIMIT)
        or t("reseau.inbox.none", lang),
        inline=False,
    )
    return embed


def details_text(request: ContactRequest, viewer_id: int, other_name: str, lang: str) -> str:
    """The contact details the other member chose to give (only to the two of them)."""
    given = (
        request.recipient_details
        if viewer_id == request.requester_id
        else request.requester_details
    )
    mine = (
        request.requester_details
        if viewer_id == request.requester_id
        else request.recipient_details
    )
    lines = [
        t("reseau.details.theirs", lang, name=escape(other_name), details=escape(given))
        if given
        else t("reseau.details.theirs_none", lang, name=escape(other_name))
    ]
    lines.append(
        t("reseau.details.mine", lang, details=escape(mine))
        if mine
        else t("reseau.details.mine_none", lang)
    )
    return "\n".join(lines)


def report_embed(request: ContactRequest, lang: str, now: datetime) -> discord.Embed:
    """The one request a recipient reported, for the moderators: who, when, what, nothing else."""
    embed = discord.Embed(
        title=t("reseau.report.title", lang, id=request.id),
        description=truncate(escape(request.message), EMBED_DESCRIPTION_LIMIT)
        or t("reseau.request.no_message", lang),
        colour=discord.Colour.orange(),
    )
    embed.add_field(
        name=t("reseau.report.from", lang), value=f"<@{request.requester_id}>", inline=True
    )
    embed.add_field(
        name=t("reseau.report.to", lang), value=f"<@{request.recipient_id}>", inline=True
    )
    embed.add_field(
        name=t("reseau.report.sent", lang), value=ts(request.created_at, "f"), inline=True
    )
    embed.set_footer(text=t("reseau.report.footer", lang))
    return embed


# -- mentoring ---------------------------------------------------------------------------------
def mentors_embed(offers: Sequence[tuple[MentorOffer, str]], lang: str) -> discord.Embed:
    embed = discord.Embed(
        title=t("reseau.mentoring.found_title", lang),
        description=tn("reseau.mentoring.found", len(offers), lang)
        if offers
        else t("reseau.mentoring.none", lang),
        colour=COLOUR,
    )
    for offer, name in offers:
        lines = [profession_text(offer.profession, lang), place_text(offer.place, lang)]
        if offer.fields:
            lines.append(_join([field_label(f, lang) for f in sorted(offer.fields)]))
        lines.append(_join([language_label(x, lang) for x in sorted(offer.languages)]))
        lines.append(tn("reseau.mentoring.room", offer.room, lang))
        embed.add_field(
            name=truncate(escape(name), EMBED_FIELD_NAME_LIMIT),
            value="\n".join(lines),
            inline=False,
        )
    return embed


def checkin_text(pairing: Pairing, step: int, lang: str, *, mentor: bool) -> str:
    other = pairing.mentee_id if mentor else pairing.mentor_id
    return t(f"reseau.checkin.step{step}", lang, other=f"<@{other}>")


# -- moderators --------------------------------------------------------------------------------
def config_embed(config: ReseauConfig, counts: Counts, lang: str) -> discord.Embed:
    embed = discord.Embed(title=t("reseau.config.title", lang), colour=COLOUR)
    embed.add_field(
        name=t("reseau.config.threads", lang),
        value=f"<#{config.thread_channel_id}>"
        if config.thread_channel_id
        else t("reseau.config.no_threads", lang),
        inline=False,
    )
    embed.add_field(
        name=t("reseau.config.directory", lang),
        value=t("reseau.config.directory_role", lang, role=f"<@&{config.directory_role_id}>")
        if config.directory_role_id
        else t("reseau.config.directory_all", lang),
        inline=False,
    )
    embed.add_field(
        name=t("reseau.config.counts", lang),
        value="\n".join(
            [
                tn("reseau.config.profiles", counts.profiles, lang)
                + ", "
                + tn("reseau.config.visible", counts.visible, lang),
                tn("reseau.config.open_requests", counts.open_requests, lang),
                tn("reseau.config.pairings", counts.pairings, lang),
                tn("reseau.config.mentors", counts.mentors, lang),
            ]
        ),
        inline=False,
    )
    embed.set_footer(text=t("reseau.config.footer", lang))
    return embed

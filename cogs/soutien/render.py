"""What the support space shows: the frame, the help lines, anonymous posts, moderator alerts.

Every embed is built within Discord's limits (field values truncated, fields capped).
"""

from __future__ import annotations

from functools import cache
from itertools import groupby
from urllib.parse import urlsplit

import discord

from bot.discord_text import (
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELD_NAME_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    EMBED_FIELDS_MAX,
    EMBED_FOOTER_LIMIT,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
    escape,
    fit_list,
    truncate,
)
from bot.i18n import t
from bot.secrecy import describe
from cogs.soutien.resources import (
    DIALLED,
    REGIONS,
    Autre,
    Categorie,
    Ligne,
    in_display_order,
    load_by_region,
)
from cogs.soutien.service import Audience, ConfigField, ConfigGap

COLOUR = discord.Colour.from_rgb(94, 129, 172)


@cache
def lines_by_region() -> dict[str, tuple[Ligne, ...]]:
    return dict(load_by_region())


def thread_url(guild_id: int, thread_id: int) -> str:
    return f"https://discord.com/channels/{guild_id}/{thread_id}"


def pseudo_label(code: str, lang: str) -> str:
    return t("soutien.pseudo", lang, code=code)


# -- help lines -----------------------------------------------------------------------------------
# `/ressources` pages: emergency numbers of the region first, those of the other regions in one
# field, then one field per category (split when a category passes a field's limit), every second
# contact right under its main number. Pages are packed so that each embed stays within Discord's
# limits by construction (fields, field values, total size).
PAGE_FOOTER_ROOM = 99  # the footer is sized for "Page 99/99" before the page count is known
BLOCK_SEP = "\n\n"


def _site(url: str) -> str:
    host = urlsplit(url).netloc
    return host.removeprefix("www.")


def _link(url: str) -> str:
    return f"[{escape(_site(url))}]({url})"


def other_contact(autre: Autre, lang: str) -> str:
    """« texto : 535353 » — a second contact as shown next to its main number."""
    valeur = autre.valeur if autre.type in DIALLED else _link(autre.valeur)
    text = t(f"soutien.lines.other.{autre.type.value}", lang, valeur=valeur)
    if autre.horaires:
        text = t("soutien.lines.other_hours", lang, contact=text, horaires=autre.horaires)
    if not autre.verifie:
        text = f"{text} {t('soutien.lines.unverified', lang)}"
    return text


def _short_name(line: Ligne) -> str:
    """The name without the number it starts with (« 3114 – Numéro national… »)."""
    for sep in (" – ", " - ", " : "):
        if line.nom.startswith(line.numero + sep):
            return line.nom.removeprefix(line.numero + sep)
    return line.nom


def line_entry(line: Ligne, lang: str) -> str:
    """The first line of a help line's block: its number, then its name."""
    entry = t("soutien.lines.entry", lang, numero=line.numero, nom=escape(_short_name(line)))
    if not line.verifie:
        entry = f"{entry} {t('soutien.lines.unverified', lang)}"
    return entry


def _block(line: Ligne, lang: str) -> str:
    rows = [line_entry(line, lang)]
    if line.autres:
        rows.append(
            t(
                "soutien.lines.others",
                lang,
                contacts=" · ".join(other_contact(a, lang) for a in line.autres),
            )
        )
    rows.append(t("soutien.lines.detail", lang, public=line.public, horaires=line.horaires))
    rows.append(t("soutien.lines.source", lang, lien=_link(line.source)))
    return truncate("\n".join(rows), EMBED_FIELD_VALUE_LIMIT)


def _chunks(blocks: list[str]) -> list[str]:
    """Join blocks into field values, each within a field value's limit."""
    chunks: list[str] = []
    for block in blocks:
        if chunks and len(chunks[-1]) + len(BLOCK_SEP) + len(block) <= EMBED_FIELD_VALUE_LIMIT:
            chunks[-1] += BLOCK_SEP + block
        else:
            chunks.append(block)
    return chunks


def _elsewhere(region: str, lang: str) -> tuple[str, str]:
    """Emergency numbers of the other regions, one row each."""
    rows = []
    for other in REGIONS:
        if other == region:
            continue
        numbers = [
            x.numero if x.verifie else f"{x.numero} ⚠️"
            for x in lines_by_region().get(other, ())
            if x.urgence
        ]
        if numbers:
            rows.append(
                t(
                    "soutien.lines.elsewhere_row",
                    lang,
                    region=t(f"region.{other}", lang),
                    numeros=", ".join(numbers),
                )
            )
    value = truncate("\n".join(rows), EMBED_FIELD_VALUE_LIMIT)
    return truncate(t("soutien.lines.elsewhere", lang), EMBED_FIELD_NAME_LIMIT), value


def _fields(region: str, lang: str) -> list[tuple[str, str]]:
    lines = in_display_order(lines_by_region().get(region, ()))
    fields: list[tuple[str, str]] = []
    for categorie, group in groupby(lines, key=lambda x: x.categorie):
        name = t(f"soutien.lines.category.{categorie.value}", lang)
        for index, chunk in enumerate(_chunks([_block(x, lang) for x in group])):
            label = name if index == 0 else t("soutien.lines.continued", lang, categorie=name)
            fields.append((truncate(label, EMBED_FIELD_NAME_LIMIT), chunk))
        if categorie is Categorie.URGENCE:
            fields.append(_elsewhere(region, lang))
    if not any(x.urgence for x in lines):
        fields.insert(0, _elsewhere(region, lang))
    return fields


def _title(region: str, lang: str) -> str:
    return truncate(
        t("soutien.lines.title", lang, region=t(f"region.{region}", lang)), EMBED_TITLE_LIMIT
    )


def _footer(page: int, pages: int, lang: str) -> str:
    return truncate(t("soutien.lines.footer", lang, page=page, pages=pages), EMBED_FOOTER_LIMIT)


def pack_pages(fields: list[tuple[str, str]], base: int) -> tuple[tuple[tuple[str, str], ...], ...]:
    """Fields packed into pages in order: at most `EMBED_FIELDS_MAX` per page and `base` (title,
    description, footer) plus names and values within `EMBED_TOTAL_LIMIT`. Names and values must
    already fit their own limits."""
    pages: list[list[tuple[str, str]]] = [[]]
    size = base
    for name, value in fields:
        cost = len(name) + len(value)
        full = len(pages[-1]) >= EMBED_FIELDS_MAX or size + cost > EMBED_TOTAL_LIMIT
        if pages[-1] and full:
            pages.append([])
            size = base
        pages[-1].append((name, value))
        size += cost
    return tuple(tuple(page) for page in pages)


@cache
def _pages(region: str, lang: str) -> tuple[tuple[tuple[str, str], ...], ...]:
    """The fields of each page of `region`, packed within one embed's limits."""
    base = (
        len(_title(region, lang))
        + len(t("soutien.lines.intro", lang))
        + len(_footer(PAGE_FOOTER_ROOM, PAGE_FOOTER_ROOM, lang))
    )
    return pack_pages(_fields(region, lang), base)


def lines_page_count(region: str, lang: str) -> int:
    return len(_pages(region, lang))


def lines_page(region: str, page: int, lang: str) -> discord.Embed:
    """Page `page` (0-based, clamped) of the help lines of `region`."""
    pages = _pages(region, lang)
    page = min(max(page, 0), len(pages) - 1)
    embed = discord.Embed(
        title=_title(region, lang), description=t("soutien.lines.intro", lang), colour=COLOUR
    )
    for name, value in pages[page]:
        embed.add_field(name=name, value=value, inline=False)
    if not lines_by_region().get(region):
        embed.description = t("soutien.lines.none", lang)
    embed.set_footer(text=_footer(page + 1, len(pages), lang))
    return embed


def lines_embed(region: str, lang: str) -> discord.Embed:
    """The help lines of `region` at a glance (the frame of a private thread): every number and
    second contact, grouped as in `/ressources`, without sources; unverified ones say so."""
    rows: list[str] = []
    lines = in_display_order(lines_by_region().get(region, ()))
    for categorie, group in groupby(lines, key=lambda x: x.categorie):
        rows.append(
            t(
                "soutien.lines.summary_heading",
                lang,
                categorie=t(f"soutien.lines.category.{categorie.value}", lang),
            )
        )
        for line in group:
            contacts = [other_contact(a, lang) for a in line.autres if a.type in DIALLED]
            row = line_entry(line, lang)
            rows.append(" · ".join([row, *contacts]))
    more = t("soutien.lines.summary_more", lang)
    description = fit_list(rows, EMBED_DESCRIPTION_LIMIT, more, sep="\n") if rows else ""
    embed = discord.Embed(
        title=_title(region, lang),
        description=description or t("soutien.lines.none", lang),
        colour=COLOUR,
    )
    embed.set_footer(text=t("soutien.lines.summary_footer", lang))
    return embed


def frame_embed(lang: str, *, anonymous: bool) -> discord.Embed:
    key = "soutien.frame.anonymous" if anonymous else "soutien.frame.private"
    return discord.Embed(
        title=t("soutien.frame.title", lang),
        description=truncate(t(key, lang), EMBED_DESCRIPTION_LIMIT),
        colour=COLOUR,
    )


def post_embed(code: str, text: str, lang: str, *, reply: bool) -> discord.Embed:
    """An anonymous post: the pseudonym and the text, nothing else about its author."""
    embed = discord.Embed(description=text, colour=COLOUR)
    key = "soutien.post.reply_header" if reply else "soutien.post.header"
    embed.set_author(name=t(key, lang, pseudo=pseudo_label(code, lang)))
    return embed


def removed_embed(lang: str) -> discord.Embed:
    return discord.Embed(description=t("soutien.post.removed", lang), colour=COLOUR)


def alert_embed(code: str, jump_url: str, lang: str) -> discord.Embed:
    return discord.Embed(
        title=t("soutien.alert.title", lang),
        description=t("soutien.alert.body", lang, pseudo=pseudo_label(code, lang), url=jump_url),
        colour=discord.Colour.orange(),
    )


def kinds_text(kinds: list[str], lang: str) -> str:
    return describe(kinds, lang)


def welcome(member: str, role: str | None, lang: str) -> str:
    """The first message of a private thread; the role, when set, is what brings its members in."""
    if role is None:
        return t("soutien.private.welcome", lang, member=member)
    return t("soutien.private.welcome_role", lang, member=member, role=role)


def opened(thread: str, audience: Audience, role: str | None, lang: str) -> str:
    """The member's answer: where the thread is, and exactly who else can see it."""
    return t(
        f"soutien.private.opened.{audience}",
        lang,
        thread=thread,
        role=role or "",
        permission=t("perm.manage_threads", lang),
    )


def config_saved(
    field: ConfigField, value: str, gaps: list[ConfigGap], role: str | None, lang: str
) -> str:
    """« Enregistré », then what still keeps the configuration from being whole."""
    lines = [
        t("soutien.config.saved", lang, what=t(f"soutien.config.field.{field}", lang), value=value)
    ]
    lines += [
        t(
            f"soutien.config.gap.{gap}",
            lang,
            role=role or "",
            manage_threads=t("perm.manage_threads", lang),
            manage_roles=t("perm.manage_roles", lang),
        )
        for gap in gaps
    ]
    return "\n".join(lines)

"""What the support space shows: the frame, the help lines, anonymous posts, moderator alerts.

Every embed is built within Discord's limits (field values truncated, fields capped).
"""

from __future__ import annotations

from functools import cache

import discord

from bot.discord_text import (
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELD_NAME_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    EMBED_FIELDS_MAX,
    truncate,
)
from bot.i18n import t
from bot.secrecy import describe
from cogs.soutien.resources import Ligne, load_by_region

COLOUR = discord.Colour.from_rgb(94, 129, 172)


@cache
def lines_by_region() -> dict[str, tuple[Ligne, ...]]:
    return dict(load_by_region())


def pseudo_label(code: str, lang: str) -> str:
    return t("soutien.pseudo", lang, code=code)


def lines_embed(region: str, lang: str) -> discord.Embed:
    """The help lines of `region`; lines not verified against their source say so."""
    lines = lines_by_region().get(region, ())
    embed = discord.Embed(
        title=t("soutien.lines.title", lang, region=t(f"region.{region}", lang)),
        description=t("soutien.lines.intro", lang),
        colour=COLOUR,
    )
    for line in lines[: EMBED_FIELDS_MAX - 1]:
        name = f"{line.nom} — {line.numero}"
        if not line.verifie:
            name = t("soutien.lines.unverified_name", lang, name=name)
        value = t(
            "soutien.lines.value",
            lang,
            pour=line.pour,
            horaires=line.horaires,
            source=line.source,
        )
        embed.add_field(
            name=truncate(name, EMBED_FIELD_NAME_LIMIT),
            value=truncate(value, EMBED_FIELD_VALUE_LIMIT),
            inline=False,
        )
    if not lines:
        embed.description = t("soutien.lines.none", lang)
    embed.set_footer(text=t("soutien.lines.footer", lang))
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

"""What `/aide` shows: one page of sections as an embed, within Discord's limits."""

from __future__ import annotations

import discord

from bot.discord_text import (
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELD_NAME_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    EMBED_FIELDS_MAX,
    EMBED_FOOTER_LIMIT,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
    truncate,
)
from bot.i18n import t
from cogs.aide.service import Field, Limits

COLOUR = discord.Colour.green()
# Kept for the title, the introduction and the footer of a page (measured, not guessed: see
# `limits`); whatever they take is left out of what the fields may use.
_SLACK = 16


def _title(lang: str) -> str:
    return truncate(t("aide.title", lang), EMBED_TITLE_LIMIT)


def _intro(lang: str) -> str:
    return truncate(t("aide.intro", lang), EMBED_DESCRIPTION_LIMIT)


def _footer(lang: str, *, moderator: bool, page: int, count: int) -> str:
    parts = [] if moderator else [t("aide.footer_member", lang)]
    if count > 1:
        parts.append(t("aide.page", lang, page=page + 1, count=count))
    return truncate(" · ".join(parts), EMBED_FOOTER_LIMIT)


def limits(lang: str, *, moderator: bool) -> Limits:
    """What the fields of one page may take, once the rest of the embed is there."""
    # the longest footer a page can have: numbers as wide as they will ever be
    footer = _footer(lang, moderator=moderator, page=EMBED_FIELDS_MAX, count=EMBED_FIELDS_MAX)
    used = len(_title(lang)) + len(_intro(lang)) + len(footer) + _SLACK
    return Limits(
        field_name=EMBED_FIELD_NAME_LIMIT,
        field_value=EMBED_FIELD_VALUE_LIMIT,
        fields=EMBED_FIELDS_MAX,
        page=EMBED_TOTAL_LIMIT - used,
    )


def continued(lang: str) -> str:
    """The title of a section's next field: « {title} (suite) »."""
    return t("aide.continued", lang, title="{title}")


def page_embed(
    fields: list[Field], lang: str, *, moderator: bool, page: int, count: int
) -> discord.Embed:
    embed = discord.Embed(title=_title(lang), description=_intro(lang), colour=COLOUR)
    for field in fields:
        embed.add_field(name=field.name, value=field.value, inline=False)
    footer = _footer(lang, moderator=moderator, page=page, count=count)
    if footer:
        embed.set_footer(text=footer)
    return embed

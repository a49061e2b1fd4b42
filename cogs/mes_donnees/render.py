"""What `/mes-donnees` shows: a summary embed and the exported file, every label translated.

Providers hand labelled items (`bot.personal_data`): a `Setting` is shown with its value, a
`Records` with its count (a plural catalog entry); the file holds every row, each field under
its label, in the member's language.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import discord

from bot.discord_text import EMBED_FIELD_VALUE_LIMIT, EMBED_FIELDS_MAX, escape, truncate, ts
from bot.i18n import t, tn
from bot.personal_data import Item, Label, Records, Value

EXPORT_NAME = "mes-donnees.json"
COLOUR = discord.Colour.blurple()


def section_title(name: str, lang: str) -> str:
    return t(f"mes_donnees.section.{name}", lang)


def heading(item: Item, lang: str) -> str:
    """« 2 liens d'anonymat » for records, « Fuseau horaire » for a setting."""
    if isinstance(item, Records):
        return tn(item.label, len(item.rows), lang)
    return t(item.label, lang)


def shown_value(value: Value, lang: str) -> str:
    """A value as the embed shows it (Discord timestamps, yes/no in words, escaped text)."""
    if isinstance(value, Label):
        return t(value.key, lang)
    if isinstance(value, bool):
        return t("mes_donnees.value.yes" if value else "mes_donnees.value.no", lang)
    if isinstance(value, datetime):
        return ts(value, "F")
    if value is None:
        return t("mes_donnees.value.none", lang)
    return escape(str(value))


def file_value(value: Value, lang: str) -> Any:
    """A value as the file holds it: JSON types, instants in ISO 8601 (UTC), words translated."""
    if isinstance(value, Label):
        return t(value.key, lang)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def line(item: Item, lang: str) -> str:
    if isinstance(item, Records):
        return t("mes_donnees.line.records", lang, heading=heading(item, lang))
    return t(
        "mes_donnees.line.setting",
        lang,
        heading=heading(item, lang),
        value=shown_value(item.value, lang),
    )


def summary_embed(found: dict[str, list[Item]], lang: str) -> discord.Embed:
    embed = discord.Embed(
        title=t("mes_donnees.title", lang),
        description=t("mes_donnees.intro", lang, file=EXPORT_NAME),
        colour=COLOUR,
    )
    for name, items in list(found.items())[:EMBED_FIELDS_MAX]:
        embed.add_field(
            name=section_title(name, lang),
            value=truncate("\n".join(line(item, lang) for item in items), EMBED_FIELD_VALUE_LIMIT),
            inline=False,
        )
    return embed


def document(found: dict[str, list[Item]], lang: str) -> dict[str, dict[str, Any]]:
    """The exported file's content: section → item → value, or item → rows of labelled fields."""
    out: dict[str, dict[str, Any]] = {}
    for name, items in found.items():
        section: dict[str, Any] = {}
        for item in items:
            if isinstance(item, Records):
                section[heading(item, lang)] = [
                    {t(f.label, lang): file_value(f.value, lang) for f in row} for row in item.rows
                ]
            else:
                section[heading(item, lang)] = file_value(item.value, lang)
        out[section_title(name, lang)] = section
    return out


def export_bytes(found: dict[str, list[Item]], lang: str) -> bytes:
    return json.dumps(document(found, lang), ensure_ascii=False, indent=2).encode()

"""The guide's embeds: one step at a time, with its official source and when it was checked."""

from __future__ import annotations

import discord

from bot.discord_text import EMBED_FIELD_VALUE_LIMIT, truncate
from bot.i18n import t
from cogs.guide.service import Guide, Step


def acronyms_hint(step: Step, lang: str) -> str:
    """« Sigles : tapez /sigle RAMQ, /sigle CPAM » (the glossary is another feature)."""
    if not step.acronyms:
        return ""
    return t("guide.acronyms", lang, commands=", ".join(f"`/sigle {a}`" for a in step.acronyms))


def step_embed(guide: Guide, index: int, lang: str) -> discord.Embed:
    step = guide.steps[index]
    embed = discord.Embed(
        title=truncate(f"{index + 1}. {step.title_in(lang)}", 256),
        description=step.text_in(lang),
        colour=discord.Colour.dark_teal(),
    )
    embed.set_author(name=truncate(guide.title_in(lang), 256))
    checked = (
        t("guide.checked", lang, date=step.checked_on)
        if step.verified
        else t("guide.unchecked", lang)
    )
    embed.add_field(
        name=t("guide.source", lang),
        value=truncate(f"{step.source}\n{checked}", EMBED_FIELD_VALUE_LIMIT),
        inline=False,
    )
    hint = acronyms_hint(step, lang)
    if hint:
        embed.add_field(name=t("guide.acronyms_title", lang), value=hint, inline=False)
    embed.set_footer(text=t("guide.footer", lang, index=index + 1, count=len(guide.steps)))
    return embed


def intro_text(guide: Guide, lang: str) -> str:
    return f"**{guide.title_in(lang)}** — {guide.intro_in(lang)}"

"""Localised command names and descriptions for Discord (`fr`, `en-US`, `en-GB`)."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.i18n import SOURCE_LANG, catalogs, lang_for, t

DISCORD_LOCALES: dict[discord.Locale, str] = {
    discord.Locale.french: "fr",
    discord.Locale.american_english: "en",
    discord.Locale.british_english: "en",
}


def L(key: str) -> app_commands.locale_str:
    """A command string whose source text is the French catalog entry for `key`."""
    return app_commands.locale_str(t(key, "fr"), key=key)


def options(prefix: str, *params: str, **keys: str) -> Any:
    """Rename and describe a command's parameters from the catalogs, in one decorator.

    `@options("cmd.rencontre.creer", "titre", "quand", channel="salon")` localises the parameter
    `titre` with `cmd.rencontre.creer.opt.titre.name` / `.desc`, and the parameter `channel`
    with the keys of option `salon`.
    """
    mapping = {p: p for p in params} | keys

    def decorate(func: Any) -> Any:
        func = app_commands.describe(
            **{p: L(f"{prefix}.opt.{k}.desc") for p, k in mapping.items()}
        )(func)
        return app_commands.rename(**{p: L(f"{prefix}.opt.{k}.name") for p, k in mapping.items()})(
            func
        )

    return decorate


class CatalogTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        key = string.extras.get("key")
        lang = DISCORD_LOCALES.get(locale)
        if not key or lang is None:
            return None
        return catalogs().get(lang, {}).get(key) or None


def interaction_lang(interaction: discord.Interaction[Any]) -> str:
    """The member's language: their Discord locale, else the server's, else the bot's default."""
    store = getattr(interaction.client, "settings_store", None)
    fallback = store.lang_of(interaction.guild_id) if store is not None else SOURCE_LANG
    return lang_for(str(interaction.locale), fallback)

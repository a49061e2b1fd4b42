"""The one error handler: every command, button and form failure is answered here."""

from __future__ import annotations

import logging
import secrets
from typing import Any

import discord
from discord import app_commands

from bot.checks import NotModerator, PermissionNames
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.metrics import Outcome
from bot.user_error import UserError

log = logging.getLogger(__name__)


def describe(error: BaseException, lang: str) -> tuple[str, bool]:
    """The member-facing sentence for `error`, and whether it was unexpected."""
    if isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
        error = error.__cause__ or getattr(error, "original", error)
    if isinstance(error, UserError):
        return t(error.key, lang, **error.params_in(lang)), False
    if isinstance(error, NotModerator):
        return t("errors.not_moderator", lang), False
    if isinstance(error, app_commands.CommandOnCooldown):
        return t("errors.cooldown", lang, seconds=int(error.retry_after) + 1), False
    if isinstance(error, app_commands.NoPrivateMessage):
        return t("errors.guild_only", lang), False
    if isinstance(error, app_commands.MissingPermissions | app_commands.BotMissingPermissions):
        names = PermissionNames(error.missing_permissions).render(lang)
        key = (
            "errors.member_missing_permissions"
            if isinstance(error, app_commands.MissingPermissions)
            else "errors.bot_missing_permissions_here"
        )
        return t(key, lang, permissions=names), False
    if isinstance(error, app_commands.CheckFailure):
        return t("errors.not_allowed", lang), False
    if isinstance(error, discord.Forbidden):
        return t("errors.discord_forbidden", lang), False
    return "", True


async def answer_error(interaction: discord.Interaction[Any], error: BaseException) -> None:
    lang = interaction_lang(interaction)
    text, unexpected = describe(error, lang)
    count_interaction(interaction, Outcome.ERROR if unexpected else Outcome.REFUSED)
    if unexpected:
        ref = secrets.token_hex(4).upper()
        # The traceback goes to the log with the reference; never the member's input.
        log.error(
            "unexpected error ref=%s in interaction %s", ref, _where(interaction), exc_info=error
        )
        text = t("errors.unexpected", lang, ref=ref)
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)
    except (discord.NotFound, discord.InteractionResponded):
        # The interaction expired (3 s / 15 min) or was answered meanwhile: nothing left to tell.
        log.info("could not answer interaction %s: expired or already answered", interaction.id)
    except discord.HTTPException:
        log.warning("could not send the error answer for interaction %s", interaction.id)


def count_interaction(interaction: discord.Interaction[Any], outcome: str) -> None:
    """For `/metrics` (bot.metrics): how the interaction ended, by command or component."""
    metrics = getattr(interaction.client, "metrics", None)
    if metrics is not None:
        metrics.interaction(_where(interaction), outcome)


def _where(interaction: discord.Interaction[Any]) -> str:
    if interaction.command is not None:
        return f"/{interaction.command.qualified_name}"
    data = interaction.data or {}
    custom_id = str(data.get("custom_id", "?"))
    return f"component {custom_id.split(':', 1)[0]}"


class ErrorHandlingView(discord.ui.View):
    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: Any, /
    ) -> None:
        await answer_error(interaction, error)


class ErrorHandlingModal(discord.ui.Modal):
    async def on_error(self, interaction: discord.Interaction[Any], error: Exception, /) -> None:
        await answer_error(interaction, error)


class GuardedItem:
    """Mixin for `DynamicItem`s: discord.py only logs their errors, so route them here.

    Subclasses implement `run(interaction)` instead of `callback`.
    """

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        raise NotImplementedError

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            await self.run(interaction)
        except Exception as error:
            await answer_error(interaction, error)
        else:
            count_interaction(interaction, Outcome.OK)

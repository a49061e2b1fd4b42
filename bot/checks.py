"""Server-side permission checks: run on every call, whatever Discord's default permissions say."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.i18n import has, t
from bot.user_error import UserError

if TYPE_CHECKING:
    from bot.guild_settings import SettingsStore


# Discord hides a command group with these defaults from members who lack them (server admins
# can grant it to a moderator role in Server Settings › Integrations). Only for groups that are
# moderator-only as a whole; the server-side check (`moderator_only`) runs on every call anyway.
MODERATOR_PERMISSIONS = discord.Permissions(manage_guild=True)


class NotModerator(app_commands.CheckFailure):
    """Raised when a member without moderator rights calls a moderator command."""


def is_moderator(interaction: discord.Interaction[Any]) -> bool:
    member = interaction.user
    if interaction.guild is None or not isinstance(member, discord.Member):
        return False
    if member.guild_permissions.manage_guild or member.guild_permissions.administrator:
        return True
    # interaction.client is the running bot (bot.client.Passerelle), which has the settings.
    store: SettingsStore = interaction.client.settings_store
    role_id = store.guild(interaction.guild.id).moderator_role_id
    return role_id is not None and any(role.id == role_id for role in member.roles)


def require_moderator(interaction: discord.Interaction[Any]) -> None:
    """For buttons and modals, which have no decorator checks."""
    if not is_moderator(interaction):
        raise NotModerator()


def moderator_only() -> Any:
    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        require_moderator(interaction)
        return True

    predicate.moderator = True  # type: ignore[attr-defined]  # read by /aide
    return app_commands.check(predicate)


def is_moderator_command(command: app_commands.Command[Any, ..., Any]) -> bool:
    return any(getattr(check, "moderator", False) for check in command.checks)


def require_guild(interaction: discord.Interaction[Any]) -> discord.Guild:
    if interaction.guild is None:
        raise UserError("errors.guild_only")
    return interaction.guild


class PermissionNames(tuple[str, ...]):
    """discord.py permission names, worded in the member's language when shown."""

    def render(self, lang: str) -> str:
        return ", ".join(t(f"perm.{name}", lang) if has(f"perm.{name}") else name for name in self)


def missing_channel_permissions(
    channel: discord.abc.GuildChannel | discord.Thread, me: discord.Member, *needed: str
) -> PermissionNames:
    """The permissions (discord.py attribute names) the bot lacks in `channel`."""
    perms = channel.permissions_for(me)
    return PermissionNames(name for name in needed if not getattr(perms, name))


def require_channel_permissions(
    channel: discord.abc.GuildChannel | discord.Thread, me: discord.Member, *needed: str
) -> None:
    missing = missing_channel_permissions(channel, me, *needed)
    if missing:
        raise UserError(
            "errors.bot_missing_permissions",
            channel=channel.mention,
            permissions=missing,
        )

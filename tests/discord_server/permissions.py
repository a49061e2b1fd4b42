"""Discord permission bits and the computation Discord documents (base, then overwrites)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .world import Channel, Guild, Member

CREATE_INSTANT_INVITE = 1 << 0
KICK_MEMBERS = 1 << 1
BAN_MEMBERS = 1 << 2
ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_EXTERNAL_EMOJIS = 1 << 18
CHANGE_NICKNAME = 1 << 26
MANAGE_NICKNAMES = 1 << 27
MANAGE_ROLES = 1 << 28
USE_APPLICATION_COMMANDS = 1 << 31
MANAGE_EVENTS = 1 << 33
MANAGE_THREADS = 1 << 34
CREATE_PUBLIC_THREADS = 1 << 35
CREATE_PRIVATE_THREADS = 1 << 36
SEND_MESSAGES_IN_THREADS = 1 << 38
CREATE_EVENTS = 1 << 44

ALL = (1 << 51) - 1

DEFAULT_EVERYONE = (
    CREATE_INSTANT_INVITE
    | ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_EXTERNAL_EMOJIS
    | CHANGE_NICKNAME
    | USE_APPLICATION_COMMANDS
    | CREATE_PUBLIC_THREADS
    | CREATE_PRIVATE_THREADS
    | SEND_MESSAGES_IN_THREADS
    | CREATE_EVENTS
)

# What the bot's own role gets by default in the test guild: what Passerelle asks for on invite.
BOT_DEFAULT = (
    DEFAULT_EVERYONE
    | MANAGE_MESSAGES
    | MANAGE_THREADS
    | MANAGE_EVENTS
    | MENTION_EVERYONE
    | MANAGE_ROLES
)

DM_PERMISSIONS = (
    VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY | ADD_REACTIONS
)


def base(guild: Guild, member: Member) -> int:
    if guild.owner_id == member.user.id:
        return ALL
    value = guild.everyone.permissions
    for role_id in member.role_ids:
        role = guild.roles.get(role_id)
        if role is not None:
            value |= role.permissions
    return ALL if value & ADMINISTRATOR else value


def compute(guild: Guild, member: Member, channel: Channel) -> int:
    """Member's permissions in a (non-thread) channel: base, @everyone, roles, member."""
    value = base(guild, member)
    if value & ADMINISTRATOR:
        return ALL
    by_id = {int(o["id"]): o for o in channel.overwrites}
    everyone = by_id.get(guild.id)
    if everyone:
        value = (value & ~int(everyone["deny"])) | int(everyone["allow"])
    allow = deny = 0
    for role_id in member.role_ids:
        o = by_id.get(role_id)
        if o and o["type"] == 0:
            allow |= int(o["allow"])
            deny |= int(o["deny"])
    value = (value & ~deny) | allow
    own = by_id.get(member.user.id)
    if own and own["type"] == 1:
        value = (value & ~int(own["deny"])) | int(own["allow"])
    if not value & VIEW_CHANNEL:
        return 0
    return value


def has(value: int, flag: int) -> bool:
    return bool(value & ADMINISTRATOR) or (value & flag) == flag

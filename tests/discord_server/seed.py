"""Building guilds the way the tests need them: the bot's role, a moderators' role, an admin
role, members, channels. Used by the Harness (its default guild) and by the server's CLI.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from discord import ChannelType

from . import permissions as P
from .world import Channel, Guild, Role, User, World

BOT_ROLE, MOD_ROLE, ADMIN_ROLE = "Passerelle", "Modération", "Admin"
DEFAULT_CHANNELS: tuple[tuple[str, ChannelType], ...] = (
    ("général", ChannelType.text),
    ("annonces", ChannelType.text),
    ("entraide", ChannelType.forum),
)


@dataclass
class Seeded:
    guild: Guild
    owner: User
    roles: dict[str, Role]
    channels: dict[str, Channel] = field(default_factory=dict)


def seed_guild(
    world: World,
    name: str,
    *,
    owner: User | None = None,
    locale: str = "fr",
    shard: tuple[int, int] | None = None,
    channels: Iterable[tuple[str, ChannelType | int]] = DEFAULT_CHANNELS,
    members: Iterable[User] = (),
) -> Seeded:
    """A guild with its owner, the bot (role « Passerelle » with what the bot asks for on
    invite), « Modération » and « Admin » roles, `members` (no role) and `channels`.
    `shard=(id, count)` gives it an id routed to that shard."""
    owner = owner or world.add_user(f"owner-{len(world.guilds) + 1}", locale=locale)
    guild = world.add_guild(name, owner, locale=locale, shard=shard)
    roles = {
        BOT_ROLE: world.add_role(guild, BOT_ROLE, P.BOT_DEFAULT),
        MOD_ROLE: world.add_role(guild, MOD_ROLE, P.MANAGE_MESSAGES | P.MANAGE_THREADS),
        ADMIN_ROLE: world.add_role(guild, ADMIN_ROLE, P.ADMINISTRATOR),
    }
    roles[BOT_ROLE].bot_id = world.bot_user.id  # the bot's own role: managed by Discord
    guild.members[world.bot_user.id].role_ids.append(roles[BOT_ROLE].id)
    for user in members:
        if user.id not in guild.members:
            world.add_member(guild, user)
    seeded = Seeded(guild, owner, roles)
    for channel_name, kind in channels:
        seeded.channels[channel_name] = world.add_channel(guild, channel_name, type=kind)
    return seeded


def seed_from_spec(world: World, spec: dict[str, Any]) -> dict[str, Any]:
    """Seed from JSON (the server CLI's `--seed` file or its control API):
    {"name", "shard": [id, count]?, "locale"?, "members": [{"username", "locale"?,
    "global_name"?, "nick"?, "roles"?: ["Modération"], "dms_open"?}], "channels": [{"name",
    "type"?: 0}]} → the ids: {"id", "owner_id", "members": {username: id},
    "channels": {name: id}, "roles": {name: id}}."""
    shard = spec.get("shard")
    channels = [
        (c["name"], c.get("type", ChannelType.text.value)) for c in spec.get("channels", [])
    ]
    seeded = seed_guild(
        world,
        spec["name"],
        locale=spec.get("locale", "fr"),
        shard=(shard[0], shard[1]) if shard else None,
        channels=channels or DEFAULT_CHANNELS,
    )
    members: dict[str, str] = {}
    for entry in spec.get("members", []):
        user = next((u for u in world.users.values() if u.username == entry["username"]), None)
        if user is None:
            user = world.add_user(
                entry["username"],
                locale=entry.get("locale", "fr"),
                dms_open=entry.get("dms_open", True),
                global_name=entry.get("global_name"),
            )
        roles = [seeded.roles[r] for r in entry.get("roles", [])]
        world.add_member(seeded.guild, user, roles, nick=entry.get("nick"))
        members[user.username] = str(user.id)
    return {
        "id": str(seeded.guild.id),
        "owner_id": str(seeded.owner.id),
        "members": members,
        "channels": {n: str(c.id) for n, c in seeded.channels.items()},
        "roles": {n: str(r.id) for n, r in seeded.roles.items()},
    }

"""The state of the fake Discord: users, guilds, roles, channels, threads, messages, events.

Everything here is plain data; `payload()` methods build the JSON shapes of discord.py's typed
dicts (`discord/types/`). No I/O, no aiohttp: the REST routes and the gateway read and change it.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from discord import (
    ChannelFlags,
    ChannelType,
    ComponentType,
    InteractionResponseType,
    InteractionType,
    MessageFlags,
    MessageType,
)
from discord.enums import try_enum

from . import permissions as perms
from .components import flatten_text, iter_components
from .events import ScheduledEvent

DISCORD_EPOCH_MS = 1420070400000
_counter = itertools.count(1)


def snowflake(*, shard: tuple[int, int] | None = None) -> int:
    """A fresh Discord snowflake (increasing); with `shard=(id, count)`, one whose guild is
    routed to that shard (`(snowflake >> 22) % count == id`: its timestamp part is moved forward
    by less than `count` milliseconds, so it may be ahead of the next plain ones)."""
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    if shard is not None:
        shard_id, count = shard
        ms += (shard_id - ms) % count
    return (ms << 22) | (next(_counter) & 0x3FFFFF)


def iso_now() -> str:
    return datetime.now(UTC).isoformat()


DEFAULT_NAME = "\x00default"  # add_user: the capitalised username
INTERACTION_DEADLINE = 3.0  # seconds Discord waits for an interaction's initial response
THREAD_TYPES = (ChannelType.news_thread, ChannelType.public_thread, ChannelType.private_thread)
FORUM_TYPES = (ChannelType.forum, ChannelType.media)  # thread-only channels with tags
TOPIC_TYPES = (ChannelType.text, ChannelType.news, *FORUM_TYPES)
VOICE_TYPES = (ChannelType.voice, ChannelType.stage_voice)
EPHEMERAL = MessageFlags(ephemeral=True).value
REQUIRE_TAG = ChannelFlags(require_tag=True).value


def channel_type(value: ChannelType | int) -> ChannelType:
    """discord.ChannelType from either the enum or Discord's number (16 is GUILD_MEDIA)."""
    return value if isinstance(value, ChannelType) else try_enum(ChannelType, value)


@dataclass(eq=False)
class User:
    id: int
    username: str
    locale: str = "fr"
    bot: bool = False
    dms_open: bool = True
    global_name: str | None = None
    world: World | None = field(default=None, repr=False)

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
        }
        if self.bot:
            data["bot"] = True
        return data

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    @property
    def display_name(self) -> str:
        """What Discord shows outside a server: the global name, else the username."""
        return self.global_name or self.username

    @property
    def dms(self) -> list[Message]:
        """Messages the bot sent to this user in DMs (oldest first)."""
        assert self.world is not None
        channel = self.world.dm_channel_for(self, create=False)
        return [] if channel is None else channel.visible_messages()


@dataclass(eq=False)
class Role:
    id: int
    name: str
    permissions: int = 0
    position: int = 0
    color: int = 0
    mentionable: bool = False
    bot_id: int | None = None  # a bot's own role, made by Discord when it joins (managed)

    def payload(self) -> dict[str, Any]:
        tags = {"tags": {"bot_id": str(self.bot_id)}} if self.bot_id is not None else {}
        return tags | {
            "id": str(self.id),
            "name": self.name,
            "color": self.color,
            "colors": {
                "primary_color": self.color,
                "secondary_color": None,
                "tertiary_color": None,
            },
            "hoist": False,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.bot_id is not None,
            "mentionable": self.mentionable,
            "flags": 0,
        }

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"


@dataclass(eq=False)
class Member:
    user: User
    guild_id: int
    role_ids: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=iso_now)

    @property
    def display_name(self) -> str:
        """What the server shows: the nickname, else the global name, else the username."""
        return self.nick or self.user.display_name

    def matches(self, query: str) -> bool:
        """Search Guild Members: username or nickname starting with `query` (any case)."""
        q = query.lower()
        names = (self.user.username, self.nick or "")
        return any(name.lower().startswith(q) for name in names if name)

    def payload(self, *, with_user: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "roles": [str(r) for r in self.role_ids],
            "joined_at": self.joined_at,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "nick": self.nick,
            "avatar": None,
            "pending": False,
        }
        if with_user:
            data["user"] = self.user.payload()
        return data


@dataclass(eq=False)
class Attachment:
    id: int
    filename: str
    data: bytes
    content_type: str | None = None
    description: str | None = None
    url: str = ""

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "filename": self.filename,
            "size": len(self.data),
            "url": self.url,
            "proxy_url": self.url,
        }
        if self.content_type:
            data["content_type"] = self.content_type
        if self.description:
            data["description"] = self.description
        return data


@dataclass(eq=False)
class Message:
    id: int
    channel_id: int
    author: User
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    flags: int = 0
    type: MessageType = MessageType.default
    nonce: str | None = None
    webhook_id: int | None = None
    interaction_id: int | None = None
    interaction_type: InteractionType = InteractionType.application_command
    message_reference: dict[str, Any] | None = None
    allowed_mentions: dict[str, Any] | None = None
    timestamp: str = field(default_factory=iso_now)
    edited_timestamp: str | None = None
    deleted: bool = False
    loading: bool = False  # a deferred interaction response still "thinking"
    guild_id: int | None = None
    interaction_user: User | None = None
    world: World | None = field(default=None, repr=False)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def text(self) -> str:
        """Content plus every embed text, flattened (what a member reads)."""
        return flatten_text(self.content, self.embeds, self.components)

    def buttons(self) -> list[dict[str, Any]]:
        button = ComponentType.button.value
        return [c for c in iter_components(self.components) if c.get("type") == button]

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "author": self.author.payload(),
            "content": self.content,
            "timestamp": self.timestamp,
            "edited_timestamp": self.edited_timestamp,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [a.payload() for a in self.attachments],
            "embeds": self.embeds,
            "components": self.components,
            "pinned": False,
            "type": self.type.value,
            "flags": self.flags,
        }
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        if self.nonce is not None:
            data["nonce"] = self.nonce
        if self.webhook_id is not None:
            data["webhook_id"] = str(self.webhook_id)
            data["application_id"] = str(self.webhook_id)
        if self.message_reference is not None:
            data["message_reference"] = self.message_reference
        if self.interaction_id is not None and self.interaction_user is not None:
            data["interaction_metadata"] = {
                "id": str(self.interaction_id),
                "type": self.interaction_type.value,
                "user": self.interaction_user.payload(),
                "authorizing_integration_owners": {},
            }
        return data

    # Driver conveniences (clicks go through the driver, which waits for the bot).
    async def click(self, label_or_id: str, *, by: User) -> Any:
        assert self.world is not None and self.world.driver is not None
        return await self.world.driver.click(self, label_or_id, by=by)

    async def select(self, custom_id_or_placeholder: str, values: list[str], *, by: User) -> Any:
        assert self.world is not None and self.world.driver is not None
        return await self.world.driver.select(self, custom_id_or_placeholder, values, by=by)


@dataclass(eq=False)
class ForumTag:
    """A tag of a forum or media channel (`available_tags`)."""

    id: int
    name: str
    moderated: bool = False
    emoji_id: int | None = None
    emoji_name: str | None = None

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "moderated": self.moderated,
            "emoji_id": str(self.emoji_id) if self.emoji_id else None,
            "emoji_name": self.emoji_name,
        }


@dataclass(eq=False)
class Channel:
    id: int
    type: ChannelType
    name: str = ""
    guild_id: int | None = None
    parent_id: int | None = None
    topic: str | None = None
    position: int = 0
    flags: int = 0
    overwrites: list[dict[str, Any]] = field(default_factory=list)
    owner_id: int | None = None
    archived: bool = False
    locked: bool = False
    invitable: bool = True
    auto_archive_duration: int = 10080
    archive_timestamp: str = field(default_factory=iso_now)
    create_timestamp: str = field(default_factory=iso_now)
    member_ids: set[int] = field(default_factory=set)
    recipient: User | None = None
    all_messages: list[Message] = field(default_factory=list)  # ephemeral and deleted included
    available_tags: list[ForumTag] = field(default_factory=list)
    applied_tags: list[int] = field(default_factory=list)
    deleted: bool = False
    world: World | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.type = channel_type(self.type)

    @property
    def is_thread(self) -> bool:
        return self.type in THREAD_TYPES

    @property
    def is_forum(self) -> bool:
        """A forum or media channel: only posts (threads) in it, with tags."""
        return self.type in FORUM_TYPES

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    @property
    def messages(self) -> list[Message]:
        """What members see in the channel: not deleted, not ephemeral (oldest first)."""
        return [m for m in self.all_messages if not m.deleted and not m.ephemeral]

    def visible_messages(self) -> list[Message]:
        return self.messages

    @property
    def last_message(self) -> Message | None:
        msgs = self.visible_messages()
        return msgs[-1] if msgs else None

    @property
    def threads(self) -> list[Channel]:
        """Its threads (a forum's posts), archived ones included, oldest first."""
        assert self.world is not None
        return [
            c
            for c in self.world.channels.values()
            if c.parent_id == self.id and c.is_thread and not c.deleted
        ]

    # --- forums and their posts -------------------------------------------------------------
    @property
    def posts(self) -> list[Channel]:
        """A forum's posts (threads), oldest first."""
        return self.threads

    def post(self, title: str) -> Channel:
        """A forum's post by its title."""
        for post in self.posts:
            if post.name == title:
                return post
        raise LookupError(f"no post {title!r} in #{self.name}; has {[p.name for p in self.posts]}")

    @property
    def title(self) -> str:
        """A forum post's title (its thread name)."""
        return self.name

    @property
    def starter_message(self) -> Message | None:
        """A forum post's first message (its id is the post's id)."""
        return next((m for m in self.all_messages if m.id == self.id), None)

    @property
    def parent(self) -> Channel | None:
        assert self.world is not None
        return self.world.channels.get(self.parent_id) if self.parent_id else None

    @property
    def tags(self) -> list[str]:
        """Names of a forum post's applied tags (or of a forum's available tags)."""
        if self.is_forum:
            return [t.name for t in self.available_tags]
        parent = self.parent
        by_id = {t.id: t.name for t in (parent.available_tags if parent else [])}
        return [by_id.get(t, str(t)) for t in self.applied_tags]

    def tag(self, name: str) -> ForumTag:
        """A forum's available tag by name."""
        for tag in self.available_tags:
            if tag.name == name:
                return tag
        raise LookupError(f"no tag {name!r} in #{self.name}; has {self.tags}")

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": str(self.id), "type": self.type.value}
        if self.type is ChannelType.private:
            assert self.recipient is not None
            data.update(recipients=[self.recipient.payload()], last_message_id=None)
            return data
        data.update(
            name=self.name,
            guild_id=str(self.guild_id),
            position=self.position,
            permission_overwrites=self.overwrites,
            nsfw=False,
            parent_id=str(self.parent_id) if self.parent_id else None,
            rate_limit_per_user=0,
            flags=self.flags,
        )
        if self.type in TOPIC_TYPES:
            data.update(topic=self.topic, last_message_id=None, default_auto_archive_duration=1440)
        if self.type in VOICE_TYPES:  # discord.py requires these for voice/stage channels
            data.update(bitrate=64000, user_limit=0, rtc_region=None)
        if self.is_forum:
            data.update(available_tags=[t.payload() for t in self.available_tags])
            data.update(default_reaction_emoji=None, default_sort_order=None)
            data.update(default_thread_rate_limit_per_user=0)
            if self.type is ChannelType.forum:
                data.update(default_forum_layout=0)
        if self.is_thread:
            data.pop("permission_overwrites")
            data.pop("position")
            data.update(
                owner_id=str(self.owner_id),
                message_count=len(self.visible_messages()),
                member_count=len(self.member_ids),
                total_message_sent=len(self.all_messages),
                applied_tags=[str(t) for t in self.applied_tags],
                thread_metadata={
                    "archived": self.archived,
                    "locked": self.locked,
                    "auto_archive_duration": self.auto_archive_duration,
                    "archive_timestamp": self.archive_timestamp,
                    "invitable": self.invitable,
                    "create_timestamp": self.create_timestamp,
                },
            )
        return data


@dataclass(eq=False)
class Guild:
    id: int
    name: str
    owner_id: int
    preferred_locale: str = "fr"
    roles: dict[int, Role] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    events: dict[int, ScheduledEvent] = field(default_factory=dict)
    world: World | None = field(default=None, repr=False)

    @property
    def everyone(self) -> Role:
        return self.roles[self.id]

    def channels(self) -> list[Channel]:
        assert self.world is not None
        return [
            c
            for c in self.world.channels.values()
            if c.guild_id == self.id and not c.deleted and not c.is_thread
        ]

    def threads(self) -> list[Channel]:
        assert self.world is not None
        return [
            c
            for c in self.world.channels.values()
            if c.guild_id == self.id and not c.deleted and c.is_thread and not c.archived
        ]

    def payload(self, bot_member: Member) -> dict[str, Any]:
        members = [m.payload() for m in self.members.values()]
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [r.payload() for r in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "preferred_locale": self.preferred_locale,
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "joined_at": bot_member.joined_at,
            "large": False,
            "unavailable": False,
            "member_count": len(members),
            "members": members,
            "channels": [c.payload() for c in self.channels()],
            "threads": [c.payload() for c in self.threads()],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [e.payload() for e in self.events.values() if not e.deleted],
            "soundboard_sounds": [],
        }


@dataclass(eq=False)
class Interaction:
    """One interaction the server sent to the bot, and what the bot answered."""

    id: int
    token: str
    type: InteractionType
    user: User
    guild_id: int | None
    channel_id: int
    data: dict[str, Any]
    response_type: InteractionResponseType | None = None
    message: Message | None = None  # the message the response created or updated
    source_message: Message | None = None  # for component interactions
    followups: list[Message] = field(default_factory=list)
    modal: dict[str, Any] | None = None
    choices: list[dict[str, Any]] | None = None
    created_at: float = field(default_factory=time.monotonic)  # when it was sent to the bot
    late_by: float | None = None  # a callback after the deadline: seconds over it
    answered_at: float | None = None  # when the initial response arrived (benchmarks)


class World:
    """All the fake Discord's state."""

    def __init__(self) -> None:
        self.application_id = snowflake()
        self.bot_user = User(self.application_id, "passerelle", bot=True, locale="fr", world=self)
        self.token = "test-token." + str(self.application_id)
        self.users: dict[int, User] = {self.bot_user.id: self.bot_user}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        self.interactions: dict[int, Interaction] = {}
        self.interactions_by_token: dict[str, Interaction] = {}
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.command_syncs: list[tuple[int | None, list[dict[str, Any]]]] = []
        self.nonces: dict[tuple[int, str], tuple[float, Message]] = {}
        self.uploads: dict[int, Attachment] = {}  # files members attached to commands
        # The application's privileged intents enabled in the Developer Portal (none, as for
        # Passerelle); IDENTIFY asking for another one is closed with 4014.
        self.privileged_intents = 0
        # Discord waits 3 s for the initial response to an interaction, then the token is
        # unknown (10062). Real seconds, not scaled with the rate limits; None: no deadline.
        self.interaction_deadline: float | None = INTERACTION_DEADLINE
        self.base_url = ""  # set by the server: http://127.0.0.1:PORT
        self.driver: Any = None

    # --- creation -------------------------------------------------------------------------
    def add_user(
        self,
        username: str,
        *,
        locale: str = "fr",
        dms_open: bool = True,
        global_name: str | None = DEFAULT_NAME,
    ) -> User:
        """A Discord user; their global (display) name defaults to the capitalised username,
        `global_name=None` for a user who has none."""
        user = User(snowflake(), username, locale=locale, dms_open=dms_open, world=self)
        user.global_name = username.capitalize() if global_name is DEFAULT_NAME else global_name
        self.users[user.id] = user
        return user

    def add_guild(
        self,
        name: str,
        owner: User,
        *,
        locale: str = "fr",
        shard: tuple[int, int] | None = None,
    ) -> Guild:
        """A guild with its owner and the bot; `shard=(id, count)` picks an id on that shard."""
        guild = Guild(snowflake(shard=shard), name, owner.id, preferred_locale=locale, world=self)
        guild.roles[guild.id] = Role(guild.id, "@everyone", perms.DEFAULT_EVERYONE)
        self.guilds[guild.id] = guild
        self.add_member(guild, owner)
        self.add_member(guild, self.bot_user)
        return guild

    def add_role(self, guild: Guild, name: str, permissions: int = 0) -> Role:
        role = Role(snowflake(), name, permissions, position=len(guild.roles))
        guild.roles[role.id] = role
        return role

    def add_member(
        self,
        guild: Guild,
        user: User,
        roles: list[Role] | None = None,
        *,
        nick: str | None = None,
    ) -> Member:
        member = Member(user, guild.id, [r.id for r in roles or []], nick=nick)
        guild.members[user.id] = member
        return member

    def remove_member(self, guild: Guild, user: User) -> Member:
        """The member leaves (or is kicked): gone from the guild and from its threads."""
        member = guild.members.pop(user.id)
        for channel in self.channels.values():
            if channel.guild_id == guild.id and channel.is_thread:
                channel.member_ids.discard(user.id)
        return member

    def add_channel(
        self,
        guild: Guild,
        name: str,
        *,
        type: ChannelType | int = ChannelType.text,
        **kw: Any,
    ) -> Channel:
        channel = Channel(snowflake(), type, name=name, guild_id=guild.id, world=self, **kw)
        self.channels[channel.id] = channel
        return channel

    def dm_channel_for(self, user: User, *, create: bool = True) -> Channel | None:
        for c in self.channels.values():
            if c.type is ChannelType.private and c.recipient is user:
                return c
        if not create:
            return None
        channel = Channel(snowflake(), ChannelType.private, recipient=user, world=self)
        self.channels[channel.id] = channel
        return channel

    def new_message(self, channel: Channel, author: User, **kw: Any) -> Message:
        msg = Message(snowflake(), channel.id, author, guild_id=channel.guild_id, world=self, **kw)
        channel.all_messages.append(msg)
        self.messages[msg.id] = msg
        return msg

    # --- queries --------------------------------------------------------------------------
    def member(self, guild_id: int | None, user: User) -> Member | None:
        if guild_id is None:
            return None
        return self.guilds[guild_id].members.get(user.id)

    def permissions_in(self, channel: Channel, user: User) -> int:
        if channel.guild_id is None:
            return perms.DM_PERMISSIONS
        guild = self.guilds[channel.guild_id]
        member = guild.members.get(user.id)
        if member is None:
            return 0
        target = self.channels.get(channel.parent_id) if channel.is_thread else channel
        return perms.compute(guild, member, target or channel)

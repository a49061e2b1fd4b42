"""The readable test API: members act, the driver waits until the bot is done, tests read.

reply = await world.guild.slash(alice, "config voir")
assert reply.ephemeral and "Fuseau" in reply.text
reply2 = await reply.click("Publier", by=alice)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import timedelta
from typing import Any

import discord
from discord import ChannelType, ComponentType, InteractionType
from discord import gateway as dgateway
from discord import http as dhttp

from . import permissions as P
from .idle import IdleTracker, in_bot_zone, scheduler_due, wait_until
from .interactions import (
    SELECTS,
    command_data,
    find_component,
    modal_submission,
    new_interaction,
)
from .rest import message_event, send_refusal
from .rest_guilds import member_event
from .seed import ADMIN_ROLE, MOD_ROLE, seed_guild
from .server import DiscordServer
from .world import (
    DEFAULT_NAME,
    Channel,
    ForumTag,
    Guild,
    Interaction,
    Message,
    Role,
    User,
    World,
    iso_now,
    snowflake,
)

BotFactory = Callable[[], discord.Client]


class DiscordRefusal(AssertionError):
    """A member tried what Discord's client would not let them do (e.g. post in a locked
    thread): the test asked for the impossible."""


def bot_sockets(bot: Any) -> list[Any]:
    """The bot's gateway websockets: one, or one per shard of an AutoShardedClient."""
    if isinstance(bot, discord.AutoShardedClient):
        return [info._parent.ws for info in bot.shards.values()]
    return [bot.ws]


class Reply:
    """What the member sees after one interaction: the response message (and followups), or the
    modal the bot opened, or the autocomplete choices."""

    def __init__(self, harness: Harness, interaction: Interaction) -> None:
        self._h = harness
        self.interaction = interaction

    @property
    def answered(self) -> bool:
        return self.interaction.response_type is not None

    @property
    def message(self) -> Message | None:
        return self.interaction.message

    def _msg(self) -> Message:
        if self.message is None:
            raise AssertionError(f"the bot sent no message for this interaction ({self})")
        return self.message

    @property
    def content(self) -> str:
        return self._msg().content

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self._msg().embeds

    @property
    def components(self) -> list[dict[str, Any]]:
        return self._msg().components

    @property
    def attachments(self) -> list[Any]:
        return self._msg().attachments

    @property
    def text(self) -> str:
        """Content + embed texts of the response, then of each followup."""
        parts = [self.message.text] if self.message is not None else []
        return "\n".join(parts + [m.text for m in self.followups if not m.deleted])

    @property
    def ephemeral(self) -> bool:
        return self._msg().ephemeral

    @property
    def deferred(self) -> bool:
        """Still "thinking": deferred and never filled."""
        return self._msg().loading

    @property
    def followups(self) -> list[Message]:
        return self.interaction.followups

    @property
    def modal(self) -> dict[str, Any] | None:
        return self.interaction.modal

    @property
    def choices(self) -> list[dict[str, Any]] | None:
        return self.interaction.choices

    async def click(self, label_or_id: str, *, by: User) -> Reply:
        return await self._h.click(self._msg(), label_or_id, by=by)

    async def select(self, id_or_placeholder: str, values: list[str], *, by: User) -> Reply:
        return await self._h.select(self._msg(), id_or_placeholder, values, by=by)

    async def submit_modal(self, values: dict[str, Any], *, by: User) -> Reply:
        if self.modal is None:
            raise AssertionError("the bot opened no modal for this interaction")
        return await self._h.submit_modal(self.interaction, values, by=by)

    def __repr__(self) -> str:
        kind = self.interaction.response_type
        text = self.message.text[:80] if self.message is not None else None
        return f"<Reply callback={kind} text={text!r} modal={bool(self.modal)}>"


class GuildHandle:
    """A guild as the tests use it: its channels, members acting in it, moderators' changes."""

    def __init__(self, harness: Harness, guild: Guild) -> None:
        self._h = harness
        self.state = guild
        self.id = guild.id

    @property
    def name(self) -> str:
        return self.state.name

    @property
    def default_channel(self) -> Channel:
        return self.channel("général")

    def channel(self, name: str) -> Channel:
        for c in self.state.channels():
            if c.name == name:
                return c
        raise LookupError(f"no channel #{name}; has {[c.name for c in self.state.channels()]}")

    @property
    def channels(self) -> list[Channel]:
        return self.state.channels()

    @property
    def threads(self) -> list[Channel]:
        """Every thread of the guild (forum posts included), archived ones too."""
        assert self._h.state is not None
        return [
            c
            for c in self._h.state.channels.values()
            if c.guild_id == self.id and c.is_thread and not c.deleted
        ]

    @property
    def events(self) -> list[Any]:
        return [e for e in self.state.events.values() if not e.deleted]

    @property
    def members(self) -> list[User]:
        return [m.user for m in self.state.members.values()]

    def member(self, user: User) -> Any:
        """The guild's member object for `user` (roles, nick, display_name)."""
        return self.state.members[user.id]

    def role(self, name: str) -> Role:
        return next(r for r in self.state.roles.values() if r.name == name)

    def shard_of(self, shard_count: int) -> int:
        """The shard this guild's events go to among `shard_count` (Discord's formula)."""
        return (self.id >> 22) % shard_count

    # --- members act ------------------------------------------------------------------------
    async def slash(
        self, user: User, path: str, *, channel: Channel | None = None, **options: Any
    ) -> Reply:
        """Run `/path` ("config voir") as `user` in `channel` (default #général)."""
        where = channel or self.default_channel
        data = command_data(self._h.state, self.id, path, options)
        return await self._h.interact(InteractionType.application_command, user, where, data)

    async def autocomplete(
        self,
        user: User,
        path: str,
        *,
        focused: str | None = None,
        channel: Channel | None = None,
        **options: Any,
    ) -> list[dict[str, Any]]:
        """Type into an option (the last one given, or `focused`): the choices the bot offers."""
        if not options:
            raise TypeError("autocomplete needs the option being typed")
        focus = focused or list(options)[-1]
        data = command_data(self._h.state, self.id, path, options, focused=focus)
        where = channel or self.default_channel
        reply = await self._h.interact(InteractionType.autocomplete, user, where, data)
        if reply.choices is None:
            raise AssertionError(f"the bot answered no autocomplete for /{path} {focus}")
        return reply.choices

    async def post(self, user: User, channel: Channel, content: str) -> Message:
        """A member writes in a channel or thread (MESSAGE_CREATE reaches the bot). Discord's
        client refuses what Discord would: a forum channel (posts only), a locked thread
        without Manage Threads, a channel the member cannot see or write in."""
        return await self._h.post(user, channel, content)

    async def create_post(
        self,
        user: User,
        forum: Channel,
        title: str,
        content: str,
        *,
        tags: Iterable[str] = (),
    ) -> Channel:
        """A member opens a post in a forum/media channel (THREAD_CREATE + MESSAGE_CREATE)."""
        return await self._h.create_post(user, forum, title, content, tags=tags)

    # --- the guild changes (members join and leave, moderators edit) ------------------------
    async def add_member(self, name: str, **kw: Any) -> User:
        return await self._h.add_member(name, guild=self, **kw)

    async def join(
        self, user: User, *, roles: Iterable[Role] = (), nick: str | None = None
    ) -> None:
        """An existing user joins this guild too (GUILD_MEMBER_ADD, with the members intent)."""
        member = self._h.state.add_member(self.state, user, list(roles), nick=nick)
        self._h.server.gateway.dispatch("GUILD_MEMBER_ADD", member_event(self.state, member))
        await self._h.idle()

    async def remove_member(self, user: User) -> None:
        """The member leaves (or is kicked): GUILD_MEMBER_REMOVE (only with the members intent);
        then GET /guilds/{g}/members/{u} answers 404 10007, their interactions here are
        impossible, and DMs to them fail with 50007 once they share no guild with the bot."""
        self._h.state.remove_member(self.state, user)
        event = {"guild_id": str(self.id), "user": user.payload()}
        self._h.server.gateway.dispatch("GUILD_MEMBER_REMOVE", event)
        await self._h.idle()

    async def set_roles(self, user: User, roles: Iterable[Role]) -> None:
        """A moderator sets the member's roles (GUILD_MEMBER_UPDATE, with the members intent;
        the next interaction carries the new roles and permissions anyway)."""
        member = self.state.members[user.id]
        member.role_ids = [r.id for r in roles]
        await self._member_updated(member)

    async def set_nick(self, user: User, nick: str | None) -> None:
        """The member's server nickname (their display name here)."""
        member = self.state.members[user.id]
        member.nick = nick
        await self._member_updated(member)

    async def _member_updated(self, member: Any) -> None:
        self._h.server.gateway.dispatch("GUILD_MEMBER_UPDATE", member_event(self.state, member))
        await self._h.idle()


class Harness:
    """The fake Discord plus one running bot. Tests get it as the `world` fixture."""

    def __init__(
        self,
        bot_factory: BotFactory,
        *,
        idle_timeout: float = 10.0,
        time_scale: float = 1.0,
        privileged_intents: int = 0,
        before_start: Callable[[Harness], None] | None = None,
    ) -> None:
        """`time_scale` scales the rate-limit windows (1: Discord's real ones);
        `privileged_intents` are the ones enabled for the application (discord.Intents value);
        `before_start(harness)` seeds more of the world before the bot connects."""
        self.server = DiscordServer(time_scale=time_scale)
        self.state: World = self.server.world
        self.state.driver = self
        self.state.privileged_intents = privileged_intents
        self.bot_factory = bot_factory
        self.bot: Any = None
        self.idle_timeout = idle_timeout
        self.tracker = IdleTracker()
        self._connect_task: asyncio.Task[None] | None = None
        self._saved: tuple[str, Any] | None = None
        self._before_start = before_start
        self.start_to_ready: list[float] = []
        self.bot_errors: list[logging.LogRecord] = []
        self._log_handler = _Collect(self.bot_errors)
        self._build_default_guild()

    def _build_default_guild(self) -> None:
        s = self.state
        self.owner = s.add_user("dominique", locale="fr")
        seeded = seed_guild(s, "Passerelle test", owner=self.owner, locale="fr")
        self.mod_role = seeded.roles[MOD_ROLE]
        admin = seeded.roles[ADMIN_ROLE]
        self.alice = s.add_user("alice", locale="fr")
        self.bob = s.add_user("bob", locale="fr")
        self.carol = s.add_user("carol", locale="en-US")
        s.add_member(seeded.guild, self.alice, [admin, self.mod_role])
        s.add_member(seeded.guild, self.bob)
        s.add_member(seeded.guild, self.carol)
        self.guild = GuildHandle(self, seeded.guild)

    # --- shortcuts ------------------------------------------------------------------------
    @property
    def requests(self) -> list[Any]:
        return self.server.requests

    @property
    def violations(self) -> list[str]:
        return self.server.violations

    @property
    def faults(self) -> Any:
        return self.server.faults

    @property
    def ratelimits(self) -> Any:
        return self.server.ratelimits

    @property
    def gateway(self) -> Any:
        return self.server.gateway

    @property
    def clock(self) -> Any:
        return getattr(self.bot, "clock", None)

    @property
    def guilds(self) -> list[GuildHandle]:
        return [GuildHandle(self, g) for g in self.state.guilds.values()]

    def requests_to(self, method: str, pattern: str) -> list[Any]:
        rx = re.compile(pattern)
        return [r for r in self.requests if r.method == method and rx.search(r.path)]

    def user(self, username: str) -> User:
        return next(u for u in self.state.users.values() if u.username == username)

    # --- lifecycle ------------------------------------------------------------------------
    async def start(self) -> None:
        await self.server.start()
        self._saved = (dhttp.Route.BASE, dgateway.DiscordWebSocket.DEFAULT_GATEWAY)
        dhttp.Route.BASE = self.server.api_base
        dgateway.DiscordWebSocket.DEFAULT_GATEWAY = dgateway.yarl.URL(self.server.gateway_url)
        self.tracker.install(asyncio.get_running_loop())
        for name in ("discord", "bot", "cogs"):
            logging.getLogger(name).addHandler(self._log_handler)
        if self._before_start is not None:
            self._before_start(self)
        await self.start_bot()

    async def start_bot(self) -> None:
        t0 = time.perf_counter()
        bot = self.bot_factory()
        bot._connection.guild_ready_timeout = 0.01  # READY right after the last GUILD_CREATE
        self.bot = bot
        ctx = in_bot_zone()
        loop = asyncio.get_running_loop()
        await loop.create_task(bot.login(self.state.token), context=ctx)
        self._connect_task = loop.create_task(bot.connect(reconnect=True), context=ctx)
        ready = loop.create_task(bot.wait_until_ready())
        done, _ = await asyncio.wait(
            {ready, self._connect_task}, timeout=10, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            if self._connect_task in done:
                self._connect_task.result()
            raise AssertionError("the bot did not become ready within 10 s")
        self.start_to_ready.append(time.perf_counter() - t0)
        await self.idle()

    async def stop_bot(self) -> None:
        if self.bot is None:
            return
        await self.bot.close()
        if self._connect_task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await self._connect_task
        self.bot = None

    async def restart(self) -> None:
        """Stop the bot cleanly and start a new one on the same database and server."""
        await self.stop_bot()
        await self.start_bot()

    async def crash(self) -> None:
        """The process dies: tasks cancelled mid-flight, socket cut, no shutdown hooks; then a
        new bot starts on the same database and server."""
        bot = self.bot
        for ws in bot_sockets(bot):
            if ws is not None and ws._keep_alive is not None:
                ws._keep_alive.stop()  # the heartbeat thread dies with the process, too
        for task in list(self.tracker.parents):
            if not task.done():
                task.cancel()
        await self.server.gateway.drop()
        await asyncio.sleep(0)
        await bot.http.close()
        db = getattr(bot, "db", None)
        if db is not None:  # release the file as the OS would; nothing is committed
            with contextlib.suppress(Exception):
                await db.close()
        scheduler = getattr(bot, "scheduler", None)
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=False)
        bot._closing_task = None
        bot._closed = True
        self.bot = None
        await self.start_bot()

    async def stop(self) -> None:
        try:
            await self.stop_bot()
        finally:
            await self.server.stop()
            self.tracker.uninstall()
            for name in ("discord", "bot", "cogs"):
                logging.getLogger(name).removeHandler(self._log_handler)
            if self._saved is not None:
                dhttp.Route.BASE, dgateway.DiscordWebSocket.DEFAULT_GATEWAY = self._saved

    def check(self) -> None:
        """What every end-to-end test must also satisfy: valid requests, no bot error.
        Run by the fixtures at teardown."""
        assert not self.violations, "requests violating Discord's API:\n" + "\n".join(
            self.violations
        )
        errors = [f"{r.name}: {r.getMessage()}" for r in self.bot_errors]
        assert not errors, "the bot logged errors:\n" + "\n".join(errors)

    # --- idle -----------------------------------------------------------------------------
    def _is_idle(self) -> bool:
        bot, gw = self.bot, self.server.gateway
        if bot is None:
            return False
        sockets = bot_sockets(bot)
        if not sockets:
            return False
        for ws in sockets:
            if ws is None or not ws.open:
                return False
            session = gw.sessions.get(ws.session_id or "")
            if session is None or not session.live or (ws.sequence or 0) < session.seq:
                return False
        if self.server.in_flight or scheduler_due(bot):
            return False
        return not self.tracker.pending_work()

    def _why_busy(self) -> str:
        gw = self.server.gateway
        shards = []
        for ws in bot_sockets(self.bot) if self.bot is not None else []:
            session = gw.sessions.get(getattr(ws, "session_id", None) or "")
            shards.append(
                f"[bot seq={getattr(ws, 'sequence', None)} server seq="
                f"{session.seq if session else None} live={session.live if session else None}]"
            )
        return (
            f"sockets {' '.join(shards) or 'none'}, in-flight={self.server.in_flight}, "
            f"pending={self.tracker.describe(self.tracker.pending_work())}"
        )

    async def idle(self, within: float | None = None) -> None:
        """Return once the bot has handled everything (see idle.py)."""
        await wait_until(self._is_idle, self._why_busy, within or self.idle_timeout)

    async def in_bot(self, make: Callable[[], Awaitable[Any]]) -> Any:
        """Run a coroutine inside the bot (tracked as work), then wait for idle."""
        task = asyncio.get_running_loop().create_task(
            _call(make), name="fake-discord-work", context=in_bot_zone()
        )
        result = await task
        await self.idle()
        return result

    async def advance(self, **delta: float) -> None:
        """Move the bot's FakeClock, run what is due (bot.reminders.run_due), wait for idle."""
        self.clock.advance(timedelta(**delta))
        reminders = getattr(self.bot, "reminders", None)
        if reminders is not None:
            await self.in_bot(reminders.run_due)
        else:
            await self.idle()

    # --- gateway faults ---------------------------------------------------------------------
    async def gateway_reconnect(self, *, shard: int | None = None) -> None:
        self.server.gateway.reconnect(shard=shard)
        await self.idle()

    async def invalid_session(self, *, shard: int | None = None) -> None:
        self.server.gateway.invalidate(resumable=False, shard=shard)
        await self.idle()

    async def drop_connection(self, *, shard: int | None = None) -> None:
        await self.server.gateway.drop(shard=shard)
        await self.idle()

    # --- members act ----------------------------------------------------------------------
    async def interact(
        self,
        kind: InteractionType,
        user: User,
        channel: Channel,
        data: dict[str, Any],
        message: Message | None = None,
    ) -> Reply:
        await self.idle()
        inter, payload = new_interaction(self.state, kind, user, channel, data, message=message)
        self.server.gateway.dispatch("INTERACTION_CREATE", payload)
        await self.idle()
        return Reply(self, inter)

    async def click(self, message: Message, label_or_id: str, *, by: User) -> Reply:
        button = find_component(message, label_or_id, (ComponentType.button,))
        if button.get("disabled"):
            raise AssertionError(f"button {label_or_id!r} is disabled")
        if "custom_id" not in button:
            raise AssertionError(f"button {label_or_id!r} is a link: {button.get('url')}")
        data = {"custom_id": button["custom_id"], "component_type": ComponentType.button.value}
        channel = self._channel_of(message)
        return await self.interact(InteractionType.component, by, channel, data, message)

    async def click_together(
        self, message: Message, label_or_id: str, *, by: Iterable[User]
    ) -> list[Reply]:
        """Several clicks on one button arriving at once (each member's INTERACTION_CREATE is
        sent before the bot answered any), then wait until the bot is done with all."""
        button = find_component(message, label_or_id, (ComponentType.button,))
        data = {"custom_id": button["custom_id"], "component_type": ComponentType.button.value}
        channel = self._channel_of(message)
        await self.idle()
        interactions = []
        for user in by:
            inter, payload = new_interaction(
                self.state, InteractionType.component, user, channel, data, message=message
            )
            self.server.gateway.dispatch("INTERACTION_CREATE", payload)
            interactions.append(inter)
        await self.idle()
        return [Reply(self, inter) for inter in interactions]

    async def select_together(
        self, message: Message, id_or_placeholder: str, picks: Iterable[tuple[User, list[str]]]
    ) -> list[Reply]:
        """Several members choosing in one select at once (each INTERACTION_CREATE sent before
        the bot answered any), then wait until the bot is done with all."""
        menu = find_component(message, id_or_placeholder, SELECTS)
        channel = self._channel_of(message)
        await self.idle()
        interactions = []
        for user, values in picks:
            data = {
                "custom_id": menu["custom_id"],
                "component_type": menu["type"],
                "values": values,
            }
            inter, payload = new_interaction(
                self.state, InteractionType.component, user, channel, data, message=message
            )
            self.server.gateway.dispatch("INTERACTION_CREATE", payload)
            interactions.append(inter)
        await self.idle()
        return [Reply(self, inter) for inter in interactions]

    async def select(
        self, message: Message, id_or_placeholder: str, values: list[str], *, by: User
    ) -> Reply:
        menu = find_component(message, id_or_placeholder, SELECTS)
        data = {"custom_id": menu["custom_id"], "component_type": menu["type"], "values": values}
        channel = self._channel_of(message)
        return await self.interact(InteractionType.component, by, channel, data, message)

    async def submit_modal(self, source: Interaction, values: dict[str, Any], *, by: User) -> Reply:
        assert source.modal is not None
        data = modal_submission(source.modal, values)
        channel = self.state.channels[source.channel_id]
        kind = InteractionType.modal_submit
        return await self.interact(kind, by, channel, data, source.source_message)

    async def dm_slash(self, user: User, path: str, **options: Any) -> Reply:
        channel = self.state.dm_channel_for(user)
        assert channel is not None
        data = command_data(self.state, None, path, options)
        return await self.interact(InteractionType.application_command, user, channel, data)

    def _channel_of(self, message: Message) -> Channel:
        return self.state.channels[message.channel_id]

    def _check_member_can_post(self, user: User, channel: Channel) -> None:
        if channel.guild_id is None:
            return
        if self.state.member(channel.guild_id, user) is None:
            raise DiscordRefusal(f"{user.username} is not a member of the guild")
        value = self.state.permissions_in(channel, user)
        needed = P.SEND_MESSAGES_IN_THREADS if channel.is_thread else P.SEND_MESSAGES
        visible = P.has(value, P.VIEW_CHANNEL)
        if channel.type is ChannelType.private_thread and user.id not in channel.member_ids:
            visible = visible and P.has(value, P.MANAGE_THREADS)
        if not visible or not P.has(value, needed):
            raise DiscordRefusal(f"{user.username} cannot write in #{channel.name}")
        refusal = send_refusal(self.state, channel, user, value)
        if refusal is not None:
            raise DiscordRefusal(f"Discord refuses: {refusal.code} {refusal.message}")

    async def post(self, user: User, channel: Channel, content: str) -> Message:
        self._check_member_can_post(user, channel)
        if channel.is_thread and channel.archived:  # a message reopens an unlocked thread
            channel.archived = False
            channel.archive_timestamp = iso_now()
            self.server.gateway.dispatch("THREAD_UPDATE", channel.payload())
        msg = self.state.new_message(channel, user, content=content)
        self.server.gateway.dispatch("MESSAGE_CREATE", message_event(self.server, msg))
        await self.idle()
        return msg

    async def create_post(
        self,
        user: User,
        forum: Channel,
        title: str,
        content: str,
        *,
        tags: Iterable[str] = (),
    ) -> Channel:
        if not forum.is_forum:
            raise DiscordRefusal(f"#{forum.name} is not a forum or media channel")
        value = self.state.permissions_in(forum, user)
        if not P.has(value, P.SEND_MESSAGES):
            raise DiscordRefusal(f"{user.username} cannot post in #{forum.name}")
        applied = [forum.tag(name) for name in tags]
        if any(t.moderated for t in applied) and not P.has(value, P.MANAGE_THREADS):
            raise DiscordRefusal("a moderated tag needs Manage Threads")
        assert forum.guild_id is not None
        guild = self.state.guilds[forum.guild_id]
        post = self.state.add_channel(guild, title, type=ChannelType.public_thread)
        first = self.state.new_message(post, user, content=content)
        self.state.channels.pop(post.id)
        post.id = first.id  # a post's id is its first message's id
        first.channel_id = post.id
        self.state.channels[post.id] = post
        post.parent_id, post.owner_id = forum.id, user.id
        post.applied_tags = [t.id for t in applied]
        post.member_ids.add(user.id)
        gateway = self.server.gateway
        gateway.dispatch("THREAD_CREATE", {**post.payload(), "newly_created": True})
        gateway.dispatch("MESSAGE_CREATE", message_event(self.server, first))
        await self.idle()
        return post

    # --- world changes while the bot runs ---------------------------------------------------
    async def add_member(
        self,
        name: str,
        *,
        locale: str = "fr",
        roles: tuple[Role, ...] = (),
        dms_open: bool = True,
        global_name: str | None = DEFAULT_NAME,
        nick: str | None = None,
        guild: GuildHandle | None = None,
    ) -> User:
        """A new user joins (GUILD_MEMBER_ADD reaches the bot only with the members intent)."""
        g = (guild or self.guild).state
        user = self.state.add_user(name, locale=locale, dms_open=dms_open, global_name=global_name)
        member = self.state.add_member(g, user, list(roles), nick=nick)
        self.server.gateway.dispatch("GUILD_MEMBER_ADD", member_event(g, member))
        await self.idle()
        return user

    async def add_guild(
        self,
        name: str,
        *,
        shard: tuple[int, int] | None = None,
        members: Iterable[User] = (),
        channels: Iterable[tuple[str, ChannelType]] | None = None,
        locale: str = "fr",
    ) -> GuildHandle:
        """The bot is added to a new guild (GUILD_CREATE to the shard that owns it).
        `shard=(id, count)` chooses an id routed to that shard."""
        kw: dict[str, Any] = {} if channels is None else {"channels": channels}
        seeded = seed_guild(self.state, name, shard=shard, members=members, locale=locale, **kw)
        guild = seeded.guild
        if self.bot is not None:
            payload = guild.payload(guild.members[self.state.bot_user.id])
            self.server.gateway.dispatch("GUILD_CREATE", payload)
            await self.idle()
        return GuildHandle(self, guild)

    async def add_channel(
        self,
        name: str,
        *,
        type: ChannelType = ChannelType.text,
        overwrites: list[dict[str, Any]] | None = None,
        tags: Iterable[str | ForumTag] = (),
        guild: GuildHandle | None = None,
    ) -> Channel:
        """A moderator creates a channel (CHANNEL_CREATE); `tags` for a forum/media channel."""
        channel = self.state.add_channel((guild or self.guild).state, name, type=type)
        channel.overwrites = overwrites or []
        channel.available_tags = [_tag(t) for t in tags]
        self.server.gateway.dispatch("CHANNEL_CREATE", channel.payload())
        await self.idle()
        return channel

    async def edit_channel(self, channel: Channel, **fields: Any) -> None:
        """A moderator edits a channel or thread by hand (CHANNEL_UPDATE / THREAD_UPDATE):
        name, topic, flags, `tags` (a forum's available tags, names or ForumTag), and for a
        thread archived, locked, `applied_tags` (tag names)."""
        if "tags" in fields:
            channel.available_tags = [_tag(t) for t in fields.pop("tags")]
        if "applied_tags" in fields:
            parent = channel.parent
            assert parent is not None
            channel.applied_tags = [parent.tag(n).id for n in fields.pop("applied_tags")]
        if "archived" in fields and fields["archived"] != channel.archived:
            channel.archive_timestamp = iso_now()
        for key, value in fields.items():
            if not hasattr(channel, key):
                raise TypeError(f"a channel has no {key!r}")
            setattr(channel, key, value)
        event = "THREAD_UPDATE" if channel.is_thread else "CHANNEL_UPDATE"
        self.server.gateway.dispatch(event, channel.payload())
        await self.idle()

    async def delete_channel(self, channel: Channel) -> None:
        """A moderator deletes the channel: it and its messages are gone (404 10003 after)."""
        del self.state.channels[channel.id]
        event = "THREAD_DELETE" if channel.is_thread else "CHANNEL_DELETE"
        self.server.gateway.dispatch(event, channel.payload())
        await self.idle()

    async def set_overwrites(self, channel: Channel, overwrites: list[dict[str, Any]]) -> None:
        channel.overwrites = overwrites
        self.server.gateway.dispatch("CHANNEL_UPDATE", channel.payload())
        await self.idle()

    async def set_role_permissions(self, role: Role, permissions: int) -> None:
        role.permissions = permissions
        guild_id = next(g.id for g in self.state.guilds.values() if role.id in g.roles)
        event = {"guild_id": str(guild_id), "role": role.payload()}
        self.server.gateway.dispatch("GUILD_ROLE_UPDATE", event)
        await self.idle()


def _tag(tag: str | ForumTag) -> ForumTag:
    return tag if isinstance(tag, ForumTag) else ForumTag(snowflake(), tag)


async def _call(make: Callable[[], Awaitable[Any]]) -> Any:
    return await make()


class _Collect(logging.Handler):
    """Errors the bot logged (discord.py logs unhandled exceptions in handlers)."""

    def __init__(self, sink: list[logging.LogRecord]) -> None:
        super().__init__(logging.ERROR)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record)

"""The readable test API: members act, the driver waits until the bot is done, tests read.

reply = await world.guild.slash(alice, "config voir")
assert reply.ephemeral and "Fuseau" in reply.text
reply2 = await reply.click("Publier", by=alice)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import discord
from discord import gateway as dgateway
from discord import http as dhttp

from . import permissions as P
from .idle import IdleTracker, in_bot_zone, scheduler_due, wait_until
from .interactions import command_data, find_component, modal_submission, new_interaction
from .server import DiscordServer
from .world import TEXT, Channel, Guild, Interaction, Message, Role, User, World

BotFactory = Callable[[], discord.Client]


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
    """A guild as the tests use it."""

    def __init__(self, harness: Harness, guild: Guild) -> None:
        self._h = harness
        self.state = guild
        self.id = guild.id

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
        assert self._h.state is not None
        return [c for c in self._h.state.channels.values() if c.guild_id == self.id and c.is_thread]

    @property
    def events(self) -> list[Any]:
        return [e for e in self.state.events.values() if not e.deleted]

    def role(self, name: str) -> Role:
        return next(r for r in self.state.roles.values() if r.name == name)

    async def slash(
        self, user: User, path: str, *, channel: Channel | None = None, **options: Any
    ) -> Reply:
        """Run `/path` ("config voir") as `user` in `channel` (default #général)."""
        where = channel or self.default_channel
        data = command_data(self._h.state, self.id, path, options)
        return await self._h.interact(2, user, where, data)

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
        reply = await self._h.interact(4, user, channel or self.default_channel, data)
        if reply.choices is None:
            raise AssertionError(f"the bot answered no autocomplete for /{path} {focus}")
        return reply.choices

    async def add_member(self, name: str, **kw: Any) -> User:
        return await self._h.add_member(name, guild=self, **kw)

    async def post(self, user: User, channel: Channel, content: str) -> Message:
        """A member writes in a channel (MESSAGE_CREATE reaches the bot)."""
        return await self._h.post(user, channel, content)


class Harness:
    """The fake Discord plus one running bot. Tests get it as the `world` fixture."""

    def __init__(self, bot_factory: BotFactory, *, idle_timeout: float = 10.0) -> None:
        self.server = DiscordServer()
        self.state: World = self.server.world
        self.state.driver = self
        self.bot_factory = bot_factory
        self.bot: Any = None
        self.idle_timeout = idle_timeout
        self.tracker = IdleTracker()
        self._connect_task: asyncio.Task[None] | None = None
        self._saved: tuple[str, Any] | None = None
        self.start_to_ready: list[float] = []
        self.bot_errors: list[logging.LogRecord] = []
        self._log_handler = _Collect(self.bot_errors)
        self._build_default_guild()

    def _build_default_guild(self) -> None:
        s = self.state
        self.owner = s.add_user("dominique", locale="fr")
        guild = s.add_guild("Passerelle test", self.owner, locale="fr")
        bot_role = s.add_role(guild, "Passerelle", P.BOT_DEFAULT)
        bot_role.bot_id = s.bot_user.id
        guild.members[s.bot_user.id].role_ids.append(bot_role.id)
        self.mod_role = s.add_role(guild, "Modération", P.MANAGE_MESSAGES | P.MANAGE_THREADS)
        admin = s.add_role(guild, "Admin", P.ADMINISTRATOR)
        self.alice = s.add_user("alice", locale="fr")
        self.bob = s.add_user("bob", locale="fr")
        self.carol = s.add_user("carol", locale="en-US")
        s.add_member(guild, self.alice, [admin, self.mod_role])
        s.add_member(guild, self.bob)
        s.add_member(guild, self.carol)
        s.add_channel(guild, "général")
        s.add_channel(guild, "annonces")
        s.add_channel(guild, "entraide", type=15)
        self.guild = GuildHandle(self, guild)

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

    def requests_to(self, method: str, pattern: str) -> list[Any]:
        import re

        rx = re.compile(pattern)
        return [r for r in self.requests if r.method == method and rx.search(r.path)]

    # --- lifecycle ------------------------------------------------------------------------
    async def start(self) -> None:
        await self.server.start()
        self._saved = (dhttp.Route.BASE, dgateway.DiscordWebSocket.DEFAULT_GATEWAY)
        dhttp.Route.BASE = self.server.api_base
        dgateway.DiscordWebSocket.DEFAULT_GATEWAY = dgateway.yarl.URL(self.server.gateway_url)
        self.tracker.install(asyncio.get_running_loop())
        for name in ("discord", "bot", "cogs"):
            logging.getLogger(name).addHandler(self._log_handler)
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
        ws = getattr(bot, "ws", None)
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
        if bot is None or not gw.live or bot.ws is None or not bot.ws.open:
            return False
        if bot.ws.session_id != gw.current.id or (bot.ws.sequence or 0) < gw.current.seq:
            return False
        if self.server.in_flight or scheduler_due(bot):
            return False
        return not self.tracker.pending_work()

    def _why_busy(self) -> str:
        gw = self.server.gateway
        seq = getattr(getattr(self.bot, "ws", None), "sequence", None)
        return (
            f"gateway live={gw.live} bot seq={seq} server seq="
            f"{gw.current.seq if gw.current else None}, in-flight={self.server.in_flight}, "
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
    async def gateway_reconnect(self) -> None:
        self.server.gateway.reconnect()
        await self.idle()

    async def invalid_session(self) -> None:
        self.server.gateway.invalidate(resumable=False)
        await self.idle()

    async def drop_connection(self) -> None:
        await self.server.gateway.drop()
        await self.idle()

    # --- members act ----------------------------------------------------------------------
    async def interact(
        self,
        kind: int,
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
        button = find_component(message, label_or_id, (2,))
        if button.get("disabled"):
            raise AssertionError(f"button {label_or_id!r} is disabled")
        if "custom_id" not in button:
            raise AssertionError(f"button {label_or_id!r} is a link: {button.get('url')}")
        data = {"custom_id": button["custom_id"], "component_type": 2}
        return await self.interact(3, by, self._channel_of(message), data, message)

    async def select(
        self, message: Message, id_or_placeholder: str, values: list[str], *, by: User
    ) -> Reply:
        menu = find_component(message, id_or_placeholder, (3, 5, 6, 7, 8))
        data = {"custom_id": menu["custom_id"], "component_type": menu["type"], "values": values}
        return await self.interact(3, by, self._channel_of(message), data, message)

    async def submit_modal(self, source: Interaction, values: dict[str, Any], *, by: User) -> Reply:
        assert source.modal is not None
        data = modal_submission(source.modal, values)
        channel = self.state.channels[source.channel_id]
        return await self.interact(5, by, channel, data, source.source_message)

    async def dm_slash(self, user: User, path: str, **options: Any) -> Reply:
        channel = self.state.dm_channel_for(user)
        assert channel is not None
        data = command_data(self.state, None, path, options)
        return await self.interact(2, user, channel, data)

    def _channel_of(self, message: Message) -> Channel:
        return self.state.channels[message.channel_id]

    async def post(self, user: User, channel: Channel, content: str) -> Message:
        msg = self.state.new_message(channel, user, content=content)
        from .rest import message_event

        self.server.gateway.dispatch("MESSAGE_CREATE", message_event(self.server, msg))
        await self.idle()
        return msg

    # --- world changes while the bot runs ---------------------------------------------------
    async def add_member(
        self,
        name: str,
        *,
        locale: str = "fr",
        roles: tuple[Role, ...] = (),
        dms_open: bool = True,
        guild: GuildHandle | None = None,
    ) -> User:
        g = (guild or self.guild).state
        user = self.state.add_user(name, locale=locale, dms_open=dms_open)
        member = self.state.add_member(g, user, list(roles))
        self.server.gateway.dispatch("GUILD_MEMBER_ADD", member.payload() | {"guild_id": str(g.id)})
        await self.idle()
        return user

    async def add_channel(
        self, name: str, *, type: int = TEXT, overwrites: list[dict[str, Any]] | None = None
    ) -> Channel:
        channel = self.state.add_channel(self.guild.state, name, type=type)
        channel.overwrites = overwrites or []
        self.server.gateway.dispatch("CHANNEL_CREATE", channel.payload())
        await self.idle()
        return channel

    async def delete_channel(self, channel: Channel) -> None:
        """A moderator deletes the channel: it and its messages are gone (404 10003 after)."""
        del self.state.channels[channel.id]
        self.server.gateway.dispatch("CHANNEL_DELETE", channel.payload())
        await self.idle()

    async def set_overwrites(self, channel: Channel, overwrites: list[dict[str, Any]]) -> None:
        channel.overwrites = overwrites
        self.server.gateway.dispatch("CHANNEL_UPDATE", channel.payload())
        await self.idle()

    async def set_role_permissions(self, role: Role, permissions: int) -> None:
        role.permissions = permissions
        event = {"guild_id": str(self.guild.id), "role": role.payload()}
        self.server.gateway.dispatch("GUILD_ROLE_UPDATE", event)
        await self.idle()


async def _call(make: Callable[[], Awaitable[Any]]) -> Any:
    return await make()


class _Collect(logging.Handler):
    """Errors the bot logged (discord.py logs unhandled exceptions in handlers)."""

    def __init__(self, sink: list[logging.LogRecord]) -> None:
        super().__init__(logging.ERROR)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record)

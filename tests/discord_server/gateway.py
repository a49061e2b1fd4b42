"""The gateway websocket: HELLO, heartbeats, IDENTIFY → READY + GUILD_CREATE, RESUME with
replay, member chunks, intents, shards, and faults (RECONNECT, INVALID_SESSION, drop).

Frames are plain JSON text (discord.py accepts text even when it asked for zlib-stream).
Each connection has one writer task fed by a queue, so frames leave in dispatch order.

Shards as Discord routes them: a session identified with `shard: [id, count]` receives the
events of the guilds with `(guild_id >> 22) % count == id`; events without a guild (DMs) go to
shard 0. Several sessions may be live at once (one per shard of an AutoShardedClient, or
several processes); an unsharded IDENTIFY is shard [0, 1]. A new IDENTIFY for the same
[id, count] takes over from the previous session of that shard.

Intents as Discord applies them: privileged intents the application has not enabled close the
connection with 4014; GUILD_MEMBER_* need GUILD_MEMBERS; without it THREAD_MEMBERS_UPDATE is only
sent when the bot itself was added or removed; GUILD_CREATE lists only the bot's own member
without GUILD_PRESENCES; message content only with MESSAGE_CONTENT (own messages, DMs and
mentions of the bot excepted).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSCloseCode, WSMsgType, web

if TYPE_CHECKING:
    from .server import DiscordServer

HEARTBEAT_INTERVAL_MS = 41250
MAX_GUILDS_PER_SHARD = 2500  # Discord: a shard may hold at most 2,500 guilds (else 4011)
GUILDS_PER_RECOMMENDED_SHARD = 1000  # what /gateway/bot's `shards` tends to follow
SESSION_START_TOTAL = 1000  # session_start_limit.total for bots under 150k guilds

# Intents (discord.Intents flags' values; named like Discord's documentation)
GUILDS, GUILD_MEMBERS, GUILD_PRESENCES = 1 << 0, 1 << 1, 1 << 8
GUILD_MESSAGES, DIRECT_MESSAGES, MESSAGE_CONTENT = 1 << 9, 1 << 12, 1 << 15
GUILD_SCHEDULED_EVENTS = 1 << 16
PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT
KNOWN_INTENTS = (1 << 26) - 1

# Gateway close codes
AUTHENTICATION_FAILED, INVALID_SHARD, SHARDING_REQUIRED = 4004, 4010, 4011
INVALID_INTENTS, DISALLOWED_INTENTS = 4013, 4014
CLEAN_CLOSE_CODES = (WSCloseCode.OK, WSCloseCode.GOING_AWAY)  # the session ends with them

# ops
DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, RESUME, RECONNECT = 0, 1, 2, 3, 6, 7
REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 8, 9, 10, 11
OP_NAMES = {HEARTBEAT: "HEARTBEAT", IDENTIFY: "IDENTIFY", PRESENCE: "PRESENCE"}
OP_NAMES |= {RESUME: "RESUME", REQUEST_MEMBERS: "REQUEST_MEMBERS"}

EVENT_INTENTS = {
    "GUILD_CREATE": GUILDS,
    "GUILD_UPDATE": GUILDS,
    "GUILD_DELETE": GUILDS,
    "CHANNEL_CREATE": GUILDS,
    "CHANNEL_UPDATE": GUILDS,
    "CHANNEL_DELETE": GUILDS,
    "THREAD_CREATE": GUILDS,
    "THREAD_UPDATE": GUILDS,
    "THREAD_DELETE": GUILDS,
    "THREAD_LIST_SYNC": GUILDS,
    "THREAD_MEMBER_UPDATE": GUILDS,
    "THREAD_MEMBERS_UPDATE": GUILDS,
    "GUILD_ROLE_CREATE": GUILDS,
    "GUILD_ROLE_UPDATE": GUILDS,
    "GUILD_ROLE_DELETE": GUILDS,
    "GUILD_MEMBER_ADD": GUILD_MEMBERS,
    "GUILD_MEMBER_UPDATE": GUILD_MEMBERS,
    "GUILD_MEMBER_REMOVE": GUILD_MEMBERS,
    "GUILD_SCHEDULED_EVENT_CREATE": GUILD_SCHEDULED_EVENTS,
    "GUILD_SCHEDULED_EVENT_UPDATE": GUILD_SCHEDULED_EVENTS,
    "GUILD_SCHEDULED_EVENT_DELETE": GUILD_SCHEDULED_EVENTS,
}
MESSAGE_EVENTS = ("MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE")
GUILD_ID_IS_ID = ("GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE")


def shard_of(guild_id: int | None, shard_count: int) -> int:
    """Discord's sharding formula; events without a guild go to shard 0."""
    return 0 if guild_id is None else (guild_id >> 22) % shard_count


def guild_of_event(event: str, data: dict[str, Any]) -> int | None:
    raw = data.get("id") if event in GUILD_ID_IS_ID else data.get("guild_id")
    return int(raw) if raw else None


@dataclass(eq=False)
class Session:
    id: str
    intents: int
    shard: tuple[int, int] = (0, 1)
    seq: int = 0
    sent: list[tuple[int, str]] = field(default_factory=list)  # for RESUME replay
    conn: Connection | None = None
    invalid: bool = False
    events: list[str] = field(default_factory=list)  # event names dispatched to it

    @property
    def live(self) -> bool:
        return self.conn is not None and not self.conn.retiring and not self.invalid

    def owns(self, guild_id: int | None) -> bool:
        shard_id, count = self.shard
        return shard_of(guild_id, count) == shard_id


@dataclass(eq=False)
class Connection:
    ws: web.WebSocketResponse
    request: web.Request
    outbox: asyncio.Queue[str | None] = field(default_factory=asyncio.Queue)
    session: Session | None = None
    retiring: bool = False  # told to go away (op 7 / op 9): not live any more
    received: list[dict[str, Any]] = field(default_factory=list)
    close_code: int | None = None  # the code the server closed it with


class Gateway:
    def __init__(self, server: DiscordServer) -> None:
        self.server = server
        self.sessions: dict[str, Session] = {}
        self.active: dict[tuple[int, int], Session] = {}  # the session receiving each shard
        self.connections: list[Connection] = []
        self.log: list[tuple[str, Any]] = []  # (op name, data) the bot sent
        self.closed: list[int] = []  # close codes the server sent (4004, 4010, 4011, 4014 …)
        self.identifies = 0
        self.resumes = 0
        self.recommended_shards: int | None = None  # None: one per 1,000 guilds
        self.max_guilds_per_shard = MAX_GUILDS_PER_SHARD

    # --- state queried by the driver ------------------------------------------------------
    @property
    def current(self) -> Session | None:
        """The most recently identified or resumed live session (the only one when unsharded)."""
        live = [s for s in self.active.values() if not s.invalid]
        return live[-1] if live else None

    @property
    def live(self) -> bool:
        s = self.current
        return s is not None and s.live

    def sessions_for(self, guild_id: int | None) -> list[Session]:
        return [s for s in self.active.values() if not s.invalid and s.owns(guild_id)]

    def bot_gateway(self) -> dict[str, Any]:
        """GET /gateway/bot."""
        guilds = len(self.server.world.guilds)
        shards = self.recommended_shards or max(1, math.ceil(guilds / GUILDS_PER_RECOMMENDED_SHARD))
        return {
            "url": f"ws://127.0.0.1:{self.server.port}/gateway",
            "shards": shards,
            "session_start_limit": {
                "total": SESSION_START_TOTAL,
                "remaining": max(0, SESSION_START_TOTAL - self.identifies),
                "reset_after": 86_400_000,
                "max_concurrency": 1,
            },
        }

    # --- dispatch -------------------------------------------------------------------------
    def dispatch(self, event: str, data: dict[str, Any], *, guild_id: int | None = None) -> None:
        """Send an event to the session(s) of the shard that owns its guild (DMs: shard 0)."""
        gid = guild_id if guild_id is not None else guild_of_event(event, data)
        for session in self.sessions_for(gid):
            self.send(session, event, data)

    def send(self, session: Session, event: str, data: dict[str, Any]) -> None:
        payload = self._filtered(session, event, data)
        if payload is None or session.invalid:
            return
        session.seq += 1
        session.events.append(event)
        frame = json.dumps({"op": DISPATCH, "t": event, "s": session.seq, "d": payload})
        session.sent.append((session.seq, frame))
        if session.conn is not None:
            session.conn.outbox.put_nowait(frame)

    def _filtered(self, session: Session, event: str, data: dict[str, Any]) -> Any:
        """The event as this session may see it (None: not sent), by its intents."""
        intents = session.intents
        bot_id = str(self.server.world.bot_user.id)
        if event in MESSAGE_EVENTS:
            in_guild = "guild_id" in data
            if not intents & (GUILD_MESSAGES if in_guild else DIRECT_MESSAGES):
                return None
            own = data.get("author", {}).get("id") == bot_id
            content = data.get("content") or ""
            mentioned = f"<@{bot_id}>" in content or f"<@!{bot_id}>" in content
            if in_guild and not own and not mentioned and not intents & MESSAGE_CONTENT:
                return {**data, "content": "", "embeds": [], "attachments": [], "components": []}
            return data
        if event == "GUILD_MEMBER_UPDATE" and data.get("user", {}).get("id") == bot_id:
            return data  # sent for the bot itself whatever the intents
        if event == "THREAD_MEMBERS_UPDATE" and not intents & GUILD_MEMBERS:
            added = [m for m in data.get("added_members", []) if m.get("user_id") == bot_id]
            removed = [u for u in data.get("removed_member_ids", []) if u == bot_id]
            if not (added or removed):
                return None
            return {**data, "added_members": added, "removed_member_ids": removed}
        if event == "GUILD_CREATE" and not intents & GUILD_PRESENCES:
            mine = [m for m in data.get("members", []) if m.get("user", {}).get("id") == bot_id]
            return {**data, "members": mine}
        flag = EVENT_INTENTS.get(event)
        return data if flag is None or intents & flag else None

    # --- faults ---------------------------------------------------------------------------
    def _targets(self, shard: int | None) -> list[Session]:
        return [s for s in self.active.values() if shard is None or s.shard[0] == shard]

    def send_op(self, op: int, data: Any, *, shard: int | None = None) -> None:
        for session in self._targets(shard):
            if session.conn is not None:
                session.conn.outbox.put_nowait(json.dumps({"op": op, "d": data}))
                session.conn.retiring = op in (RECONNECT, INVALID_SESSION)

    def reconnect(self, *, shard: int | None = None) -> None:
        """Op 7: the bot must close and RESUME on resume_gateway_url."""
        self.send_op(RECONNECT, None, shard=shard)

    def invalidate(self, resumable: bool = False, *, shard: int | None = None) -> None:
        """Op 9: with resumable=False the bot must IDENTIFY again (new session, new READY)."""
        if not resumable:
            for session in self._targets(shard):
                session.invalid = True
        self.send_op(INVALID_SESSION, resumable, shard=shard)

    async def drop(self, *, shard: int | None = None) -> None:
        """Cut the socket without a close frame; the bot reconnects and RESUMEs."""
        for session in self._targets(shard):
            if session.conn is not None:
                conn = session.conn
                session.conn = None
                conn.outbox.put_nowait(None)
                transport = conn.request.transport
                if transport is not None:
                    transport.abort()

    async def close_all(self) -> None:
        for conn in list(self.connections):
            conn.outbox.put_nowait(None)
            with contextlib.suppress(Exception):
                await conn.ws.close(code=WSCloseCode.GOING_AWAY)

    # --- the socket -----------------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        conn = Connection(ws, request)
        self.connections.append(conn)
        writer = asyncio.create_task(self._writer(conn), name="fake-discord-gateway-writer")
        hello = {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}
        conn.outbox.put_nowait(json.dumps({"op": HELLO, "d": hello}))
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                payload = json.loads(msg.data)
                conn.received.append(payload)
                await self._on_frame(conn, payload)
        finally:
            session = conn.session
            if session is not None and session.conn is conn:
                session.conn = None
                if ws.close_code in CLEAN_CLOSE_CODES and conn.close_code is None:
                    self._end(session)  # a clean close ends the session (no RESUME after)
            conn.outbox.put_nowait(None)
            await writer
            self.connections.remove(conn)
        return ws

    def _end(self, session: Session) -> None:
        session.invalid = True
        if self.active.get(session.shard) is session:
            del self.active[session.shard]

    async def _writer(self, conn: Connection) -> None:
        while True:
            frame = await conn.outbox.get()
            if frame is None or conn.ws.closed:
                return
            try:
                await conn.ws.send_str(frame)
            except (ConnectionError, RuntimeError):
                return

    async def _close(self, conn: Connection, code: int, reason: str) -> None:
        conn.close_code = code
        self.closed.append(code)
        conn.outbox.put_nowait(None)
        await conn.ws.close(code=code, message=reason.encode())

    async def _on_frame(self, conn: Connection, payload: dict[str, Any]) -> None:
        op, data = payload.get("op"), payload.get("d")
        self.log.append((OP_NAMES.get(op, str(op)), data))  # type: ignore[arg-type]
        if op == HEARTBEAT:
            conn.outbox.put_nowait(json.dumps({"op": HEARTBEAT_ACK}))
        elif op == IDENTIFY:
            await self._identify(conn, data)
        elif op == RESUME:
            await self._resume(conn, data)
        elif op == REQUEST_MEMBERS:
            self._chunk(conn, data)

    async def _identify(self, conn: Connection, data: dict[str, Any]) -> None:
        world = self.server.world
        if data.get("token") != world.token:
            await self._close(conn, AUTHENTICATION_FAILED, "Authentication failed.")
            return
        intents = data.get("intents")
        if not isinstance(intents, int) or intents < 0 or intents & ~KNOWN_INTENTS:
            await self._close(conn, INVALID_INTENTS, "Invalid intent(s).")
            return
        if intents & PRIVILEGED & ~world.privileged_intents:
            await self._close(conn, DISALLOWED_INTENTS, "Disallowed intent(s).")
            return
        raw_shard = data.get("shard", [0, 1])
        valid = (
            isinstance(raw_shard, list)
            and len(raw_shard) == 2
            and all(isinstance(n, int) for n in raw_shard)
            and 0 <= raw_shard[0] < raw_shard[1]
        )
        if not valid:
            await self._close(conn, INVALID_SHARD, "Invalid shard.")
            return
        shard = (raw_shard[0], raw_shard[1])
        guilds = [g for g in world.guilds.values() if shard_of(g.id, shard[1]) == shard[0]]
        if len(guilds) > self.max_guilds_per_shard:
            await self._close(conn, SHARDING_REQUIRED, "Sharding required.")
            return
        self.identifies += 1
        session = Session(secrets.token_hex(16), intents, shard)
        session.conn = conn
        conn.session = session
        self.sessions[session.id] = session
        previous = self.active.pop(shard, None)
        if previous is not None and previous.conn is None:
            previous.invalid = True  # a crashed process's session: replaced by this one
        self.active[shard] = session
        ready: dict[str, Any] = {
            "v": 10,
            "user": world.bot_user.payload(),
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": f"ws://127.0.0.1:{self.server.port}/gateway-resume",
            "application": {"id": str(world.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "user_settings": {},
        }
        if "shard" in data:
            ready["shard"] = list(shard)
        self.send(session, "READY", ready)
        for guild in guilds:
            self.send(session, "GUILD_CREATE", guild.payload(guild.members[world.bot_user.id]))

    async def _resume(self, conn: Connection, data: dict[str, Any]) -> None:
        session = self.sessions.get(data.get("session_id", ""))
        ok = session is not None and not session.invalid
        if session is None or not ok or data.get("token") != self.server.world.token:
            conn.outbox.put_nowait(json.dumps({"op": INVALID_SESSION, "d": False}))
            return
        self.resumes += 1
        old = session.conn
        session.conn = conn
        conn.session = session
        self.active.pop(session.shard, None)
        self.active[session.shard] = session  # most recent last
        if old is not None and old is not conn:
            old.outbox.put_nowait(None)
        last = int(data.get("seq") or 0)
        for seq, frame in session.sent:
            if seq > last:
                conn.outbox.put_nowait(frame)
        self.send(session, "RESUMED", {})

    def _chunk(self, conn: Connection, data: dict[str, Any]) -> None:
        session = conn.session
        guild = self.server.world.guilds.get(int(data["guild_id"]))
        if guild is None or session is None:
            return
        members = list(guild.members.values())
        if data.get("user_ids"):
            wanted = {int(u) for u in data["user_ids"]}
            members = [m for m in members if m.user.id in wanted]
        elif data.get("query"):
            q = data["query"].lower()
            members = [m for m in members if m.matches(q)]
        elif not session.intents & GUILD_MEMBERS:
            members = []  # the whole list needs GUILD_MEMBERS
        limit = int(data.get("limit") or 0)
        if limit:
            members = members[:limit]
        chunk = {
            "guild_id": str(guild.id),
            "members": [m.payload() for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
        }
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        self.send(session, "GUILD_MEMBERS_CHUNK", chunk)

"""The gateway websocket: HELLO, heartbeats, IDENTIFY → READY + GUILD_CREATE, RESUME with
replay, member chunks, intents filtering, and faults (RECONNECT, INVALID_SESSION, drop).

Frames are plain JSON text (discord.py accepts text even when it asked for zlib-stream).
Each connection has one writer task fed by a queue, so frames leave in dispatch order.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

if TYPE_CHECKING:
    from .server import DiscordServer

HEARTBEAT_INTERVAL_MS = 41250

GUILDS, GUILD_MEMBERS, GUILD_MESSAGES = 1 << 0, 1 << 1, 1 << 9
DIRECT_MESSAGES, MESSAGE_CONTENT, GUILD_SCHEDULED_EVENTS = 1 << 12, 1 << 15, 1 << 16

EVENT_INTENTS = {
    "GUILD_CREATE": GUILDS,
    "CHANNEL_CREATE": GUILDS,
    "CHANNEL_UPDATE": GUILDS,
    "CHANNEL_DELETE": GUILDS,
    "THREAD_CREATE": GUILDS,
    "THREAD_UPDATE": GUILDS,
    "THREAD_DELETE": GUILDS,
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


@dataclass(eq=False)
class Session:
    id: str
    intents: int
    seq: int = 0
    sent: list[tuple[int, str]] = field(default_factory=list)  # for RESUME replay
    conn: Connection | None = None
    invalid: bool = False


@dataclass(eq=False)
class Connection:
    ws: web.WebSocketResponse
    request: web.Request
    outbox: asyncio.Queue[str | None] = field(default_factory=asyncio.Queue)
    session: Session | None = None
    retiring: bool = False  # told to go away (op 7 / op 9): not live any more
    received: list[dict[str, Any]] = field(default_factory=list)


class Gateway:
    def __init__(self, server: DiscordServer) -> None:
        self.server = server
        self.sessions: dict[str, Session] = {}
        self.current: Session | None = None
        self.connections: list[Connection] = []
        self.log: list[tuple[str, Any]] = []  # (op name, data) the bot sent
        self.identifies = 0
        self.resumes = 0

    # --- state queried by the driver ------------------------------------------------------
    @property
    def live(self) -> bool:
        s = self.current
        return s is not None and s.conn is not None and not s.conn.retiring and not s.invalid

    # --- dispatch -------------------------------------------------------------------------
    def dispatch(self, event: str, data: dict[str, Any]) -> None:
        session = self.current
        if session is None or session.invalid or not self._wanted(session, event, data):
            return
        session.seq += 1
        frame = json.dumps({"op": 0, "t": event, "s": session.seq, "d": data})
        session.sent.append((session.seq, frame))
        if session.conn is not None:
            session.conn.outbox.put_nowait(frame)

    def _wanted(self, session: Session, event: str, data: dict[str, Any]) -> bool:
        if event in MESSAGE_EVENTS:
            flag = GUILD_MESSAGES if "guild_id" in data else DIRECT_MESSAGES
            if not session.intents & flag:
                return False
            author = data.get("author", {}).get("id")
            own = author == str(self.server.world.bot_user.id)
            if not own and "guild_id" in data and not session.intents & MESSAGE_CONTENT:
                data.update(content="", embeds=[], attachments=[], components=[])
            return True
        flag = EVENT_INTENTS.get(event)
        return flag is None or bool(session.intents & flag)

    # --- faults ---------------------------------------------------------------------------
    def send_op(self, op: int, data: Any) -> None:
        session = self.current
        if session is not None and session.conn is not None:
            session.conn.outbox.put_nowait(json.dumps({"op": op, "d": data}))
            session.conn.retiring = op in (7, 9)

    def reconnect(self) -> None:
        """Op 7: the bot must close and RESUME on resume_gateway_url."""
        self.send_op(7, None)

    def invalidate(self, resumable: bool = False) -> None:
        """Op 9: with resumable=False the bot must IDENTIFY again (new session, new READY)."""
        if self.current is not None and not resumable:
            self.current.invalid = True
        self.send_op(9, resumable)

    async def drop(self) -> None:
        """Cut the socket without a close frame; the bot reconnects and RESUMEs."""
        session = self.current
        if session is not None and session.conn is not None:
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
                await conn.ws.close(code=1001)

    # --- the socket -----------------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        conn = Connection(ws, request)
        self.connections.append(conn)
        writer = asyncio.create_task(self._writer(conn), name="fake-discord-gateway-writer")
        conn.outbox.put_nowait(
            json.dumps({"op": 10, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}})
        )
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                payload = json.loads(msg.data)
                conn.received.append(payload)
                await self._on_frame(conn, payload)
        finally:
            if conn.session is not None and conn.session.conn is conn:
                conn.session.conn = None
            conn.outbox.put_nowait(None)
            await writer
            self.connections.remove(conn)
        return ws

    async def _writer(self, conn: Connection) -> None:
        while True:
            frame = await conn.outbox.get()
            if frame is None or conn.ws.closed:
                return
            try:
                await conn.ws.send_str(frame)
            except (ConnectionError, RuntimeError):
                return

    async def _on_frame(self, conn: Connection, payload: dict[str, Any]) -> None:
        op, data = payload.get("op"), payload.get("d")
        names = {1: "HEARTBEAT", 2: "IDENTIFY", 3: "PRESENCE", 6: "RESUME", 8: "REQUEST_MEMBERS"}
        self.log.append((names.get(op, str(op)), data))
        if op == 1:
            conn.outbox.put_nowait(json.dumps({"op": 11}))
        elif op == 2:
            await self._identify(conn, data)
        elif op == 6:
            await self._resume(conn, data)
        elif op == 8:
            self._chunk(conn, data)

    async def _identify(self, conn: Connection, data: dict[str, Any]) -> None:
        world = self.server.world
        if data.get("token") != world.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        self.identifies += 1
        session = Session(secrets.token_hex(16), int(data.get("intents", 0)))
        session.conn = conn
        conn.session = session
        self.sessions[session.id] = session
        self.current = session
        self.dispatch(
            "READY",
            {
                "v": 10,
                "user": world.bot_user.payload(),
                "guilds": [{"id": str(g), "unavailable": True} for g in world.guilds],
                "session_id": session.id,
                "session_type": "normal",
                "resume_gateway_url": f"ws://127.0.0.1:{self.server.port}/gateway-resume",
                "application": {"id": str(world.application_id), "flags": 0},
                "private_channels": [],
                "relationships": [],
                "user_settings": {},
            },
        )
        for guild in world.guilds.values():
            payload = guild.payload(guild.members[world.bot_user.id])
            if not session.intents & GUILD_MEMBERS:
                payload["members"] = [guild.members[world.bot_user.id].payload()]
            self.dispatch("GUILD_CREATE", payload)

    async def _resume(self, conn: Connection, data: dict[str, Any]) -> None:
        session = self.sessions.get(data.get("session_id", ""))
        ok = session is not None and not session.invalid
        if session is None or not ok or data.get("token") != self.server.world.token:
            conn.outbox.put_nowait(json.dumps({"op": 9, "d": False}))
            return
        self.resumes += 1
        old = session.conn
        session.conn = conn
        conn.session = session
        self.current = session
        if old is not None and old is not conn:
            old.outbox.put_nowait(None)
        last = int(data.get("seq") or 0)
        for seq, frame in session.sent:
            if seq > last:
                conn.outbox.put_nowait(frame)
        self.dispatch("RESUMED", {})

    def _chunk(self, conn: Connection, data: dict[str, Any]) -> None:
        guild = self.server.world.guilds.get(int(data["guild_id"]))
        if guild is None:
            return
        members = list(guild.members.values())
        if data.get("user_ids"):
            wanted = {int(u) for u in data["user_ids"]}
            members = [m for m in members if m.user.id in wanted]
        elif data.get("query"):
            q = data["query"].lower()
            members = [m for m in members if m.user.username.lower().startswith(q)]
        chunk = {
            "guild_id": str(guild.id),
            "members": [m.payload() for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
        }
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        self.dispatch("GUILD_MEMBERS_CHUNK", chunk)

"""The control API of a loopback Discord running as its own process (`python -m discord_server`):
seed guilds, act as members, read what the bots sent. Plain JSON over HTTP under `/_control/`
(outside `/api/v10`: not recorded, not rate-limited, not validated).

Used through `process.ServerProcess` (tests/discord_server/process.py); see tests/README.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web
from discord import InteractionType

from .interactions import command_data, new_interaction
from .rest import message_event
from .seed import seed_from_spec

if TYPE_CHECKING:
    from .server import DiscordServer

CONTROL = "/_control"


def info(server: DiscordServer) -> dict[str, Any]:
    world = server.world
    return {
        "api_base": server.api_base,
        "gateway_url": server.gateway_url,
        "token": world.token,
        "application_id": str(world.application_id),
        "control": server.url + CONTROL,
    }


def setup_control_routes(app: web.Application, server: DiscordServer) -> None:
    world = server.world
    r = app.router

    def user_of(raw: Any) -> Any:
        user = world.users.get(int(raw))
        if user is None:
            raise web.HTTPNotFound(text=f"no user {raw}")
        return user

    async def get_info(request: web.Request) -> web.Response:
        return web.json_response(info(server))

    async def add_guild(request: web.Request) -> web.Response:
        spec = await request.json()
        seeded = seed_from_spec(world, spec)
        guild = world.guilds[int(seeded["id"])]
        server.gateway.dispatch("GUILD_CREATE", guild.payload(guild.members[world.bot_user.id]))
        return web.json_response(seeded)

    async def messages(request: web.Request) -> web.Response:
        channel = world.channels.get(int(request.match_info["channel_id"]))
        if channel is None:
            raise web.HTTPNotFound(text="no such channel")
        return web.json_response([m.payload() for m in channel.all_messages if not m.deleted])

    async def requests(request: web.Request) -> web.Response:
        since = int(request.query.get("since", 0))
        return web.json_response(
            [
                {
                    "method": rec.method,
                    "path": rec.path,
                    "route": rec.route,
                    "status": rec.status,
                    "bucket": rec.bucket,
                    "counted_global": rec.counted_global,
                    "json": rec.json,
                }
                for rec in server.requests[since:]
            ]
        )

    async def gateway(request: web.Request) -> web.Response:
        gw = server.gateway
        sessions = []
        for session in gw.sessions.values():
            guilds = sorted(
                {guild_id for seq_frame in session.sent for guild_id in _guild_ids(seq_frame[1])}
            )
            sessions.append(
                {
                    "id": session.id,
                    "shard": list(session.shard),
                    "intents": session.intents,
                    "live": session.live,
                    "active": gw.active.get(session.shard) is session,
                    "events": session.events,
                    "guilds": guilds,
                }
            )
        body = {"identifies": gw.identifies, "closed": gw.closed, "sessions": sessions}
        return web.json_response(body)

    async def ratelimits(request: web.Request) -> web.Response:
        limits = server.ratelimits
        hits = [
            {"route": h.route, "major": h.major, "bucket": h.bucket, "scope": h.scope}
            for h in limits.hits
        ]
        return web.json_response({"hits": hits, "invalid": len(limits.invalid)})

    async def slash(request: web.Request) -> web.Response:
        """{"user_id", "channel_id", "command": "ping", "options": {...}} → {"id"}."""
        body = await request.json()
        channel = world.channels[int(body["channel_id"])]
        user = user_of(body["user_id"])
        data = command_data(world, channel.guild_id, body["command"], body.get("options", {}))
        kind = InteractionType.application_command
        inter, payload = new_interaction(world, kind, user, channel, data)
        server.gateway.dispatch("INTERACTION_CREATE", payload)
        return web.json_response({"id": str(inter.id)})

    async def interaction(request: web.Request) -> web.Response:
        inter = world.interactions.get(int(request.match_info["interaction_id"]))
        if inter is None:
            raise web.HTTPNotFound(text="no such interaction")
        msg = inter.message
        return web.json_response(
            {
                "answered": inter.response_type is not None,
                "content": msg.content if msg is not None else None,
                "ephemeral": msg.ephemeral if msg is not None else None,
                "followups": [m.content for m in inter.followups],
            }
        )

    async def post(request: web.Request) -> web.Response:
        """A member writes: {"user_id", "channel_id", "content"}."""
        body = await request.json()
        channel = world.channels[int(body["channel_id"])]
        msg = world.new_message(channel, user_of(body["user_id"]), content=body["content"])
        server.gateway.dispatch("MESSAGE_CREATE", message_event(server, msg))
        return web.json_response({"id": str(msg.id)})

    r.add_get(CONTROL, get_info)
    r.add_post(CONTROL + "/guilds", add_guild)
    r.add_get(CONTROL + "/channels/{channel_id}/messages", messages)
    r.add_get(CONTROL + "/requests", requests)
    r.add_get(CONTROL + "/gateway", gateway)
    r.add_get(CONTROL + "/ratelimits", ratelimits)
    r.add_post(CONTROL + "/interactions", slash)
    r.add_get(CONTROL + "/interactions/{interaction_id}", interaction)
    r.add_post(CONTROL + "/messages", post)


def _guild_ids(frame: str) -> list[str]:
    """The guild a dispatched frame was about (READY lists several)."""
    import json

    data = json.loads(frame)
    event, payload = data.get("t"), data.get("d") or {}
    if event == "READY":
        return [g["id"] for g in payload.get("guilds", [])]
    if event in ("GUILD_CREATE", "GUILD_UPDATE"):
        return [payload["id"]]
    return [payload["guild_id"]] if payload.get("guild_id") else []

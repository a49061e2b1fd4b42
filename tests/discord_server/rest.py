"""REST routes: users, applications, gateway, channels, messages, DMs (threads, forums, guilds
and interactions have their own modules)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from aiohttp import web
from discord import ChannelType, MessageType

from . import permissions as P
from .server import (
    API,
    BODY_KEY,
    DiscordError,
    form_error,
    json_response,
    missing_access,
    missing_permissions,
    no_content,
)
from .world import EPHEMERAL, Attachment, Channel, Message

if TYPE_CHECKING:
    from .server import DiscordServer

NONCE_WINDOW = 300.0  # seconds Discord remembers an enforced nonce
NAME_LENGTH = 100  # a channel's or thread's name: 1-100 characters
TOPIC_LENGTH = 1024
FORUM_TOPIC_LENGTH = 4096


def body_of(request: web.Request) -> tuple[Any, dict[str, Attachment]]:
    return request[BODY_KEY]  # type: ignore[index,no-any-return]


def apply_message_body(
    server: DiscordServer, msg: Message, body: dict[str, Any], files: dict[str, Attachment]
) -> None:
    """Fill (or edit) a message from a create/edit payload, files included."""
    for key in ("content", "embeds", "components", "allowed_mentions"):
        if key in body:
            setattr(msg, key, body[key] if body[key] is not None else type(getattr(msg, key))())
    if "flags" in body and body["flags"] is not None:
        msg.flags = (msg.flags & EPHEMERAL) | int(body["flags"])
    if "attachments" in body or files:
        keep = {int(a["id"]) for a in body.get("attachments") or [] if str(a["id"]).isdigit()}
        kept = [a for a in msg.attachments if a.id in keep]
        new = []
        for spec in body.get("attachments") or []:
            upload = files.get(f"files[{spec['id']}]")
            if upload is None:
                continue
            upload.filename = spec.get("filename") or upload.filename
            upload.description = spec.get("description")
            new.append(upload)
        if not body.get("attachments"):
            new = list(files.values())
        for att in new:
            att.url = f"{server.url}/attachments/{msg.channel_id}/{att.id}/{att.filename}"
        msg.attachments = kept + new
    if body.get("message_reference"):
        msg.message_reference = body["message_reference"]
        msg.type = MessageType.reply


def message_event(server: DiscordServer, msg: Message) -> dict[str, Any]:
    data = msg.payload()
    if msg.guild_id is not None:
        member = server.world.member(msg.guild_id, msg.author)
        if member is not None:
            data["member"] = member.payload(with_user=False)
    return data


def get_channel(server: DiscordServer, channel_id: str) -> Channel:
    channel = server.world.channels.get(int(channel_id)) if channel_id.isdigit() else None
    if channel is None or channel.deleted:
        raise DiscordError(404, 10003, "Unknown Channel")
    return channel


def get_message(channel: Channel, message_id: str) -> Message:
    for msg in channel.messages:
        if str(msg.id) == message_id and not msg.deleted:
            return msg
    raise DiscordError(404, 10008, "Unknown Message")


def bot_perms(server: DiscordServer, channel: Channel) -> int:
    value = server.world.permissions_in(channel, server.world.bot_user)
    if channel.guild_id is not None and not P.has(value, P.VIEW_CHANNEL):
        raise missing_access()
    if channel.type is ChannelType.private_thread:
        in_thread = server.world.bot_user.id in channel.member_ids
        if not in_thread and not P.has(value, P.MANAGE_THREADS):
            raise missing_access()
    return value


def require(value: int, flag: int) -> None:
    if not P.has(value, flag):
        raise missing_permissions()


def check_length(field_name: str, text: Any, low: int, high: int) -> None:
    if not isinstance(text, str) or not low <= len(text) <= high:
        message = f"Must be between {low} and {high} in length."
        raise form_error(field_name, message, "BASE_TYPE_BAD_LENGTH")


def send_refusal(world: Any, channel: Channel, user: Any, value: int) -> DiscordError | None:
    """Why Discord refuses a message from `user` (permissions `value`) in `channel`, if it does:
    forum/media channels take posts only; a locked thread takes messages only from members with
    Manage Threads; an archived one is reopened by the message, unless locked."""
    if channel.is_forum:
        return DiscordError(400, 40058, "Cannot send a message in a forum channel")
    if channel.type in (ChannelType.voice, ChannelType.stage_voice, ChannelType.category):
        return DiscordError(400, 50008, "Cannot send messages in a non-text channel")
    if channel.is_thread and channel.locked and not P.has(value, P.MANAGE_THREADS):
        if channel.archived:
            return DiscordError(400, 50083, "Thread is archived")
        return DiscordError(403, 160005, "Thread is locked")
    return None


def check_can_send(server: DiscordServer, channel: Channel, files: dict[str, Attachment]) -> None:
    world = server.world
    if channel.type is ChannelType.private:
        assert channel.recipient is not None
        shares_a_guild = any(
            channel.recipient.id in g.members and world.bot_user.id in g.members
            for g in world.guilds.values()
        )
        if not channel.recipient.dms_open or not shares_a_guild:
            raise DiscordError(403, 50007, "Cannot send messages to this user")
        return
    value = bot_perms(server, channel)
    refusal = send_refusal(world, channel, world.bot_user, value)
    if refusal is not None:
        raise refusal
    require(value, P.SEND_MESSAGES_IN_THREADS if channel.is_thread else P.SEND_MESSAGES)
    if files:
        require(value, P.ATTACH_FILES)
    unarchive_on_message(server, channel)


def unarchive_on_message(server: DiscordServer, channel: Channel) -> None:
    """A message in an archived (unlocked) thread reopens it, as in Discord."""
    if channel.is_thread and channel.archived:
        channel.archived = False
        server.gateway.dispatch("THREAD_UPDATE", channel.payload())


def create_message(
    server: DiscordServer,
    channel: Channel,
    body: dict[str, Any],
    files: dict[str, Attachment],
    **fields: Any,
) -> Message:
    keys = ("content", "embeds", "components", "sticker_ids", "poll")
    if not files and not any(body.get(k) for k in keys):
        raise DiscordError(400, 50006, "Cannot send an empty message")
    msg = server.world.new_message(channel, server.world.bot_user, **fields)
    apply_message_body(server, msg, body, files)
    if not msg.ephemeral:
        server.gateway.dispatch("MESSAGE_CREATE", message_event(server, msg))
    return msg


def setup_routes(app: web.Application, server: DiscordServer) -> None:
    world = server.world
    r = app.router

    async def users_me(request: web.Request) -> web.Response:
        return json_response({**world.bot_user.payload(), "verified": True, "mfa_enabled": False})

    async def application_me(request: web.Request) -> web.Response:
        return json_response(
            {
                "id": str(world.application_id),
                "name": world.bot_user.username,
                "icon": None,
                "description": "Passerelle (test)",
                "bot_public": True,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "flags": 0,
                "owner": world.bot_user.payload() | {"bot": False},
                "team": None,
                "bot": world.bot_user.payload(),
            }
        )

    async def get_user(request: web.Request) -> web.Response:
        ref = request.match_info["user_id"]
        user = world.users.get(int(ref)) if ref.isdigit() else None
        if user is None:
            raise DiscordError(404, 10013, "Unknown User")
        return json_response(user.payload())

    async def gateway(request: web.Request) -> web.Response:
        return json_response({"url": server.gateway_url})

    async def gateway_bot(request: web.Request) -> web.Response:
        return json_response(server.gateway.bot_gateway())

    # --- channels -------------------------------------------------------------------------
    async def channel_get(request: web.Request) -> web.Response:
        channel = get_channel(server, request.match_info["channel_id"])
        bot_perms(server, channel)
        return json_response(channel.payload())

    async def channel_patch(request: web.Request) -> web.Response:
        from .rest_threads import edit_forum_fields, edit_thread

        channel = get_channel(server, request.match_info["channel_id"])
        body, _ = body_of(request)
        body = body or {}
        value = bot_perms(server, channel)
        if channel.is_thread:
            edit_thread(server, channel, body, value)
            server.gateway.dispatch("THREAD_UPDATE", channel.payload())
            return json_response(channel.payload())
        require(value, P.MANAGE_CHANNELS)
        if "permission_overwrites" in body:
            require(value, P.MANAGE_ROLES)
        if "name" in body:
            check_length("name", body["name"], 1, NAME_LENGTH)
        if body.get("topic") is not None:
            most = FORUM_TOPIC_LENGTH if channel.is_forum else TOPIC_LENGTH
            check_length("topic", body["topic"], 0, most)
        if channel.is_forum:
            edit_forum_fields(channel, body)
        for key in ("name", "topic", "position"):
            if key in body:
                setattr(channel, key, body[key])
        if body.get("flags") is not None:
            channel.flags = int(body["flags"])
        if "permission_overwrites" in body:
            channel.overwrites = body["permission_overwrites"] or []
        server.gateway.dispatch("CHANNEL_UPDATE", channel.payload())
        return json_response(channel.payload())

    async def channel_delete(request: web.Request) -> web.Response:
        channel = get_channel(server, request.match_info["channel_id"])
        value = bot_perms(server, channel)
        require(value, P.MANAGE_THREADS if channel.is_thread else P.MANAGE_CHANNELS)
        channel.deleted = True
        event = "THREAD_DELETE" if channel.is_thread else "CHANNEL_DELETE"
        server.gateway.dispatch(event, channel.payload())
        return json_response(channel.payload())

    # --- messages -------------------------------------------------------------------------
    async def message_post(request: web.Request) -> web.Response:
        channel = get_channel(server, request.match_info["channel_id"])
        body, files = body_of(request)
        body = body or {}
        check_can_send(server, channel, files)
        nonce = body.get("nonce")
        key = (channel.id, str(nonce))
        now = time.monotonic()
        if nonce is not None and body.get("enforce_nonce"):
            seen = world.nonces.get(key)
            if seen is not None and now - seen[0] < NONCE_WINDOW:
                return json_response(seen[1].payload())
        msg = create_message(
            server, channel, body, files, nonce=None if nonce is None else str(nonce)
        )
        if nonce is not None and body.get("enforce_nonce"):
            world.nonces[key] = (now, msg)
        return json_response(msg.payload())

    async def message_list(request: web.Request) -> web.Response:
        channel = get_channel(server, request.match_info["channel_id"])
        require(bot_perms(server, channel), P.READ_MESSAGE_HISTORY)
        limit = int(request.query.get("limit", 50))
        msgs = [m for m in channel.visible_messages() if not m.ephemeral]
        if "before" in request.query:
            msgs = [m for m in msgs if m.id < int(request.query["before"])]
        if "after" in request.query:
            msgs = [m for m in msgs if m.id > int(request.query["after"])][:limit]
        msgs = list(reversed(msgs))[:limit]  # newest first, as Discord answers
        return json_response([m.payload() for m in msgs])

    async def message_get(request: web.Request) -> web.Response:
        channel = get_channel(server, request.match_info["channel_id"])
        require(bot_perms(server, channel), P.READ_MESSAGE_HISTORY)
        msg = get_message(channel, request.match_info["message_id"])
        return json_response(msg.payload())

    async def message_patch(request: web.Request) -> web.Response:
        channel = get_channel(server, request.match_info["channel_id"])
        value = bot_perms(server, channel)
        msg = get_message(channel, request.match_info["message_id"])
        body, files = body_of(request)
        if msg.author is not world.bot_user and set(body or {}) - {"flags"}:
            raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
        if channel.is_thread and channel.archived:
            raise DiscordError(400, 50083, "Thread is archived")
        if channel.is_thread and channel.locked and not P.has(value, P.MANAGE_THREADS):
            raise DiscordError(403, 160005, "Thread is locked")
        apply_message_body(server, msg, body or {}, files)
        msg.edited_timestamp = msg.timestamp
        server.gateway.dispatch("MESSAGE_UPDATE", message_event(server, msg))
        return json_response(msg.payload())

    async def message_delete(request: web.Request) -> web.Response:
        channel = get_channel(server, request.match_info["channel_id"])
        value = bot_perms(server, channel)
        msg = get_message(channel, request.match_info["message_id"])
        if msg.author is not world.bot_user:
            require(value, P.MANAGE_MESSAGES)
        msg.deleted = True
        event = {"id": str(msg.id), "channel_id": str(channel.id)}
        if channel.guild_id:
            event["guild_id"] = str(channel.guild_id)
        server.gateway.dispatch("MESSAGE_DELETE", event)
        return no_content()

    # --- DMs ------------------------------------------------------------------------------
    async def dm_create(request: web.Request) -> web.Response:
        body, _ = body_of(request)
        ref = str((body or {}).get("recipient_id", ""))
        user = world.users.get(int(ref)) if ref.isdigit() else None
        if user is None:
            raise DiscordError(404, 10013, "Unknown User")
        channel = world.dm_channel_for(user)
        assert channel is not None
        return json_response(channel.payload())

    c = API + "/channels/{channel_id}"
    r.add_get(API + "/users/@me", users_me)
    r.add_get(API + "/users/{user_id}", get_user)
    r.add_get(API + "/oauth2/applications/@me", application_me)
    r.add_get(API + "/applications/@me", application_me)
    r.add_get(API + "/gateway", gateway)
    r.add_get(API + "/gateway/bot", gateway_bot)
    r.add_post(API + "/users/@me/channels", dm_create)
    r.add_get(c, channel_get)
    r.add_patch(c, channel_patch)
    r.add_delete(c, channel_delete)
    r.add_get(c + "/messages", message_list)
    r.add_post(c + "/messages", message_post)
    r.add_get(c + "/messages/{message_id}", message_get)
    r.add_patch(c + "/messages/{message_id}", message_patch)
    r.add_delete(c + "/messages/{message_id}", message_delete)

    from .rest_events import setup_event_routes
    from .rest_guilds import setup_guild_routes
    from .rest_interactions import setup_interaction_routes
    from .rest_threads import setup_thread_routes

    setup_thread_routes(app, server)
    setup_guild_routes(app, server)
    setup_event_routes(app, server)
    setup_interaction_routes(app, server)

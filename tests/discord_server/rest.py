"""REST routes: users, applications, channels, messages, threads, DMs, guilds, events."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from aiohttp import web

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
from .world import (
    DM,
    EPHEMERAL,
    FORUM,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    Attachment,
    Channel,
    Message,
)

if TYPE_CHECKING:
    from .server import DiscordServer

NONCE_WINDOW = 300.0  # seconds Discord remembers an enforced nonce


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
        msg.type = 19


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
    if channel.type == PRIVATE_THREAD:
        in_thread = server.world.bot_user.id in channel.member_ids
        if not in_thread and not P.has(value, P.MANAGE_THREADS):
            raise missing_access()
    return value


def require(value: int, flag: int) -> None:
    if not P.has(value, flag):
        raise missing_permissions()


def check_can_send(server: DiscordServer, channel: Channel, files: dict[str, Attachment]) -> None:
    if channel.type == DM:
        assert channel.recipient is not None
        if not channel.recipient.dms_open:
            raise DiscordError(403, 50007, "Cannot send messages to this user")
        return
    value = bot_perms(server, channel)
    if channel.type == FORUM:
        raise DiscordError(400, 50008, "Cannot send messages in a non-text channel")
    require(value, P.SEND_MESSAGES_IN_THREADS if channel.is_thread else P.SEND_MESSAGES)
    if files:
        require(value, P.ATTACH_FILES)
    if channel.is_thread and channel.archived:
        if channel.locked and not P.has(value, P.MANAGE_THREADS):
            raise DiscordError(400, 50083, "Thread is archived")
        channel.archived = False


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
        user = world.users.get(int(request.match_info["user_id"]))
        if user is None:
            raise DiscordError(404, 10013, "Unknown User")
        return json_response(user.payload())

    # --- channels -------------------------------------------------------------------------
    async def channel_get(request: web.Request) -> web.Response:
        channel = get_channel(server, request.match_info["channel_id"])
        bot_perms(server, channel)
        return json_response(channel.payload())

    async def channel_patch(request: web.Request) -> web.Response:
        channel = get_channel(server, request.match_info["channel_id"])
        body, _ = body_of(request)
        value = bot_perms(server, channel)
        if channel.is_thread:
            owner = channel.owner_id == world.bot_user.id
            touches_lock = "locked" in body or "invitable" in body
            if touches_lock or not owner:
                require(value, P.MANAGE_THREADS)
            for key in ("name", "archived", "locked", "invitable", "auto_archive_duration"):
                if key in body:
                    setattr(channel, key, body[key])
            if "applied_tags" in body:
                channel.applied_tags = [int(t) for t in body["applied_tags"]]
            server.gateway.dispatch("THREAD_UPDATE", channel.payload())
        else:
            require(value, P.MANAGE_CHANNELS)
            for key in ("name", "topic", "position"):
                if key in body:
                    setattr(channel, key, body[key])
            if "permission_overwrites" in body:
                channel.overwrites = body["permission_overwrites"]
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
        bot_perms(server, channel)
        msg = get_message(channel, request.match_info["message_id"])
        body, files = body_of(request)
        if msg.author is not world.bot_user and set(body or {}) - {"flags"}:
            raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
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

    # --- threads --------------------------------------------------------------------------
    def new_thread(parent: Channel, name: str, kind: int, body: dict[str, Any]) -> Channel:
        assert parent.guild_id is not None
        thread = world.add_channel(world.guilds[parent.guild_id], name, type=kind)
        thread.parent_id = parent.id
        thread.owner_id = world.bot_user.id
        thread.auto_archive_duration = body.get("auto_archive_duration") or 4320
        thread.invitable = body.get("invitable", True)
        thread.member_ids.add(world.bot_user.id)
        return thread

    def thread_created(thread: Channel) -> None:
        server.gateway.dispatch("THREAD_CREATE", {**thread.payload(), "newly_created": True})

    async def thread_from_message(request: web.Request) -> web.Response:
        parent = get_channel(server, request.match_info["channel_id"])
        msg = get_message(parent, request.match_info["message_id"])
        body, _ = body_of(request)
        require(bot_perms(server, parent), P.CREATE_PUBLIC_THREADS)
        if any(c.id == msg.id for c in parent.threads):
            raise DiscordError(400, 160004, "A thread has already been created for this message")
        thread = new_thread(parent, body["name"], PUBLIC_THREAD, body)
        world.channels.pop(thread.id)
        thread.id = msg.id  # Discord: a thread started from a message has the message's id
        world.channels[thread.id] = thread
        thread_created(thread)
        return json_response(thread.payload())

    async def thread_without_message(request: web.Request) -> web.Response:
        parent = get_channel(server, request.match_info["channel_id"])
        body, files = body_of(request)
        value = bot_perms(server, parent)
        if parent.type == FORUM:
            require(value, P.SEND_MESSAGES)
            thread = new_thread(parent, body["name"], PUBLIC_THREAD, body)
            thread.applied_tags = [int(t) for t in body.get("applied_tags") or []]
            first = body.get("message") or {}
            if not (first.get("content") or first.get("embeds") or files):
                raise DiscordError(400, 50006, "Cannot send an empty message")
            msg = world.new_message(thread, world.bot_user)
            apply_message_body(server, msg, first, files)
            world.channels.pop(thread.id)
            thread.id = msg.id  # a forum post's id is its first message's id
            msg.channel_id = thread.id
            world.channels[thread.id] = thread
            thread_created(thread)
            server.gateway.dispatch("MESSAGE_CREATE", message_event(server, msg))
            return json_response({**thread.payload(), "message": msg.payload()})
        kind = body.get("type") or PRIVATE_THREAD  # Discord's default for this route
        if kind not in (PUBLIC_THREAD, PRIVATE_THREAD):
            raise form_error("type", "Value must be one of {10, 11, 12}.")
        flag = P.CREATE_PRIVATE_THREADS if kind == PRIVATE_THREAD else P.CREATE_PUBLIC_THREADS
        require(value, flag)
        thread = new_thread(parent, body["name"], kind, body)
        thread_created(thread)
        return json_response(thread.payload())

    def thread_member_payload(thread: Channel, user_id: int) -> dict[str, Any]:
        return {
            "id": str(thread.id),
            "user_id": str(user_id),
            "join_timestamp": thread.messages[0].timestamp if thread.messages else "",
            "flags": 0,
        }

    def members_update(thread: Channel, added: list[int], removed: list[int]) -> None:
        server.gateway.dispatch(
            "THREAD_MEMBERS_UPDATE",
            {
                "id": str(thread.id),
                "guild_id": str(thread.guild_id),
                "member_count": len(thread.member_ids),
                "added_members": [thread_member_payload(thread, u) for u in added],
                "removed_member_ids": [str(u) for u in removed],
            },
        )

    async def thread_member_put(request: web.Request) -> web.Response:
        thread = get_channel(server, request.match_info["channel_id"])
        if not thread.is_thread:
            raise DiscordError(400, 50024, "Cannot execute action on this channel type")
        value = bot_perms(server, thread)
        user_ref = request.match_info["user_id"]
        user_id = world.bot_user.id if user_ref == "@me" else int(user_ref)
        if thread.archived:
            raise DiscordError(400, 50083, "Thread is archived")
        if user_id != world.bot_user.id:
            require(value, P.SEND_MESSAGES_IN_THREADS)
            if (
                world.users.get(user_id) is None
                or world.member(thread.guild_id, world.users[user_id]) is None
            ):
                raise DiscordError(404, 10013, "Unknown User")
        if user_id not in thread.member_ids:
            thread.member_ids.add(user_id)
            members_update(thread, [user_id], [])
        return no_content()

    async def thread_member_delete(request: web.Request) -> web.Response:
        thread = get_channel(server, request.match_info["channel_id"])
        value = bot_perms(server, thread)
        user_ref = request.match_info["user_id"]
        user_id = world.bot_user.id if user_ref == "@me" else int(user_ref)
        if user_id != world.bot_user.id:
            require(value, P.MANAGE_THREADS)
        if user_id in thread.member_ids:
            thread.member_ids.discard(user_id)
            members_update(thread, [], [user_id])
        return no_content()

    async def thread_member_get(request: web.Request) -> web.Response:
        thread = get_channel(server, request.match_info["channel_id"])
        bot_perms(server, thread)
        user_id = int(request.match_info["user_id"])
        if user_id not in thread.member_ids:
            raise DiscordError(404, 10033, "Unknown Thread Member")
        return json_response(thread_member_payload(thread, user_id))

    async def thread_members_list(request: web.Request) -> web.Response:
        thread = get_channel(server, request.match_info["channel_id"])
        bot_perms(server, thread)
        return json_response([thread_member_payload(thread, u) for u in sorted(thread.member_ids)])

    # --- DMs ------------------------------------------------------------------------------
    async def dm_create(request: web.Request) -> web.Response:
        body, _ = body_of(request)
        user = world.users.get(int(body["recipient_id"]))
        if user is None:
            raise DiscordError(404, 10013, "Unknown User")
        channel = world.dm_channel_for(user)
        assert channel is not None
        return json_response(channel.payload())

    # --- guilds ---------------------------------------------------------------------------
    def guild_of(request: web.Request) -> Any:
        guild = world.guilds.get(int(request.match_info["guild_id"]))
        if guild is None:
            raise DiscordError(404, 10004, "Unknown Guild")
        return guild

    async def guild_get(request: web.Request) -> web.Response:
        guild = guild_of(request)
        data = guild.payload(guild.members[world.bot_user.id])
        for key in ("members", "channels", "threads", "presences", "voice_states"):
            data.pop(key)
        return json_response(data)

    async def guild_roles(request: web.Request) -> web.Response:
        return json_response([r.payload() for r in guild_of(request).roles.values()])

    async def guild_role_member_counts(request: web.Request) -> web.Response:
        # Needs Manage Roles (discord.py's documentation); no members intent.
        guild = guild_of(request)
        require(P.base(guild, guild.members[world.bot_user.id]), P.MANAGE_ROLES)
        counts = {
            str(role.id): sum(role.id in m.role_ids for m in guild.members.values())
            for role in guild.roles.values()
            if role.id != guild.id  # @everyone is not counted
        }
        return json_response(counts)

    async def guild_member(request: web.Request) -> web.Response:
        member = guild_of(request).members.get(int(request.match_info["user_id"]))
        if member is None:
            raise DiscordError(404, 10007, "Unknown Member")
        return json_response(member.payload())

    async def guild_members(request: web.Request) -> web.Response:
        guild = guild_of(request)
        limit = int(request.query.get("limit", 1))
        after = int(request.query.get("after", 0))
        members = sorted(guild.members.values(), key=lambda m: m.user.id)
        return json_response([m.payload() for m in members if m.user.id > after][:limit])

    async def guild_channels(request: web.Request) -> web.Response:
        return json_response([c.payload() for c in guild_of(request).channels()])

    async def guild_active_threads(request: web.Request) -> web.Response:
        threads = guild_of(request).threads()
        members = [
            {**_tm(t), "user_id": str(world.bot_user.id)}
            for t in threads
            if world.bot_user.id in t.member_ids
        ]
        return json_response({"threads": [t.payload() for t in threads], "members": members})

    def _tm(thread: Channel) -> dict[str, Any]:
        return thread_member_payload(thread, world.bot_user.id)

    c = API + "/channels/{channel_id}"
    g = API + "/guilds/{guild_id}"
    r.add_get(API + "/users/@me", users_me)
    r.add_get(API + "/users/{user_id}", get_user)
    r.add_get(API + "/oauth2/applications/@me", application_me)
    r.add_get(API + "/applications/@me", application_me)
    r.add_post(API + "/users/@me/channels", dm_create)
    r.add_get(c, channel_get)
    r.add_patch(c, channel_patch)
    r.add_delete(c, channel_delete)
    r.add_get(c + "/messages", message_list)
    r.add_post(c + "/messages", message_post)
    r.add_get(c + "/messages/{message_id}", message_get)
    r.add_patch(c + "/messages/{message_id}", message_patch)
    r.add_delete(c + "/messages/{message_id}", message_delete)
    r.add_post(c + "/messages/{message_id}/threads", thread_from_message)
    r.add_post(c + "/threads", thread_without_message)
    r.add_get(c + "/thread-members", thread_members_list)
    r.add_put(c + "/thread-members/{user_id}", thread_member_put)
    r.add_delete(c + "/thread-members/{user_id}", thread_member_delete)
    r.add_get(c + "/thread-members/{user_id}", thread_member_get)
    r.add_get(g, guild_get)
    r.add_get(g + "/roles", guild_roles)
    r.add_get(g + "/roles/member-counts", guild_role_member_counts)
    r.add_get(g + "/channels", guild_channels)
    r.add_get(g + "/threads/active", guild_active_threads)
    r.add_get(g + "/members", guild_members)
    r.add_get(g + "/members/{user_id}", guild_member)

    from .rest_events import setup_event_routes
    from .rest_interactions import setup_interaction_routes

    setup_event_routes(app, server)
    setup_interaction_routes(app, server)

"""REST routes for threads, forum and media channels (posts, tags, archive, lock), thread members.

Discord's rules played here (tests/README.md lists them): a forum or media channel holds at most
20 tags (names ≤ 20 characters, unique, at most one of `emoji_id`/`emoji_name`); a post is a
public thread created with its first message (`name` 1-100, at most 5 `applied_tags`, each one
of the forum's, moderated ones only with Manage Threads, one required when the forum has the
REQUIRE_TAG flag); an archived thread is edited only by un-archiving it in the same request; a
locked one is un-archived only with Manage Threads.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web
from discord import ChannelType

from . import permissions as P
from .gateway import GUILD_MEMBERS
from .rest import (
    NAME_LENGTH,
    apply_message_body,
    body_of,
    bot_perms,
    check_length,
    get_channel,
    get_message,
    message_event,
    require,
)
from .server import API, DiscordError, json_response, missing_access, no_content
from .world import REQUIRE_TAG, Channel, ForumTag, iso_now, snowflake

if TYPE_CHECKING:
    from .server import DiscordServer

MAX_TAGS = 20  # available_tags of a forum or media channel
TAG_NAME_LENGTH = 20
MAX_APPLIED_TAGS = 5
ARCHIVE_DURATIONS = (60, 1440, 4320, 10080)  # minutes
DEFAULT_ARCHIVE_DURATION = 4320
THREAD_EDIT_KEYS = ("name", "archived", "locked", "invitable", "auto_archive_duration")


def form_errors(errors: dict[str, Any]) -> DiscordError:
    return DiscordError(400, 50035, "Invalid Form Body", errors)


def _error(code: str, message: str) -> dict[str, Any]:
    return {"_errors": [{"code": code, "message": message}]}


# --- forum tags -------------------------------------------------------------------------------
def edit_forum_fields(channel: Channel, body: dict[str, Any]) -> None:
    """Validate and apply `available_tags` (and friends) of a PATCH on a forum/media channel."""
    if body.get("available_tags") is None:
        return
    tags = body["available_tags"]
    if len(tags) > MAX_TAGS:
        message = f"Must be {MAX_TAGS} or fewer in length."
        raise form_errors({"available_tags": _error("BASE_TYPE_MAX_LENGTH", message)})
    errors: dict[str, Any] = {}
    for i, tag in enumerate(tags):
        name = tag.get("name")
        if not isinstance(name, str) or len(name) > TAG_NAME_LENGTH:
            message = f"Must be {TAG_NAME_LENGTH} or fewer in length."
            errors[str(i)] = {"name": _error("BASE_TYPE_MAX_LENGTH", message)}
        elif tag.get("emoji_id") and tag.get("emoji_name"):
            message = "Only one of emoji_id and emoji_name can be set."
            errors[str(i)] = {"emoji_id": _error("TAG_EMOJI_INVALID", message)}
    if errors:
        raise form_errors({"available_tags": errors})
    names = [t["name"] for t in tags]
    if len(set(names)) != len(names):
        raise DiscordError(400, 40061, "Tag names must be unique")
    known = {t.id: t for t in channel.available_tags}
    updated = []
    for tag in tags:
        raw_id = tag.get("id")
        old = known.get(int(raw_id)) if raw_id and str(raw_id).isdigit() else None
        emoji_id = tag.get("emoji_id")
        updated.append(
            ForumTag(
                old.id if old else snowflake(),
                tag["name"],
                bool(tag.get("moderated")),
                int(emoji_id) if emoji_id else None,
                tag.get("emoji_name"),
            )
        )
    channel.available_tags = updated


def check_applied_tags(forum: Channel, tags: list[Any], value: int, before: list[int]) -> list[int]:
    """The tag ids a post may carry: ≤ 5, each the forum's, moderated ones changed only with
    Manage Threads."""
    if len(tags) > MAX_APPLIED_TAGS:
        message = f"Must be {MAX_APPLIED_TAGS} or fewer in length."
        raise form_errors({"applied_tags": _error("BASE_TYPE_MAX_LENGTH", message)})
    known = {t.id: t for t in forum.available_tags}
    ids = []
    for i, raw in enumerate(tags):
        tag = known.get(int(raw)) if str(raw).isdigit() else None
        if tag is None:
            message = f"Value {raw!r} is not a tag of this channel."
            raise form_errors({"applied_tags": {str(i): _error("BASE_TYPE_CHOICES", message)}})
        ids.append(tag.id)
    changed = set(ids) ^ set(before)
    if any(known[t].moderated for t in changed if t in known):
        require(value, P.MANAGE_THREADS)
    return ids


# --- thread edits -----------------------------------------------------------------------------
def edit_thread(server: DiscordServer, thread: Channel, body: dict[str, Any], value: int) -> None:
    """PATCH /channels/{thread}: name, archived, locked, auto_archive_duration, applied_tags."""
    owner = thread.owner_id == server.world.bot_user.id
    reopening = body.get("archived") is False
    if thread.archived and not reopening:
        raise DiscordError(400, 50083, "Thread is archived")
    touches_lock = "locked" in body or "invitable" in body
    if touches_lock or not owner or (reopening and thread.locked):
        require(value, P.MANAGE_THREADS)
    if "name" in body:
        check_length("name", body["name"], 1, NAME_LENGTH)
    if "auto_archive_duration" in body and body["auto_archive_duration"] not in ARCHIVE_DURATIONS:
        message = f"Value must be one of {ARCHIVE_DURATIONS}."
        raise form_errors({"auto_archive_duration": _error("BASE_TYPE_CHOICES", message)})
    if "invitable" in body and thread.type is not ChannelType.private_thread:
        message = "Only private threads can be made invitable."
        raise form_errors({"invitable": _error("BASE_TYPE_INVALID", message)})
    if body.get("applied_tags") is not None:
        forum = thread.parent
        if forum is None or not forum.is_forum:
            raise DiscordError(400, 50024, "Cannot execute action on this channel type")
        thread.applied_tags = check_applied_tags(
            forum, body["applied_tags"], value, thread.applied_tags
        )
    was_archived = thread.archived
    for key in THREAD_EDIT_KEYS:
        if key in body and body[key] is not None:
            setattr(thread, key, body[key])
    if thread.archived != was_archived:
        thread.archive_timestamp = iso_now()


def setup_thread_routes(app: web.Application, server: DiscordServer) -> None:
    world = server.world
    r = app.router

    def new_thread(parent: Channel, name: Any, kind: ChannelType, body: dict[str, Any]) -> Channel:
        assert parent.guild_id is not None
        check_length("name", name, 1, NAME_LENGTH)
        duration = body.get("auto_archive_duration") or DEFAULT_ARCHIVE_DURATION
        if duration not in ARCHIVE_DURATIONS:
            message = f"Value must be one of {ARCHIVE_DURATIONS}."
            raise form_errors({"auto_archive_duration": _error("BASE_TYPE_CHOICES", message)})
        thread = world.add_channel(world.guilds[parent.guild_id], name, type=kind)
        thread.parent_id = parent.id
        thread.owner_id = world.bot_user.id
        thread.auto_archive_duration = duration
        thread.invitable = body.get("invitable", True)
        thread.member_ids.add(world.bot_user.id)
        return thread

    def rekey(thread: Channel, new_id: int) -> None:
        world.channels.pop(thread.id)
        thread.id = new_id
        world.channels[thread.id] = thread

    def thread_created(thread: Channel) -> None:
        server.gateway.dispatch("THREAD_CREATE", {**thread.payload(), "newly_created": True})

    async def thread_from_message(request: web.Request) -> web.Response:
        parent = get_channel(server, request.match_info["channel_id"])
        msg = get_message(parent, request.match_info["message_id"])
        body, _ = body_of(request)
        require(bot_perms(server, parent), P.CREATE_PUBLIC_THREADS)
        if any(c.id == msg.id for c in parent.threads):
            raise DiscordError(400, 160004, "A thread has already been created for this message")
        thread = new_thread(parent, body.get("name"), ChannelType.public_thread, body)
        rekey(thread, msg.id)  # Discord: a thread started from a message has the message's id
        thread_created(thread)
        return json_response(thread.payload())

    async def forum_post(parent: Channel, body: dict[str, Any], files: dict[str, Any]) -> Any:
        value = bot_perms(server, parent)
        require(value, P.SEND_MESSAGES)  # CREATE_PUBLIC_THREADS is ignored for posts
        first = body.get("message") or {}
        keys = ("content", "embeds", "components", "sticker_ids")
        if not (any(first.get(k) for k in keys) or files):
            raise DiscordError(400, 50006, "Cannot send an empty message")
        tags = check_applied_tags(parent, body.get("applied_tags") or [], value, [])
        if parent.flags & REQUIRE_TAG and not tags:
            raise DiscordError(
                400, 40067, "A tag is required to create a forum post in this channel"
            )
        thread = new_thread(parent, body.get("name"), ChannelType.public_thread, body)
        thread.applied_tags = tags
        msg = world.new_message(thread, world.bot_user)
        apply_message_body(server, msg, first, files)
        rekey(thread, msg.id)  # a forum post's id is its first message's id
        msg.channel_id = thread.id
        thread_created(thread)
        server.gateway.dispatch("MESSAGE_CREATE", message_event(server, msg))
        return json_response({**thread.payload(), "message": msg.payload()})

    async def thread_without_message(request: web.Request) -> web.Response:
        parent = get_channel(server, request.match_info["channel_id"])
        body, files = body_of(request)
        body = body or {}
        if parent.is_forum:
            return await forum_post(parent, body, files)  # type: ignore[no-any-return]
        value = bot_perms(server, parent)
        if "message" in body or "applied_tags" in body:
            raise DiscordError(400, 50024, "Cannot execute action on this channel type")
        kind = body.get("type") or ChannelType.private_thread.value  # Discord's default here
        allowed = (ChannelType.news_thread, ChannelType.public_thread, ChannelType.private_thread)
        if kind not in [t.value for t in allowed]:
            message = f"Value must be one of {[t.value for t in allowed]}."
            raise form_errors({"type": _error("BASE_TYPE_CHOICES", message)})
        thread_type = ChannelType(kind)
        private = thread_type is ChannelType.private_thread
        require(value, P.CREATE_PRIVATE_THREADS if private else P.CREATE_PUBLIC_THREADS)
        thread = new_thread(parent, body.get("name"), thread_type, body)
        thread_created(thread)
        return json_response(thread.payload())

    def archived_threads(channel: Channel, *, private: bool, before: str | None) -> list[Channel]:
        kinds = (
            (ChannelType.private_thread,)
            if private
            else (ChannelType.public_thread, ChannelType.news_thread)
        )
        found = [t for t in channel.threads if t.archived and t.type in kinds]
        if before:
            limit_at = datetime.fromisoformat(before)
            found = [t for t in found if datetime.fromisoformat(t.archive_timestamp) < limit_at]
        return sorted(found, key=lambda t: t.archive_timestamp, reverse=True)

    async def list_archived(request: web.Request, *, private: bool) -> web.Response:
        channel = get_channel(server, request.match_info["channel_id"])
        value = bot_perms(server, channel)
        require(value, P.READ_MESSAGE_HISTORY)
        if private:
            require(value, P.MANAGE_THREADS)
        found = archived_threads(channel, private=private, before=request.query.get("before"))
        limit = int(request.query.get("limit") or 50)
        page = found[:limit]
        members = [
            thread_member_payload(t, world.bot_user.id)
            for t in page
            if world.bot_user.id in t.member_ids
        ]
        return json_response(
            {
                "threads": [t.payload() for t in page],
                "members": members,
                "has_more": len(found) > limit,
            }
        )

    async def archived_public(request: web.Request) -> web.Response:
        return await list_archived(request, private=False)

    async def archived_private(request: web.Request) -> web.Response:
        return await list_archived(request, private=True)

    # --- thread members -------------------------------------------------------------------
    def thread_member_payload(thread: Channel, user_id: int) -> dict[str, Any]:
        return {
            "id": str(thread.id),
            "user_id": str(user_id),
            "join_timestamp": thread.create_timestamp,
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

    def user_ref(request: web.Request) -> int:
        ref = request.match_info["user_id"]
        return world.bot_user.id if ref == "@me" else int(ref)

    async def thread_member_put(request: web.Request) -> web.Response:
        thread = get_channel(server, request.match_info["channel_id"])
        if not thread.is_thread:
            raise DiscordError(400, 50024, "Cannot execute action on this channel type")
        value = bot_perms(server, thread)
        user_id = user_ref(request)
        if thread.archived:
            raise DiscordError(400, 50083, "Thread is archived")
        if user_id != world.bot_user.id:
            require(value, P.SEND_MESSAGES_IN_THREADS)
            user = world.users.get(user_id)
            if user is None or world.member(thread.guild_id, user) is None:
                raise DiscordError(404, 10013, "Unknown User")
        if user_id not in thread.member_ids:
            thread.member_ids.add(user_id)
            members_update(thread, [user_id], [])
        return no_content()

    async def thread_member_delete(request: web.Request) -> web.Response:
        thread = get_channel(server, request.match_info["channel_id"])
        value = bot_perms(server, thread)
        user_id = user_ref(request)
        if thread.archived:
            raise DiscordError(400, 50083, "Thread is archived")
        if user_id != world.bot_user.id:
            require(value, P.MANAGE_THREADS)
        if user_id in thread.member_ids:
            thread.member_ids.discard(user_id)
            members_update(thread, [], [user_id])
        return no_content()

    async def thread_member_get(request: web.Request) -> web.Response:
        thread = get_channel(server, request.match_info["channel_id"])
        bot_perms(server, thread)
        user_id = user_ref(request)
        if user_id not in thread.member_ids:
            raise DiscordError(404, 10033, "Unknown Thread Member")
        return json_response(thread_member_payload(thread, user_id))

    async def thread_members_list(request: web.Request) -> web.Response:
        thread = get_channel(server, request.match_info["channel_id"])
        bot_perms(server, thread)
        if not world.privileged_intents & GUILD_MEMBERS:  # restricted by the privileged intent
            raise missing_access()
        return json_response([thread_member_payload(thread, u) for u in sorted(thread.member_ids)])

    c = API + "/channels/{channel_id}"
    r.add_post(c + "/messages/{message_id}/threads", thread_from_message)
    r.add_post(c + "/threads", thread_without_message)
    r.add_get(c + "/threads/archived/public", archived_public)
    r.add_get(c + "/threads/archived/private", archived_private)
    r.add_get(c + "/thread-members", thread_members_list)
    r.add_put(c + "/thread-members/{user_id}", thread_member_put)
    r.add_delete(c + "/thread-members/{user_id}", thread_member_delete)
    r.add_get(c + "/thread-members/{user_id}", thread_member_get)

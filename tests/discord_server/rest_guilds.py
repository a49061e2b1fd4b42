"""REST routes for guilds: the guild, roles, channels, active threads, members.

Members as Discord serves them to a bot without the privileged GUILD_MEMBERS intent: one member
by id (`GET /guilds/{g}/members/{u}`, 404 10007 once they left) and the prefix search
(`/members/search`) work; listing every member (`GET /guilds/{g}/members`) needs the intent
enabled for the application (403 50001 otherwise).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import permissions as P
from .gateway import GUILD_MEMBERS
from .rest import body_of, require
from .server import API, DiscordError, form_error, json_response, missing_access, no_content
from .world import Guild, Member

if TYPE_CHECKING:
    from .server import DiscordServer

SEARCH_LIMIT = 1000  # /members/search: limit 1-1000
LIST_LIMIT = 1000  # /members: limit 1-1000
NICK_LENGTH = 32


def member_event(guild: Guild, member: Member) -> dict[str, Any]:
    """GUILD_MEMBER_ADD / GUILD_MEMBER_UPDATE data."""
    return member.payload() | {"guild_id": str(guild.id)}


def setup_guild_routes(app: web.Application, server: DiscordServer) -> None:
    world = server.world
    r = app.router

    def guild_of(request: web.Request) -> Guild:
        raw = request.match_info["guild_id"]
        guild = world.guilds.get(int(raw)) if raw.isdigit() else None
        if guild is None:
            raise DiscordError(404, 10004, "Unknown Guild")
        return guild

    def member_of(guild: Guild, request: web.Request) -> Member:
        raw = request.match_info["user_id"]
        member = guild.members.get(int(raw)) if raw.isdigit() else None
        if member is None:
            raise DiscordError(404, 10007, "Unknown Member")
        return member

    def bot_base(guild: Guild) -> int:
        return P.base(guild, guild.members[world.bot_user.id])

    def top_position(guild: Guild, member: Member) -> int:
        positions = [guild.roles[r].position for r in member.role_ids if r in guild.roles]
        return max(positions, default=0)

    def check_role_hierarchy(guild: Guild, role_ids: set[int]) -> None:
        """The bot assigns only roles below its own highest role (Discord's hierarchy)."""
        bot_member = guild.members[world.bot_user.id]
        if guild.owner_id == world.bot_user.id:
            return
        mine = top_position(guild, bot_member)
        for role_id in role_ids:
            role = guild.roles.get(role_id)
            if role is None:
                raise form_error("roles", f"Unknown role {role_id}", "UNKNOWN_ROLE")
            if role.position >= mine:
                raise DiscordError(403, 50013, "Missing Permissions")

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

    async def guild_channels(request: web.Request) -> web.Response:
        return json_response([c.payload() for c in guild_of(request).channels()])

    async def guild_active_threads(request: web.Request) -> web.Response:
        """Active (unarchived) threads, forum posts included."""
        threads = guild_of(request).threads()
        members = [
            {
                "id": str(t.id),
                "user_id": str(world.bot_user.id),
                "join_timestamp": t.create_timestamp,
                "flags": 0,
            }
            for t in threads
            if world.bot_user.id in t.member_ids
        ]
        return json_response({"threads": [t.payload() for t in threads], "members": members})

    # --- members ----------------------------------------------------------------------------
    async def guild_member(request: web.Request) -> web.Response:
        return json_response(member_of(guild_of(request), request).payload())

    async def guild_members(request: web.Request) -> web.Response:
        guild = guild_of(request)
        if not world.privileged_intents & GUILD_MEMBERS:
            raise missing_access()  # List Guild Members requires the privileged intent
        limit = min(int(request.query.get("limit", 1)), LIST_LIMIT)
        after = int(request.query.get("after", 0))
        members = sorted(guild.members.values(), key=lambda m: m.user.id)
        return json_response([m.payload() for m in members if m.user.id > after][:limit])

    async def guild_members_search(request: web.Request) -> web.Response:
        guild = guild_of(request)
        query = request.query.get("query")
        if query is None:
            raise form_error("query", "This field is required", "BASE_TYPE_REQUIRED")
        limit = min(int(request.query.get("limit", 1)), SEARCH_LIMIT)
        found = [m for m in guild.members.values() if m.matches(query)]
        return json_response([m.payload() for m in found[:limit]])

    def member_updated(guild: Guild, member: Member) -> None:
        server.gateway.dispatch("GUILD_MEMBER_UPDATE", member_event(guild, member))

    async def member_patch(request: web.Request) -> web.Response:
        guild = guild_of(request)
        member = member_of(guild, request)
        body, _ = body_of(request)
        body = body or {}
        value = bot_base(guild)
        if "roles" in body:
            require(value, P.MANAGE_ROLES)
            wanted = {int(r) for r in body["roles"] or []}
            check_role_hierarchy(guild, wanted ^ set(member.role_ids))
            member.role_ids = sorted(wanted)
        if "nick" in body:
            require(value, P.MANAGE_NICKNAMES)
            nick = body["nick"] or None
            if nick is not None and len(nick) > NICK_LENGTH:
                raise form_error("nick", f"Must be {NICK_LENGTH} or fewer in length.")
            member.nick = nick
        member_updated(guild, member)
        return json_response(member.payload())

    async def member_role(request: web.Request, *, add: bool) -> web.Response:
        guild = guild_of(request)
        member = member_of(guild, request)
        require(bot_base(guild), P.MANAGE_ROLES)
        role_id = int(request.match_info["role_id"])
        if role_id not in guild.roles:
            raise DiscordError(404, 10011, "Unknown Role")
        check_role_hierarchy(guild, {role_id})
        if add and role_id not in member.role_ids:
            member.role_ids.append(role_id)
        elif not add and role_id in member.role_ids:
            member.role_ids.remove(role_id)
        member_updated(guild, member)
        return no_content()

    async def member_role_put(request: web.Request) -> web.Response:
        return await member_role(request, add=True)

    async def member_role_delete(request: web.Request) -> web.Response:
        return await member_role(request, add=False)

    g = API + "/guilds/{guild_id}"
    r.add_get(g, guild_get)
    r.add_get(g + "/roles", guild_roles)
    r.add_get(g + "/roles/member-counts", guild_role_member_counts)
    r.add_get(g + "/channels", guild_channels)
    r.add_get(g + "/threads/active", guild_active_threads)
    r.add_get(g + "/members", guild_members)
    r.add_get(g + "/members/search", guild_members_search)
    r.add_get(g + "/members/{user_id}", guild_member)
    r.add_patch(g + "/members/{user_id}", member_patch)
    r.add_put(g + "/members/{user_id}/roles/{role_id}", member_role_put)
    r.add_delete(g + "/members/{user_id}/roles/{role_id}", member_role_delete)

"""REST routes for guild scheduled events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web
from discord import EntityType

from . import permissions as P
from .events import ScheduledEvent
from .rest import body_of, require
from .server import API, DiscordError, form_error, json_response, missing_permissions, no_content
from .world import snowflake

if TYPE_CHECKING:
    from .server import DiscordServer


def setup_event_routes(app: web.Application, server: DiscordServer) -> None:
    world = server.world
    r = app.router

    def guild_of(request: web.Request) -> Any:
        guild = world.guilds.get(int(request.match_info["guild_id"]))
        if guild is None:
            raise DiscordError(404, 10004, "Unknown Guild")
        return guild

    # --- scheduled events -----------------------------------------------------------------
    def event_perms(guild: Any, creating: bool) -> None:
        member = guild.members[world.bot_user.id]
        value = P.base(guild, member)
        if creating:
            if not (P.has(value, P.CREATE_EVENTS) or P.has(value, P.MANAGE_EVENTS)):
                raise missing_permissions()
        else:
            require(value, P.MANAGE_EVENTS)

    def event_of(guild: Any, request: web.Request) -> ScheduledEvent:
        event = guild.events.get(int(request.match_info["event_id"]))
        if event is None or event.deleted:
            raise DiscordError(404, 10070, "Unknown Guild Scheduled Event")
        return event

    def apply_event(event: ScheduledEvent, body: dict[str, Any]) -> None:
        for key in ("name", "description", "scheduled_start_time", "scheduled_end_time"):
            if key in body:
                setattr(event, key, body[key])
        for key in ("entity_type", "privacy_level", "status"):
            if key in body:
                setattr(event, key, body[key])
        if "channel_id" in body:
            event.channel_id = int(body["channel_id"]) if body["channel_id"] else None
        if "entity_metadata" in body:
            event.location = (body["entity_metadata"] or {}).get("location")
        if event.entity_type is EntityType.external and not (
            event.location and event.scheduled_end_time
        ):
            raise form_error("entity_metadata", "External events need a location and an end time")

    async def events_post(request: web.Request) -> web.Response:
        guild = guild_of(request)
        event_perms(guild, creating=True)
        body, _ = body_of(request)
        event = ScheduledEvent(
            snowflake(), guild.id, world.bot_user, body["name"], body["scheduled_start_time"]
        )
        apply_event(event, body)
        guild.events[event.id] = event
        server.gateway.dispatch("GUILD_SCHEDULED_EVENT_CREATE", event.payload())
        return json_response(event.payload())

    async def events_list(request: web.Request) -> web.Response:
        guild = guild_of(request)
        return json_response([e.payload() for e in guild.events.values() if not e.deleted])

    async def event_get(request: web.Request) -> web.Response:
        guild = guild_of(request)
        return json_response(event_of(guild, request).payload())

    async def event_patch(request: web.Request) -> web.Response:
        guild = guild_of(request)
        event = event_of(guild, request)
        event_perms(guild, creating=False)
        body, _ = body_of(request)
        apply_event(event, body)
        server.gateway.dispatch("GUILD_SCHEDULED_EVENT_UPDATE", event.payload())
        return json_response(event.payload())

    async def event_delete(request: web.Request) -> web.Response:
        guild = guild_of(request)
        event = event_of(guild, request)
        event_perms(guild, creating=False)
        event.deleted = True
        server.gateway.dispatch("GUILD_SCHEDULED_EVENT_DELETE", event.payload())
        return no_content()

    g = API + "/guilds/{guild_id}"
    r.add_get(g + "/scheduled-events", events_list)
    r.add_post(g + "/scheduled-events", events_post)
    r.add_get(g + "/scheduled-events/{event_id}", event_get)
    r.add_patch(g + "/scheduled-events/{event_id}", event_patch)
    r.add_delete(g + "/scheduled-events/{event_id}", event_delete)

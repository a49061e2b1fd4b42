"""REST routes for application commands, interaction callbacks and interaction webhooks."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from aiohttp import web
from discord import (
    AppCommandType,
    InteractionResponseType,
    InteractionType,
    MessageFlags,
    MessageType,
)
from discord.enums import try_enum

from .rest import apply_message_body, body_of, message_event
from .server import API, DiscordError, json_response, no_content
from .world import EPHEMERAL, Interaction, Message, snowflake

if TYPE_CHECKING:
    from .server import DiscordServer

LOADING = MessageFlags(loading=True).value

# callback types
MESSAGE = InteractionResponseType.channel_message
DEFERRED_MESSAGE = InteractionResponseType.deferred_channel_message
DEFERRED_UPDATE = InteractionResponseType.deferred_message_update
UPDATE = InteractionResponseType.message_update
AUTOCOMPLETE = InteractionResponseType.autocomplete_result
MODAL = InteractionResponseType.modal
# what each kind of interaction may be answered with
ALLOWED_CALLBACKS = {
    InteractionType.application_command: (MESSAGE, DEFERRED_MESSAGE, MODAL),
    InteractionType.component: (MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE, MODAL),
    InteractionType.autocomplete: (AUTOCOMPLETE,),
    InteractionType.modal_submit: (MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE),
}


def setup_interaction_routes(app: web.Application, server: DiscordServer) -> None:
    world = server.world
    r = app.router

    # --- application commands -------------------------------------------------------------
    def stored(cmd: dict[str, Any], guild_id: int | None, old: list[dict[str, Any]]) -> dict:
        kind = cmd.get("type", AppCommandType.chat_input.value)
        previous = next((o for o in old if o["name"] == cmd["name"] and o["type"] == kind), None)
        out = {
            "id": previous["id"] if previous else str(snowflake()),
            "application_id": str(world.application_id),
            "version": str(snowflake()),
            "type": kind,
            "name": cmd["name"],
            "description": cmd.get("description", ""),
            "options": cmd.get("options") or [],
            "name_localizations": cmd.get("name_localizations"),
            "description_localizations": cmd.get("description_localizations"),
            "default_member_permissions": cmd.get("default_member_permissions"),
            "nsfw": cmd.get("nsfw", False),
            "integration_types": cmd.get("integration_types", [0]),
            "contexts": cmd.get("contexts"),
        }
        if guild_id is not None:
            out["guild_id"] = str(guild_id)
        else:
            out["dm_permission"] = cmd.get("dm_permission", True)
        return out

    def check_app(request: web.Request) -> None:
        if request.match_info["application_id"] != str(world.application_id):
            raise DiscordError(403, 50001, "Missing Access")

    def guild_id_of(request: web.Request) -> int | None:
        raw = request.match_info.get("guild_id")
        if raw is None:
            return None
        if int(raw) not in world.guilds:
            raise DiscordError(403, 50001, "Missing Access")
        return int(raw)

    def current(guild_id: int | None) -> list[dict[str, Any]]:
        if guild_id is None:
            return world.global_commands
        return world.guild_commands.setdefault(guild_id, [])

    async def commands_put(request: web.Request) -> web.Response:
        check_app(request)
        guild_id = guild_id_of(request)
        body, _ = body_of(request)
        old = current(guild_id)
        new = [stored(cmd, guild_id, old) for cmd in body]
        if guild_id is None:
            world.global_commands = new
        else:
            world.guild_commands[guild_id] = new
        world.command_syncs.append((guild_id, body))
        return json_response(new)

    async def commands_get(request: web.Request) -> web.Response:
        check_app(request)
        return json_response(current(guild_id_of(request)))

    async def command_post(request: web.Request) -> web.Response:
        check_app(request)
        guild_id = guild_id_of(request)
        body, _ = body_of(request)
        cmds = current(guild_id)
        cmd = stored(body, guild_id, cmds)
        cmds[:] = [c for c in cmds if c["id"] != cmd["id"]] + [cmd]
        return json_response(cmd, 201)

    # --- interactions ---------------------------------------------------------------------
    def interaction_of(request: web.Request) -> Interaction:
        inter = world.interactions_by_token.get(request.match_info["token"])
        if inter is None or str(inter.id) != request.match_info.get(
            "interaction_id", str(inter.id)
        ):
            raise DiscordError(404, 10062, "Unknown interaction")
        return inter

    def new_response_message(inter: Interaction, flags: int) -> Message:
        channel = world.channels[inter.channel_id]
        msg = world.new_message(
            channel,
            world.bot_user,
            webhook_id=world.application_id,
            interaction_id=inter.id,
            interaction_user=inter.user,
            interaction_type=inter.type,
            type=(
                MessageType.chat_input_command
                if inter.type is InteractionType.application_command
                else MessageType.default
            ),
            flags=flags,
        )
        return msg

    async def callback(request: web.Request) -> web.Response:
        inter = interaction_of(request)
        body, files = body_of(request)
        if inter.response_type is not None:
            raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
        deadline = world.interaction_deadline
        late = time.monotonic() - inter.created_at - (deadline or 0.0)
        if deadline is not None and late > 0:
            inter.late_by = late  # the member saw « This interaction failed »
            raise DiscordError(404, 10062, "Unknown interaction")
        kind = try_enum(InteractionResponseType, body["type"])
        data = body.get("data") or {}
        if kind not in ALLOWED_CALLBACKS[inter.type]:
            message = f"Invalid Form Body (callback {kind} for {inter.type.name})"
            raise DiscordError(400, 50035, message)
        msg: Message | None = None
        if kind is MESSAGE:
            msg = new_response_message(inter, int(data.get("flags") or 0) & ~LOADING)
            apply_message_body(server, msg, data, files)
        elif kind is DEFERRED_MESSAGE:
            msg = new_response_message(inter, (int(data.get("flags") or 0) & EPHEMERAL) | LOADING)
            msg.loading = True
        elif kind in (UPDATE, DEFERRED_UPDATE):
            msg = inter.source_message
            if msg is None:
                raise DiscordError(400, 40060, "No message to update")
            if kind is UPDATE:
                apply_message_body(server, msg, data, files)
                msg.edited_timestamp = msg.timestamp
        elif kind is AUTOCOMPLETE:
            inter.choices = data.get("choices") or []
        elif kind is MODAL:
            inter.modal = data
        inter.response_type = kind
        inter.answered_at = time.monotonic()
        if msg is not None and kind in (UPDATE, DEFERRED_UPDATE):
            inter.message = inter.message or msg
        elif msg is not None:
            inter.message = msg
        if msg is not None and not msg.ephemeral and kind in (MESSAGE, DEFERRED_MESSAGE, UPDATE):
            event = "MESSAGE_UPDATE" if kind is UPDATE else "MESSAGE_CREATE"
            server.gateway.dispatch(event, message_event(server, msg))
        info: dict[str, Any] = {"id": str(inter.id), "type": inter.type.value}
        answer: dict[str, Any] = {"interaction": info}
        if msg is not None:
            info["response_message_id"] = str(msg.id)
            info["response_message_loading"] = msg.loading
            info["response_message_ephemeral"] = msg.ephemeral
            if kind is not DEFERRED_UPDATE:
                answer["resource"] = {"type": kind.value, "message": msg.payload()}
        return json_response(answer)

    # --- interaction webhooks (followups, @original) ----------------------------------------
    def webhook_interaction(request: web.Request) -> Interaction:
        if request.match_info["webhook_id"] != str(world.application_id):
            raise DiscordError(404, 10015, "Unknown Webhook")
        return interaction_of(request)

    def target(inter: Interaction, message_ref: str) -> Message:
        if message_ref == "@original":
            if inter.message is None or inter.message.deleted:
                raise DiscordError(404, 10008, "Unknown Message")
            return inter.message
        for msg in [*([inter.message] if inter.message else []), *inter.followups]:
            if str(msg.id) == message_ref and not msg.deleted:
                return msg
        raise DiscordError(404, 10008, "Unknown Message")

    async def followup_post(request: web.Request) -> web.Response:
        inter = webhook_interaction(request)
        body, files = body_of(request)
        body = body or {}
        if inter.response_type is None:
            raise DiscordError(404, 10015, "Unknown Webhook")  # what Discord answers
        original = inter.message
        if original is not None and original.loading and not original.deleted:
            # the first followup after a deferred reply fills the "thinking" message
            msg = original
            msg.loading = False
            msg.flags &= ~LOADING
            apply_message_body(server, msg, {k: v for k, v in body.items() if k != "flags"}, files)
            event = "MESSAGE_UPDATE"
        else:
            msg = new_response_message(inter, int(body.get("flags") or 0))
            apply_message_body(server, msg, body, files)
            inter.followups.append(msg)
            event = "MESSAGE_CREATE"
        if not msg.ephemeral:
            server.gateway.dispatch(event, message_event(server, msg))
        if request.query.get("wait") in ("true", "1", "True"):
            return json_response(msg.payload())
        return no_content()

    async def webhook_message_get(request: web.Request) -> web.Response:
        inter = webhook_interaction(request)
        return json_response(target(inter, request.match_info["message_id"]).payload())

    async def webhook_message_patch(request: web.Request) -> web.Response:
        inter = webhook_interaction(request)
        msg = target(inter, request.match_info["message_id"])
        body, files = body_of(request)
        if msg.loading:
            msg.loading = False
            msg.flags &= ~LOADING
        else:
            msg.edited_timestamp = msg.timestamp
        apply_message_body(
            server, msg, {k: v for k, v in (body or {}).items() if k != "flags"}, files
        )
        if not msg.ephemeral:
            server.gateway.dispatch("MESSAGE_UPDATE", message_event(server, msg))
        return json_response(msg.payload())

    async def webhook_message_delete(request: web.Request) -> web.Response:
        inter = webhook_interaction(request)
        msg = target(inter, request.match_info["message_id"])
        msg.deleted = True
        if not msg.ephemeral:
            event = {"id": str(msg.id), "channel_id": str(msg.channel_id)}
            if msg.guild_id:
                event["guild_id"] = str(msg.guild_id)
            server.gateway.dispatch("MESSAGE_DELETE", event)
        return no_content()

    a = API + "/applications/{application_id}"
    r.add_put(a + "/commands", commands_put)
    r.add_get(a + "/commands", commands_get)
    r.add_post(a + "/commands", command_post)
    r.add_put(a + "/guilds/{guild_id}/commands", commands_put)
    r.add_get(a + "/guilds/{guild_id}/commands", commands_get)
    r.add_post(a + "/guilds/{guild_id}/commands", command_post)
    r.add_post(API + "/interactions/{interaction_id}/{token}/callback", callback)
    w = API + "/webhooks/{webhook_id}/{token}"
    r.add_post(w, followup_post)
    r.add_get(w + "/messages/{message_id}", webhook_message_get)
    r.add_patch(w + "/messages/{message_id}", webhook_message_patch)
    r.add_delete(w + "/messages/{message_id}", webhook_message_delete)

"""Building INTERACTION_CREATE payloads the way Discord's client and gateway would."""

from __future__ import annotations

import secrets
from typing import Any

from discord import AppCommandOptionType as Option
from discord import AppCommandType, ComponentType, InteractionType

from . import permissions as P
from .world import Attachment, Channel, Interaction, Message, Role, User, World, snowflake

ATTACHMENT_LIMIT = 10 * 1024 * 1024
# Discord's interaction context types (discord.py has no enum for them)
GUILD_CONTEXT, BOT_DM_CONTEXT = 0, 1
CHAT_INPUT = AppCommandType.chat_input.value
SUBCOMMANDS = (Option.subcommand.value, Option.subcommand_group.value)
USER_OPTIONS = (Option.user.value, Option.mentionable.value)
ROLE_OPTIONS = (Option.role.value, Option.mentionable.value)
SELECTS = (
    ComponentType.select,
    ComponentType.user_select,
    ComponentType.role_select,
    ComponentType.mentionable_select,
    ComponentType.channel_select,
)


def find_command(world: World, guild_id: int | None, name: str) -> dict[str, Any]:
    scopes = list(world.global_commands)
    if guild_id is not None:
        scopes = [*world.guild_commands.get(guild_id, []), *scopes]
    for cmd in scopes:
        if cmd["name"] == name and cmd.get("type", CHAT_INPUT) == CHAT_INPUT:
            return cmd
    known = sorted({c["name"] for c in scopes})
    raise LookupError(f"no slash command /{name} synced here; synced: {known}")


def _leaf(cmd: dict[str, Any], path: list[str]) -> tuple[list[dict[str, Any]], Any]:
    """Walk subcommand groups; returns (options of the leaf, builder for nested options)."""
    options = cmd.get("options") or []
    chain: list[dict[str, Any]] = []
    for part in path:
        sub = next((o for o in options if o["name"] == part and o["type"] in SUBCOMMANDS), None)
        if sub is None:
            names = [o["name"] for o in options if o["type"] in SUBCOMMANDS]
            raise LookupError(f"/{cmd['name']}: no subcommand {part!r} (has {names})")
        chain.append(sub)
        options = sub.get("options") or []
    if any(o["type"] in SUBCOMMANDS for o in options):
        raise LookupError(f"/{cmd['name']} {' '.join(path)} needs a subcommand")

    def wrap(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for sub in reversed(chain):
            values = [{"name": sub["name"], "type": sub["type"], "options": values}]
        return values

    return options, wrap


def command_data(
    world: World,
    guild_id: int | None,
    path: str,
    options: dict[str, Any],
    *,
    focused: str | None = None,
) -> dict[str, Any]:
    name, *subpath = path.split()
    cmd = find_command(world, guild_id, name)
    defs, wrap = _leaf(cmd, subpath)
    by_name = {o["name"]: o for o in defs}
    resolved: dict[str, dict[str, Any]] = {}
    values = []
    for key, value in options.items():
        opt = by_name.get(key)
        if opt is None:
            raise TypeError(f"/{path}: no option {key!r} (options: {list(by_name)})")
        entry = {"name": key, "type": opt["type"]}
        if key == focused:
            entry.update(value=str(value), focused=True)
        else:
            entry["value"] = _option_value(
                world, guild_id, path, opt=opt, value=value, resolved=resolved
            )
        values.append(entry)
    if focused is None:
        missing = [o["name"] for o in defs if o.get("required") and o["name"] not in options]
        if missing:
            raise TypeError(f"/{path}: required options missing: {missing}")
    data: dict[str, Any] = {
        "id": cmd["id"],
        "name": name,
        "type": CHAT_INPUT,
        "options": wrap(values),
    }
    if "guild_id" in cmd:
        data["guild_id"] = cmd["guild_id"]
    if resolved:
        data["resolved"] = resolved
    return data


def _option_value(
    world: World,
    guild_id: int | None,
    path: str,
    *,
    opt: dict[str, Any],
    value: Any,
    resolved: dict[str, dict[str, Any]],
) -> Any:
    kind = Option(opt["type"])
    if opt.get("choices"):
        for choice in opt["choices"]:
            if value in (choice["value"], choice["name"]):
                return choice["value"]
        raise ValueError(f"/{path} {opt['name']}: {value!r} is not one of its choices")
    if kind is Option.string:
        text = str(value)
        if not opt.get("min_length", 0) <= len(text) <= opt.get("max_length", 6000):
            raise ValueError(f"/{path} {opt['name']}: length out of bounds (Discord refuses)")
        return text
    if kind is Option.integer:
        return int(value)
    if kind is Option.number:
        return float(value)
    if kind is Option.boolean:
        return bool(value)
    if kind.value in USER_OPTIONS and isinstance(value, User):
        resolved.setdefault("users", {})[str(value.id)] = value.payload()
        member = world.member(guild_id, value)
        if member is not None:
            m = member.payload(with_user=False)
            resolved.setdefault("members", {})[str(value.id)] = m
        return str(value.id)
    if kind.value in ROLE_OPTIONS and isinstance(value, Role):
        resolved.setdefault("roles", {})[str(value.id)] = value.payload()
        return str(value.id)
    if kind is Option.channel and isinstance(value, Channel):
        data = value.payload()
        data["permissions"] = str(P.ALL)
        resolved.setdefault("channels", {})[str(value.id)] = data
        return str(value.id)
    if kind is Option.attachment:
        filename, content = value if isinstance(value, tuple) else (value.filename, value.data)
        att = Attachment(snowflake(), filename, bytes(content))
        att.url = f"{world.base_url}/attachments/0/{att.id}/{filename}"
        world.uploads[att.id] = att
        resolved.setdefault("attachments", {})[str(att.id)] = att.payload()
        return str(att.id)
    raise TypeError(f"/{path} {opt['name']}: cannot send {value!r} for option type {kind.name}")


def new_interaction(
    world: World,
    kind: InteractionType,
    user: User,
    channel: Channel,
    data: dict[str, Any],
    *,
    message: Message | None = None,
) -> tuple[Interaction, dict[str, Any]]:
    inter = Interaction(
        snowflake(),
        "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(48),
        kind,
        user,
        channel.guild_id,
        channel.id,
        data,
        source_message=message,
    )
    world.interactions[inter.id] = inter
    world.interactions_by_token[inter.token] = inter
    bot_perms = world.permissions_in(channel, world.bot_user)
    payload: dict[str, Any] = {
        "id": str(inter.id),
        "application_id": str(world.application_id),
        "type": kind.value,
        "data": data,
        "token": inter.token,
        "version": 1,
        "attachment_size_limit": ATTACHMENT_LIMIT,
        "channel_id": str(channel.id),
        "channel": channel.payload(),
        "locale": user.locale,
        "app_permissions": str(bot_perms),
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(channel.guild_id or 0)},
        "context": GUILD_CONTEXT if channel.guild_id else BOT_DM_CONTEXT,
    }
    if channel.guild_id is not None:
        guild = world.guilds[channel.guild_id]
        member = guild.members.get(user.id)
        if member is None:
            raise LookupError(
                f"{user.username} is not a member of {guild.name}: Discord sends no interaction"
            )
        payload["guild_id"] = str(guild.id)
        payload["guild_locale"] = guild.preferred_locale
        payload["guild"] = {"id": str(guild.id), "locale": guild.preferred_locale, "features": []}
        payload["member"] = member.payload() | {
            "permissions": str(world.permissions_in(channel, user))
        }
    else:
        payload["user"] = user.payload()
    if message is not None:
        payload["message"] = message.payload()
    return inter, payload


def modal_submission(modal: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """The data of a MODAL_SUBMIT for `modal`, filled with `values` keyed by custom_id or label."""
    remaining = dict(values)

    def pick(comp: dict[str, Any], label: str | None) -> Any:
        for key in (comp.get("custom_id"), label, comp.get("label")):
            if key is not None and key in remaining:
                return remaining.pop(key)
        return None

    def submit(comp: dict[str, Any], label: str | None) -> dict[str, Any]:
        value = pick(comp, label)
        out: dict[str, Any] = {"type": comp["type"], "custom_id": comp["custom_id"]}
        if "id" in comp:
            out["id"] = comp["id"]
        if comp["type"] == ComponentType.text_input.value:
            text = "" if value is None else str(value)
            if comp.get("required", True) and not text:
                raise ValueError(f"modal field {label or comp['custom_id']!r} is required")
            low, high = comp.get("min_length", 0), comp.get("max_length", 4000)
            if text and not low <= len(text) <= high:
                raise ValueError(f"modal field {comp['custom_id']!r}: length not in {low}..{high}")
            out["value"] = text
        else:
            out["values"] = list(value or [])
        return out

    row_type, label_type = ComponentType.action_row.value, ComponentType.label.value
    text_type = ComponentType.text_display.value
    components = []
    for comp in modal.get("components", []):
        if comp["type"] == row_type:
            row = [submit(c, c.get("label")) for c in comp.get("components", [])]
            components.append({"type": row_type, "components": row})
        elif comp["type"] == label_type:
            inner = submit(comp["component"], comp.get("label"))
            components.append({"type": label_type, "id": comp.get("id", 0), "component": inner})
        elif comp["type"] == text_type:
            components.append(
                {"type": text_type, "id": comp.get("id", 0), "content": comp["content"]}
            )
    if remaining:
        raise KeyError(f"modal has no field(s) {list(remaining)}")
    return {"custom_id": modal["custom_id"], "components": components}


def find_component(
    message: Message, wanted: str, types: tuple[ComponentType, ...]
) -> dict[str, Any]:
    from .world import iter_components

    values = [t.value for t in types]
    candidates = [c for c in iter_components(message.components) if c.get("type") in values]
    for comp in candidates:
        if wanted in (comp.get("custom_id"), comp.get("label"), comp.get("placeholder")):
            return comp
    shown = [c.get("label") or c.get("placeholder") or c.get("custom_id") for c in candidates]
    raise LookupError(f"no component {wanted!r} on message {message.id}; it has {shown}")

"""Every request the bot sends is checked against Discord's OpenAPI description, plus limits
the description does not express (command names, embed sizes, allowed_mentions …).

The 1.2 MB spec is read once per process (module cache). Bodies and query parameters are
validated with jsonschema (`openapi_schema_validator.OAS31Validator`) against the operation's
schemas resolved in the spec: ~0.1 ms a request, where openapi-core's full request validation
costs far more per request and per load.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import regex
from discord import (
    AppCommandOptionType,
    AppCommandType,
    ComponentType,
    InteractionResponseType,
    MessageFlags,
)
from openapi_schema_validator import OAS31Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .world import iter_components

CHANNEL_MESSAGE = InteractionResponseType.channel_message.value
MESSAGE_UPDATE = InteractionResponseType.message_update.value
AUTOCOMPLETE_RESULT = InteractionResponseType.autocomplete_result.value
MODAL = InteractionResponseType.modal.value
CHAT_INPUT = AppCommandType.chat_input.value
SUBCOMMAND = AppCommandOptionType.subcommand.value
SUBCOMMAND_GROUP = AppCommandOptionType.subcommand_group.value
COMPONENTS_V2 = MessageFlags(components_v2=True).value

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SPEC_URI = "urn:discord-openapi"


def spec_path() -> Path:
    env = os.environ.get("DISCORD_OPENAPI_SPEC")
    if env:
        return Path(env)
    return PROJECT_ROOT.parent / "shared" / "discord-api-spec" / "openapi.json"


# Query parameters Discord accepts that its description omits, sent by discord.py itself.
UNDOCUMENTED_QUERY = {("/channels/{channel_id}/threads", "use_nested_fields")}


class SpecMissingError(RuntimeError):
    pass


@dataclass(frozen=True)
class Operation:
    template: str
    method: str
    pattern: re.Pattern[str]
    spec: dict[str, Any]
    query: dict[str, dict[str, Any]]


class Spec:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        # Discord reads a snowflake sent as a JSON integer as well as a string (discord.py sends
        # integers, e.g. recipient_id and attachments[].id); the description only says string.
        schemas = document["components"]["schemas"]
        snowflake_schema = schemas["SnowflakeType"]
        schemas["SnowflakeType"] = {"anyOf": [snowflake_schema, {"type": "integer", "minimum": 0}]}
        # GUILD_MEDIA (16) is in Discord's documentation (which wins) but not in this enum.
        channel_types = schemas["ChannelTypes"].get("oneOf", [])
        if channel_types and not any(c.get("const") == 16 for c in channel_types):
            channel_types.append({"title": "GUILD_MEDIA", "const": 16})
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(SPEC_URI, resource)
        self.operations: list[Operation] = []
        for template, item in document["paths"].items():
            shared = item.get("parameters", [])
            regex_src = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
            pattern = re.compile(f"^{regex_src}$")
            for method, op in item.items():
                if method == "parameters":
                    continue
                params = shared + op.get("parameters", [])
                query = {p["name"]: p for p in params if p.get("in") == "query"}
                self.operations.append(Operation(template, method.upper(), pattern, op, query))
        # literal segments win over parameters (`@original` before `{message_id}`)
        self.operations.sort(key=lambda o: o.template.count("{"))

    def find(self, method: str, path: str) -> Operation | None:
        for op in self.operations:
            if op.method == method and op.pattern.match(path):
                return op
        return None

    @cache  # noqa: B019 - one Spec per process
    def validator(self, pointer: str) -> OAS31Validator:
        return OAS31Validator({"$ref": f"{SPEC_URI}#{pointer}"}, registry=self.registry)

    def body_pointer(self, op: Operation, media: str) -> str | None:
        content = op.spec.get("requestBody", {}).get("content", {})
        if media not in content:
            return None
        path = "/".join(
            p.replace("~", "~0").replace("/", "~1") for p in (op.template, op.method.lower())
        )
        media_esc = media.replace("~", "~0").replace("/", "~1")
        return f"/paths/{path}/requestBody/content/{media_esc}/schema"


_CACHE: dict[str, Any] = {}  # "spec": Spec, "warned": True


def load_spec() -> Spec | None:
    """The spec, loaded once. None (with one warning) when absent outside CI."""
    if "spec" in _CACHE:
        return _CACHE["spec"]  # type: ignore[no-any-return]
    path = spec_path()
    if not path.is_file():
        if os.environ.get("CI"):
            raise SpecMissingError(f"Discord OpenAPI spec not found at {path} (CI is set)")
        if "warned" not in _CACHE:
            warnings.warn(f"Discord OpenAPI spec not found at {path}: not validating", stacklevel=2)
            _CACHE["warned"] = True
        return None
    _CACHE["spec"] = Spec(json.loads(path.read_text(encoding="utf-8")))
    return _CACHE["spec"]  # type: ignore[no-any-return]


def _coerce_query(value: str, schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    if kind == "boolean":
        lowered = value.lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
    if kind == "integer":
        try:
            return int(value)
        except ValueError:
            return value
    return value


def validate_request(
    method: str,
    *,
    path: str,
    query: dict[str, str],
    content_type: str | None,
    body: Any,
    file_fields: list[str],
) -> list[str]:
    """Violations of the OpenAPI description and of Discord's extra rules (empty when fine)."""
    spec = load_spec()
    problems: list[str] = []
    if spec is not None:
        problems += _validate_openapi(
            spec,
            method,
            path=path,
            query=query,
            content_type=content_type,
            body=body,
            file_fields=file_fields,
        )
    if isinstance(body, dict | list):
        try:
            problems += extra_rules(method, path, body)
        except (TypeError, AttributeError, ValueError, KeyError) as exc:
            problems.append(f"{method} {path}: malformed body ({exc!r})")
    return problems


def _validate_openapi(
    spec: Spec,
    method: str,
    *,
    path: str,
    query: dict[str, str],
    content_type: str | None,
    body: Any,
    file_fields: list[str],
) -> list[str]:
    op = spec.find(method, path)
    if op is None:
        return [f"{method} {path}: no such operation in Discord's OpenAPI description"]
    problems = []
    for name, value in query.items():
        param = op.query.get(name)
        if param is None and (op.template, name) in UNDOCUMENTED_QUERY:
            continue
        if param is None:
            problems.append(f"query parameter {name!r} is not defined for {op.template}")
            continue
        schema = param.get("schema", {})
        resolved = schema
        if "$ref" in schema:
            resolved = spec.registry.resolver().lookup(f"{SPEC_URI}{schema['$ref']}").contents
        coerced = _coerce_query(value, resolved)
        validator = OAS31Validator(schema, registry=spec.registry)
        if "$ref" in schema:
            validator = OAS31Validator(
                {"$ref": f"{SPEC_URI}{schema['$ref']}"}, registry=spec.registry
            )
        for err in validator.iter_errors(coerced):
            problems.append(f"query {name}={value!r}: {err.message}")
    request_body = op.spec.get("requestBody")
    if body is None:
        if request_body and request_body.get("required"):
            problems.append(f"{method} {op.template}: request body is required")
        return problems
    media = "multipart/form-data" if file_fields else "application/json"
    if content_type and content_type.startswith("multipart/"):
        media = "multipart/form-data"
    pointer = spec.body_pointer(op, media) or spec.body_pointer(op, "application/json")
    if pointer is None:
        return [*problems, f"{method} {op.template}: takes no request body ({media})"]
    instance = body
    if media == "multipart/form-data" and isinstance(body, dict):
        instance = {**body, **{f: "<file>" for f in file_fields}}
    for err in spec.validator(pointer).iter_errors(instance):
        where = "/".join(str(p) for p in err.absolute_path) or "<body>"
        detail = err.message if len(err.message) < 200 else err.message[:200] + "…"
        if err.context:
            best = _deepest(err)
            detail += f" (likely {'/'.join(map(str, best.absolute_path))}: {best.message[:200]})"
        problems.append(f"{method} {op.template} body {where}: {detail}")
    return problems


def _deepest(err: Any) -> Any:
    """The most specific sub-error of an anyOf/oneOf failure (deepest path, then branching)."""
    best = err
    stack = list(err.context or [])
    while stack:
        e = stack.pop()
        if (len(e.absolute_path), bool(e.context)) > (len(best.absolute_path), bool(best.context)):
            best = e
        stack.extend(e.context or [])
    return best


# --- rules the description does not carry -------------------------------------------------
CHAT_NAME = regex.compile(r"^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$")
MESSAGE_ROUTES = (
    re.compile(r"^POST /channels/\d+/messages$"),
    re.compile(r"^PATCH /channels/\d+/messages/\d+$"),
    re.compile(r"^POST /webhooks/\d+/[^/]+$"),
    re.compile(r"^PATCH /webhooks/\d+/[^/]+/messages/[^/]+$"),
)


def extra_rules(method: str, path: str, body: Any) -> list[str]:
    key = f"{method} {path}"
    if re.match(r"^PUT /applications/\d+(/guilds/\d+)?/commands$", key):
        return command_rules(body)
    if re.match(r"^POST /applications/\d+(/guilds/\d+)?/commands$", key):
        return command_rules([body])
    if not isinstance(body, dict):
        return []
    if key.startswith("POST /interactions/"):
        data = body.get("data") or {}
        kind = body.get("type")
        if kind in (CHANNEL_MESSAGE, MESSAGE_UPDATE):
            return message_rules(data, require_mentions=kind == CHANNEL_MESSAGE)
        if kind == AUTOCOMPLETE_RESULT:
            return _limit("autocomplete choices", data.get("choices", []), 25)
        if kind == MODAL:
            return modal_rules(data)
        return []
    if re.match(r"^POST /channels/\d+/threads$", key) and "message" in body:
        return message_rules(body["message"], require_mentions=True)
    if any(p.match(key) for p in MESSAGE_ROUTES):
        creates = method == "POST"
        return message_rules(body, require_mentions=creates or "content" in body)
    return []


def _limit(what: str, items: list[Any] | None, most: int) -> list[str]:
    if items and len(items) > most:
        return [f"{what}: {len(items)} > {most}"]
    return []


def _length(what: str, text: Any, low: int, high: int) -> list[str]:
    if text is None:
        return []
    if not isinstance(text, str) or not low <= len(text) <= high:
        size = len(text) if isinstance(text, str) else type(text).__name__
        return [f"{what}: length {size} not in {low}..{high}"]
    return []


def command_rules(commands: list[dict[str, Any]]) -> list[str]:
    problems = _limit("commands", commands, 100)
    seen = set()
    for cmd in commands:
        kind = cmd.get("type", CHAT_INPUT)
        name = cmd.get("name", "")
        if (kind, name) in seen:
            problems.append(f"command {name!r}: duplicate name")
        seen.add((kind, name))
        problems += _named(f"command {name!r}", cmd, chat=kind == CHAT_INPUT)
        problems += _options(f"/{name}", cmd.get("options") or [], depth=0)
    return problems


def _named(where: str, obj: dict[str, Any], *, chat: bool) -> list[str]:
    problems = []
    names = {"": obj.get("name", ""), **(obj.get("name_localizations") or {})}
    for locale, name in names.items():
        tag = f"{where} name{'[' + locale + ']' if locale else ''} {name!r}"
        if chat and (not CHAT_NAME.match(name) or name != name.lower()):
            problems.append(f"{tag}: must match ^[-_\\p{{L}}\\p{{N}}…]{{1,32}}$ in lowercase")
        elif not chat:
            problems += _length(tag, name, 1, 32)
    if chat:
        descs = {"": obj.get("description"), **(obj.get("description_localizations") or {})}
        for locale, desc in descs.items():
            problems += _length(f"{where} description{locale and '[' + locale + ']'}", desc, 1, 100)
    return problems


def _options(where: str, options: list[dict[str, Any]], depth: int) -> list[str]:
    problems = _limit(f"{where} options", options, 25)
    required_seen_optional = False
    for opt in options:
        label = f"{where} {opt.get('name')}"
        problems += _named(f"option {label!r}", opt, chat=True)
        choices = opt.get("choices") or []
        problems += _limit(f"{label} choices", choices, 25)
        for choice in choices:
            problems += _length(f"{label} choice name", choice.get("name"), 1, 100)
            for loc, text in (choice.get("name_localizations") or {}).items():
                problems += _length(f"{label} choice name[{loc}]", text, 1, 100)
        if opt.get("type") in (SUBCOMMAND, SUBCOMMAND_GROUP):
            if depth >= 2 or (opt.get("type") == SUBCOMMAND_GROUP and depth >= 1):
                problems.append(f"{label}: subcommands nested too deep")
            problems += _options(label, opt.get("options") or [], depth + 1)
        elif opt.get("required"):
            if required_seen_optional:
                problems.append(f"{label}: required option after an optional one")
        else:
            required_seen_optional = True
    return problems


EMBED_LIMITS = {"title": 256, "description": 4096}


def message_rules(body: dict[str, Any], *, require_mentions: bool) -> list[str]:
    problems = []
    if require_mentions and "allowed_mentions" not in body:
        problems.append("message without allowed_mentions (the bot must always send them)")
    problems += _length("content", body.get("content"), 0, 2000)
    embeds = body.get("embeds") or []
    problems += _limit("embeds", embeds, 10)
    total = 0
    for i, embed in enumerate(embeds):
        for key, most in EMBED_LIMITS.items():
            problems += _length(f"embed[{i}].{key}", embed.get(key), 0, most)
            total += len(embed.get(key) or "")
        fields = embed.get("fields") or []
        problems += _limit(f"embed[{i}].fields", fields, 25)
        for j, f in enumerate(fields):
            problems += _length(f"embed[{i}].fields[{j}].name", f.get("name"), 1, 256)
            problems += _length(f"embed[{i}].fields[{j}].value", f.get("value"), 1, 1024)
            total += len(f.get("name") or "") + len(f.get("value") or "")
        footer = (embed.get("footer") or {}).get("text")
        author = (embed.get("author") or {}).get("name")
        problems += _length(f"embed[{i}].footer.text", footer, 0, 2048)
        problems += _length(f"embed[{i}].author.name", author, 0, 256)
        total += len(footer or "") + len(author or "")
    if total > 6000:
        problems.append(f"embeds: total size {total} > 6000")
    v2 = bool(body.get("flags", 0) & COMPONENTS_V2)
    problems += component_rules(body.get("components") or [], v2=v2)
    return problems


def component_rules(components: list[dict[str, Any]], *, v2: bool = False) -> list[str]:
    problems = [] if v2 else _limit("action rows", components, 5)
    for comp in iter_components(components):
        if "custom_id" in comp:
            problems += _length("custom_id", comp["custom_id"], 1, 100)
        if comp.get("type") == ComponentType.action_row.value:
            problems += _limit("components in a row", comp.get("components"), 5)
        if comp.get("type") == ComponentType.button.value:
            problems += _length("button label", comp.get("label"), 0, 80)
        if comp.get("type") == ComponentType.select.value:
            problems += _limit("select options", comp.get("options"), 25)
            for opt in comp.get("options") or []:
                problems += _length("select option label", opt.get("label"), 1, 100)
                problems += _length("select option value", opt.get("value"), 1, 100)
        if comp.get("type") == ComponentType.text_input.value:
            problems += _length("text input label", comp.get("label"), 0, 45)
    return problems


def modal_rules(data: dict[str, Any]) -> list[str]:
    problems = _length("modal title", data.get("title"), 1, 45)
    problems += _length("modal custom_id", data.get("custom_id"), 1, 100)
    problems += _limit("modal components", data.get("components"), 5)
    return problems + component_rules(data.get("components") or [], v2=True)

"""Discord's text rules in one place: timestamps, limits, truncation, safe mentions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import discord

CONTENT_LIMIT = 2000
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_FIELD_NAME_LIMIT = 256
EMBED_FIELD_VALUE_LIMIT = 1024
EMBED_FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
EMBED_FIELDS_MAX = 25
CHOICES_MAX = 25
CHOICE_NAME_LIMIT = 100
CUSTOM_ID_LIMIT = 100
MODAL_TITLE_LIMIT = 45
TEXT_INPUT_LABEL_LIMIT = 45
TEXT_INPUT_PLACEHOLDER_LIMIT = 100
TEXT_INPUT_VALUE_LIMIT = 4000
BUTTON_LABEL_LIMIT = 80

# Users may be pinged (attendees, authors); roles and @everyone never, unless a caller passes
# an explicit allowance for a role a moderator configured.
SAFE_MENTIONS = discord.AllowedMentions(everyone=False, roles=False, users=True, replied_user=False)
NO_MENTIONS = discord.AllowedMentions.none()


def ts(instant: datetime, style: str = "F") -> str:
    """A Discord timestamp: each member sees it in their own zone and language."""
    return f"<t:{int(instant.timestamp())}:{style}>"


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    if len(text) <= limit:
        return text
    return text[: max(0, limit - len(ellipsis))] + ellipsis


def escape(text: str) -> str:
    """User-written text shown by the bot: no markdown tricks, no mention syntax."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def fit_list(items: Sequence[str], limit: int, more: str, sep: str = ", ") -> str:
    """Join `items` within `limit` characters; `more` (with `{n}`) counts what was left out."""
    shown: list[str] = []
    for index, item in enumerate(items):
        rest = len(items) - index - 1
        candidate = sep.join([*shown, item])
        tail = (sep + more.format(n=rest)) if rest else ""
        if len(candidate) + len(tail) > limit:
            left = len(items) - len(shown)
            return sep.join([*shown, more.format(n=left)]) if shown else more.format(n=left)
        shown.append(item)
    return sep.join(shown)


def embed_size(embed: discord.Embed) -> int:
    return len(embed)

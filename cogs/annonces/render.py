"""What announcements look like: the posted text and the moderators' list."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.discord_text import CONTENT_LIMIT, EMBED_DESCRIPTION_LIMIT, truncate, ts
from bot.i18n import t
from cogs.annonces.service import LIST_PREVIEW, Announcement


def posted_text(announcement: Announcement, lang: str, *, late: bool) -> str:
    text = announcement.text
    if late:
        text = f"{text}\n\n-# {t('reminders.late_note', lang)}"
    return truncate(text, CONTENT_LIMIT)


def scheduled(announcement: Announcement, lang: str) -> str:
    return t(
        "annonce.scheduled",
        lang,
        id=announcement.id,
        channel=f"<#{announcement.channel_id}>",
        when=ts(announcement.due_at, "F"),
        rel=ts(announcement.due_at, "R"),
    )


def pending_list(pending: Sequence[Announcement], lang: str) -> discord.Embed:
    lines = [
        t(
            "annonce.list.item",
            lang,
            id=a.id,
            when=ts(a.due_at, "f"),
            channel=f"<#{a.channel_id}>",
            text=truncate(a.text.replace("\n", " "), LIST_PREVIEW),
        )
        for a in pending
    ]
    return discord.Embed(
        title=t("annonce.list.title", lang),
        description=truncate("\n".join(lines), EMBED_DESCRIPTION_LIMIT)
        or t("annonce.list.empty", lang),
    )
